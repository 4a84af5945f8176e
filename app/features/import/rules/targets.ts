import { dimensionUnit, readDimension } from "../../indicators/dimensions";
import { readFigureText, readTargetInput } from "../../indicators/figure-value";
import { INDICATOR_KEYS } from "../../indicators/indicator-catalogue";
import { indicatorDefinition } from "../../indicators/indicators";
import { col, normaliseDecimal } from "./columns";
import type { EntitySpec, ParsedRow, RowProblem } from "./entity";

/**
 * Logframe targets: one per indicator, country, programme phase and part of the indicator (the
 * table's unique key). The row is read by the same rules as the target form: the part with
 * `readDimension` (blank for the whole indicator; women, men or women_share for the indicators
 * that count people; a module or group of modules for the cost share), the target with
 * `readTargetInput` against that part's unit — a figure (a percentage between 0 and 100, a cell
 * formatted as percent in Excel read as shown; yes/no as 1 or 0; a count of zero or more) or a
 * qualitative target in words, exactly one of the two.
 */
export const targetsImport: EntitySpec = {
  entity: "targets",
  keyColumns: ["indicator_key", "country", "phase_key", "dimension"],
  columns: (ref) => [
    col("indicator_key", true, { kind: "enum", values: INDICATOR_KEYS }, "mous_signed"),
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("phase_key", true, { kind: "enum", values: ref.phases }, ref.phases[0] ?? "phase-3"),
    col("dimension", false, { kind: "text", max: 80 }, ""),
    col("target", false, { kind: "figure" }, "12"),
    col("target_text", false, { kind: "text", max: 2000 }, ""),
    col("note", false, { kind: "text", max: 500 }, ""),
  ],
  check(row, ref) {
    const def = indicatorDefinition(String(row.indicator_key));
    if (!def) return [];
    const problems: RowProblem[] = [];
    const dimension = readDimension(def, row.dimension ?? "", ref.modules);
    if (!dimension.ok) problems.push({ column: "dimension", code: dimension.error, vars: { value: String(row.dimension) } });
    const unit = dimensionUnit(def, dimension.ok ? dimension.value : "");
    const target = readTargetInput(row.target ?? "", row.target_text ?? "", unit);
    if (!target.ok)
      problems.push({
        column: target.field === "targetText" ? "target_text" : "target",
        code: target.error,
        vars: { value: String(row.target ?? "").slice(0, 60) },
      });
    return problems;
  },
  finish: (row) => {
    const def = indicatorDefinition(String(row.indicator_key));
    const dimension = def ? readDimension(def, row.dimension ?? "", anyModule(row.dimension)) : null;
    const text = typeof row.target_text === "string" ? row.target_text.trim() : "";
    const figure = row.target === null || row.target === "" ? null : String(row.target);
    return {
      ...row,
      dimension: dimension?.ok ? dimension.value : String(row.dimension ?? ""),
      // A figure or words, never both (checked above): the other is stored empty.
      target: text === "" && figure !== null ? figureText(figure) : null,
      target_text: text === "" ? null : text,
    };
  },
};

/** The figure as stored: "40 %" → "40", "12,50" → "12.5", "yes" → "1". */
function figureText(raw: string): string {
  const plain = raw.replace(/[\s%]/g, "").replace(",", ".");
  return normaliseDecimal(plain) ?? String(readFigureText(raw));
}

/** Every module a cell names, so the canonical form can be written once the row passed its checks. */
const anyModule = (raw: ParsedRow[string]): string[] =>
  typeof raw === "string"
    ? raw
        .replace(/^module:/i, "")
        .split(/[+,;\s]+/)
        .map((c) => c.toUpperCase())
    : [];
