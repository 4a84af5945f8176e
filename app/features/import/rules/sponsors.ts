import { col } from "./columns";
import { institutionOf, isProblem, type EntitySpec, type RowProblem } from "./entity";

/**
 * Sponsors and paying organisations with their dates: an institution's funding commitments (a
 * multi-year sponsor, a government budget line), one per institution, kind, funder and start.
 */
export const sponsorsImport: EntitySpec = {
  entity: "sponsors",
  keyColumns: ["country", "institution", "kind", "funder", "starts_on"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col(
      "kind",
      true,
      { kind: "enum", values: ["multi_year_sponsor", "government_budget_line"] },
      "multi_year_sponsor",
      "import.column.fundingKind",
    ),
    col("funder", true, { kind: "text", max: 200 }, "Ghana Cocoa Board", "import.column.funder"),
    col("starts_on", true, { kind: "date" }, "2015-01-01", "import.column.fundingStartsOn"),
    col("ends_on", false, { kind: "date" }, "2017-12-31", "import.column.fundingEndsOn"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    if ((row.funder as string).trim().length < 2) problems.push({ column: "funder", code: "import.problem.tooShort" });
    if (row.ends_on && (row.ends_on as string) < (row.starts_on as string))
      problems.push({ column: "ends_on", code: "import.problem.endBeforeStart" });
    return problems;
  },
};
