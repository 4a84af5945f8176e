import { col } from "./columns";
import { institutionOf, isProblem, trainerKey, type EntitySpec, type RowProblem } from "./entity";

/**
 * Trainer certifications with their dates, for history: one per trainer, module and day of
 * certification. The trainer is named as in the trainers import (institution and trainer code);
 * `national_expert`, when given, sets the trainer's flag, which both the gate and the indicator read.
 */
export const certificationsImport: EntitySpec = {
  entity: "certifications",
  keyColumns: ["country", "institution", "trainer_code", "module", "certified_on"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("trainer_code", true, { kind: "text", max: 120 }, "GH-T-0001"),
    col("module", true, { kind: "enum", values: ref.modules }, ref.modules[0] ?? "M1"),
    col("certified_on", true, { kind: "date" }, "2014-06-30"),
    col("expires_on", true, { kind: "date" }, "2017-06-30"),
    col("national_expert", false, { kind: "bool" }, "no"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    else if (!ref.trainers?.has(trainerKey(inst.id, row.trainer_code as string)))
      problems.push({ column: "trainer_code", code: "import.problem.unknownTrainer", vars: { code: String(row.trainer_code) } });
    if ((row.expires_on as string) < (row.certified_on as string))
      problems.push({ column: "expires_on", code: "import.problem.endBeforeStart" });
    return problems;
  },
};
