import { figureProblem, readFigureText } from "../../indicators/figure-value";
import { INDICATOR_KEYS } from "../../indicators/indicator-catalogue";
import { indicatorDefinition } from "../../indicators/indicators";
import { col, normaliseDecimal } from "./columns";
import type { EntitySpec } from "./entity";

/**
 * Logframe targets: one per indicator, country and programme phase (the table's unique key). The
 * target is checked by the same rule as the target form (../../indicators/figure-value.ts): a
 * percentage between 0 and 100 (a cell formatted as percent in Excel reads as shown), yes/no as 1
 * or 0, a count of zero or more.
 */
export const targetsImport: EntitySpec = {
  entity: "targets",
  keyColumns: ["indicator_key", "country", "phase_key"],
  columns: (ref) => [
    col("indicator_key", true, { kind: "enum", values: INDICATOR_KEYS }, "mous_signed"),
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("phase_key", true, { kind: "enum", values: ref.phases }, ref.phases[0] ?? "phase-3"),
    col("target", true, { kind: "figure" }, "12"),
    col("note", false, { kind: "text", max: 500 }, ""),
  ],
  check(row) {
    const def = indicatorDefinition(String(row.indicator_key));
    const problem = def ? figureProblem(String(row.target), def.unit) : null;
    return problem ? [{ column: "target", code: problem, vars: { value: String(row.target).slice(0, 60) } }] : [];
  },
  finish: (row) => {
    const text = String(row.target).replace(/[\s%]/g, "").replace(",", ".");
    return { ...row, target: normaliseDecimal(text) ?? String(readFigureText(String(row.target))) };
  },
};
