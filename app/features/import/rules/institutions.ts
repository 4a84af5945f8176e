import { col } from "./columns";
import type { EntitySpec } from "./entity";

export const INSTITUTION_TYPE_VALUES = [
  "government_training",
  "employers_organisation",
  "industry_association",
  "private_provider",
] as const;
export const INSTITUTION_ROLE_VALUES = ["national_coordinator", "implementing_partner", "sponsor"] as const;

/** Institutions: matched on country + name. A new one starts at its pathway's first stage. */
export const institutionsImport: EntitySpec = {
  entity: "institutions",
  keyColumns: ["country", "name"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("name", true, { kind: "text", max: 200 }, "Kumasi Business Training Institute", "import.column.institutionName"),
    col("type", true, { kind: "enum", values: INSTITUTION_TYPE_VALUES }, "private_provider"),
    col("role", true, { kind: "enum", values: INSTITUTION_ROLE_VALUES }, "implementing_partner"),
    col("mou_signed_on", false, { kind: "date" }, "2024-03-15"),
    col("business_plan_adopted_on", false, { kind: "date" }, ""),
    col("score_in_portfolio", false, { kind: "bool" }, "no"),
  ],
  check: (row) =>
    typeof row.name === "string" && row.name.trim().length < 2 ? [{ column: "name", code: "import.problem.tooShort" }] : [],
};
