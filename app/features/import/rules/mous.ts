import { col } from "./columns";
import { institutionOf, isProblem, type EntitySpec, type RowProblem } from "./entity";

/**
 * Memoranda of understanding with their dates, many per institution: one per institution,
 * partner and day of signature. The institution's "MoU signed on" (which its gates read) becomes
 * the earliest MoU it has.
 */
export const mousImport: EntitySpec = {
  entity: "mous",
  keyColumns: ["country", "institution", "partner", "signed_on"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("partner", true, { kind: "text", max: 200 }, "ILO", "import.column.mouPartner"),
    col("signed_on", true, { kind: "date" }, "2013-03-01", "import.column.mouSignedOn"),
    col("ends_on", false, { kind: "date" }, "2017-12-31", "import.column.mouEndsOn"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    if ((row.partner as string).trim().length < 2) problems.push({ column: "partner", code: "import.problem.tooShort" });
    if (row.ends_on && (row.ends_on as string) < (row.signed_on as string))
      problems.push({ column: "ends_on", code: "import.problem.endBeforeStart" });
    return problems;
  },
};
