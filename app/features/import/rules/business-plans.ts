import { col } from "./columns";
import { institutionOf, isProblem, tidy, type EntitySpec, type RowProblem } from "./entity";

/** "2015" or "2015-2017": the year or years a business plan covers. */
const PERIOD = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/;

/** The period as stored ("2015-2017"), or null when it is not one. */
export function normalisePeriod(text: string): string | null {
  const m = PERIOD.exec(tidy(text));
  if (!m) return null;
  if (m[2] && m[2] < m[1]) return null;
  return m[2] && m[2] !== m[1] ? `${m[1]}-${m[2]}` : m[1];
}

/**
 * Business plans with their dates: one per institution and plan period, with the day it was
 * approved (adopted by the institution's board). The gates' "business plan adopted" criterion
 * and the logframe's business-plans indicator read the institution's first adoption, which
 * becomes its earliest imported plan: an import only moves that day earlier, audited.
 */
export const businessPlansImport: EntitySpec = {
  entity: "business_plans",
  keyColumns: ["country", "institution", "period"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("period", true, { kind: "text", max: 20 }, "2015-2017", "import.column.planPeriod"),
    col("approved_on", true, { kind: "date" }, "2014-11-28", "import.column.planApprovedOn"),
    col("note", false, { kind: "text", max: 1000 }, "Approved by the board", "import.column.planNote"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    const period = normalisePeriod(row.period as string);
    if (period === null)
      problems.push({ column: "period", code: "import.problem.planPeriod", vars: { value: String(row.period) } });
    if (ref.today && (row.approved_on as string) > ref.today)
      problems.push({ column: "approved_on", code: "import.problem.futureDate", vars: { today: ref.today } });
    return problems;
  },
  finish: (row) => ({ ...row, period: normalisePeriod(row.period as string) }),
};
