import { INDICATOR_KEYS } from "../../indicators/indicator-catalogue";
import { col } from "./columns";
import type { EntitySpec } from "./entity";

/** Logframe targets: one per indicator, country and programme phase (the table's unique key). */
export const targetsImport: EntitySpec = {
  entity: "targets",
  keyColumns: ["indicator_key", "country", "phase_key"],
  columns: (ref) => [
    col("indicator_key", true, { kind: "enum", values: INDICATOR_KEYS }, "mous_signed"),
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("phase_key", true, { kind: "enum", values: ref.phases }, ref.phases[0] ?? "phase-3"),
    col("target", true, { kind: "decimal" }, "12"),
    col("note", false, { kind: "text", max: 500 }, ""),
  ],
};
