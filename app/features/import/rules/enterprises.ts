import { col } from "./columns";
import { institutionOf, isProblem, type EntitySpec } from "./entity";

/** Enterprises an institution trains: matched on the institution (country + name) and the enterprise's name. */
export const enterprisesImport: EntitySpec = {
  entity: "enterprises",
  keyColumns: ["country", "institution", "name"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("name", true, { kind: "text", max: 160 }, "Tema Garments Ltd", "import.column.enterpriseName"),
    col("size", true, { kind: "enum", values: ["micro", "small", "medium", "large"] }, "medium"),
    col("sector", false, { kind: "text", max: 120 }, "Garments"),
    col("workers_female", false, { kind: "int", min: 0, max: 1_000_000 }, "120"),
    col("workers_male", false, { kind: "int", min: 0, max: 1_000_000 }, "80"),
  ],
  check(row, ref) {
    const inst = institutionOf(row, ref);
    return isProblem(inst) ? [inst] : [];
  },
};
