import { col } from "./columns";
import { institutionOf, isProblem, type EntitySpec, type RowProblem } from "./entity";

/**
 * Trainers: matched on their institution (country + name) and the trainer's code there — the
 * institution's own identifier for the person (staff number, national id or e-mail).
 */
export const trainersImport: EntitySpec = {
  entity: "trainers",
  keyColumns: ["country", "institution", "trainer_code"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("trainer_code", true, { kind: "text", max: 120 }, "GH-T-0001"),
    col("name", true, { kind: "text", max: 120 }, "Ama Mensah", "import.column.trainerName"),
    col("sex", true, { kind: "enum", values: ["female", "male"] }, "female"),
    col("national_expert", false, { kind: "bool" }, "no"),
    col("trained_on", false, { kind: "date" }, "2024-05-10"),
    col("last_active_on", false, { kind: "date" }, ""),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    if ((row.name as string).trim().length < 2) problems.push({ column: "name", code: "import.problem.tooShort" });
    if (row.trained_on && row.last_active_on && (row.last_active_on as string) < (row.trained_on as string))
      problems.push({ column: "last_active_on", code: "import.problem.beforeTrained" });
    return problems;
  },
};
