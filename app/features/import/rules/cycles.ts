import { digitsInUse, STORED_SCALE } from "../../../domain/currency";
import { FUNDING_SOURCES } from "../../../domain/records";
import { col } from "./columns";
import { enterpriseKey, institutionOf, isProblem, type EntitySpec, type RowProblem } from "./entity";

export const FUNDING_COLUMNS = FUNDING_SOURCES.map((s) => `fund_${s}`);

/**
 * Training cycles an institution delivered to an enterprise: matched on institution, module,
 * enterprise and start date. Amounts are in the institution's currency with at most the decimals
 * it uses (none for VND or IDR), stored in hundredths; the funding by source must add up to the cost.
 */
export const cyclesImport: EntitySpec = {
  entity: "training_cycles",
  keyColumns: ["country", "institution", "module", "enterprise", "started_on"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("module", true, { kind: "enum", values: ref.modules }, "M1"),
    col("enterprise", true, { kind: "text", max: 160 }, "Tema Garments Ltd"),
    col("started_on", true, { kind: "date" }, "2024-06-03"),
    col("ended_on", true, { kind: "date" }, "2024-09-27"),
    col("cycle_code", false, { kind: "text", max: 120 }, "GH-C-2024-017"),
    col("visits", true, { kind: "int", min: 0, max: 20 }, "5"),
    col("managers_female", true, { kind: "int", min: 0, max: 100_000 }, "3"),
    col("managers_male", true, { kind: "int", min: 0, max: 100_000 }, "4"),
    col("workers_female", true, { kind: "int", min: 0, max: 100_000 }, "12", "import.column.classWorkersFemale"),
    col("workers_male", true, { kind: "int", min: 0, max: 100_000 }, "9", "import.column.classWorkersMale"),
    col("cost", true, { kind: "money" }, "4500.00"),
    ...FUNDING_COLUMNS.map((name, i) =>
      col(name, true, { kind: "money" }, ["1500", "500", "0", "1000", "0", "1500"][i], `import.column.${name}`),
    ),
    col("ilo_staff_involved", true, { kind: "bool" }, "yes"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    else {
      if (!ref.enterprises.has(enterpriseKey(inst.id, row.enterprise as string)))
        problems.push({ column: "enterprise", code: "import.problem.unknownEnterprise", vars: { name: String(row.enterprise) } });
      // An amount with more decimals than the currency uses ("45000000.50" dong) is a typing slip, not a value.
      const digits = digitsInUse(inst.currency);
      const step = STORED_SCALE / 10 ** digits;
      for (const c of ["cost", ...FUNDING_COLUMNS])
        if ((row[c] as number) % step !== 0)
          problems.push({ column: c, code: "import.problem.moneyDigits", vars: { currency: inst.currency, digits } });
    }
    if ((row.ended_on as string) < (row.started_on as string))
      problems.push({ column: "ended_on", code: "import.problem.endsBeforeStart" });
    if ((row.cost as number) <= 0) problems.push({ column: "cost", code: "import.problem.positive" });
    const sum = FUNDING_COLUMNS.reduce((s, c) => s + (row[c] as number), 0);
    if (sum !== row.cost) problems.push({ column: "cost", code: "import.problem.fundingSum" });
    return problems;
  },
};
