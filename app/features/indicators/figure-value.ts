import { z } from "zod";
import type { IndicatorUnit } from "./indicators";

/**
 * One rule for a logframe figure (a target or a manual actual), whoever types it: the target
 * form and the targets import read the text with `readFigureText` and check it against the
 * indicator's unit with `figureProblem`, so they accept and refuse the same values
 * (docs/decisions/020-adoption.md). Messages are catalogue keys.
 */

/** Yes and no in the catalogue's languages: a yes/no figure may be typed as a word as well as 1 or 0. */
const YES_WORDS = new Set(["yes", "sí", "si", "oui"]);
const NO_WORDS = new Set(["no", "non"]);
const yesNoWord = (raw: unknown) => (typeof raw === "string" ? raw.trim().toLowerCase() : "");
const isYesNoWord = (raw: unknown) => YES_WORDS.has(yesNoWord(raw)) || NO_WORDS.has(yesNoWord(raw));

/** "12.5", " 4,5 ", "40 %", "40%" → the number; "yes"/"no" (any language of the catalogue) → 1/0; anything else → NaN. Blank → NaN. */
export function readFigureText(raw: unknown): number {
  if (isYesNoWord(raw)) return YES_WORDS.has(yesNoWord(raw)) ? 1 : 0;
  const text = typeof raw === "string" ? raw.trim().replace(/\s/g, "") : "";
  const bare = text.endsWith("%") ? text.slice(0, -1) : text;
  const normal = /^\d+(,\d+)?$/.test(bare) ? bare.replace(",", ".") : bare;
  return /^\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
}

/** Whether the text carries a percent sign: only a percentage may. */
const hasPercentSign = (raw: unknown) => typeof raw === "string" && raw.trim().endsWith("%");

/** The problem with a figure for an indicator of this unit, as a message key; null when it is fine. */
export function figureProblem(raw: unknown, unit: IndicatorUnit): string | null {
  const value = readFigureText(raw);
  if (hasPercentSign(raw) && unit !== "percent") return "indicators.error.number";
  if (isYesNoWord(raw) && unit !== "yes_no") return "indicators.error.number";
  if (unit === "yes_no") return value === 0 || value === 1 ? null : "indicators.error.yesNo";
  if (unit === "percent") return value >= 0 && value <= 100 ? null : "indicators.error.percent";
  return Number.isFinite(value) && value <= 1e9 ? null : "indicators.error.number";
}

/** The figure as a zod schema for one unit: text in, number out, the same refusals as above. */
export function figureSchema(unit: IndicatorUnit) {
  return z
    .unknown()
    .superRefine((raw, ctx) => {
      const problem = figureProblem(raw, unit);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((raw) => readFigureText(raw));
}

/**
 * The words that enter an actual as "unknown" (a manual actual nobody can give yet), in every
 * language of the catalogue: an unknown actual is stored as such, never as 0.
 */
const UNKNOWN_WORDS = new Set(["unknown", "desconocido", "desconocida", "inconnu", "inconnue", "?"]);

export function isUnknownWord(raw: unknown): boolean {
  return typeof raw === "string" && UNKNOWN_WORDS.has(raw.trim().toLowerCase());
}

/** A manual actual: the figure as `figureSchema` reads it, or null for "unknown". */
export function actualSchema(unit: IndicatorUnit) {
  return z.union([
    z
      .unknown()
      .refine(isUnknownWord)
      .transform((): number | null => null),
    figureSchema(unit),
  ]);
}

/**
 * A target as typed, on the form or in the import: a figure, or a qualitative text (1–500
 * characters), exactly one of the two. The figure is checked against the unit of the indicator's
 * part (a share of women is a percentage).
 */
export function readTargetInput(
  figure: unknown,
  text: unknown,
  unit: IndicatorUnit,
): { ok: true; target: number | null; text: string | null } | { ok: false; field: "target" | "targetText"; error: string } {
  const words = typeof text === "string" ? text.trim() : "";
  const typed = typeof figure === "string" && figure.trim() !== "";
  if (words !== "" && typed) return { ok: false, field: "targetText", error: "indicators.error.oneValue" };
  // The form clears a target left blank before asking; an import row must give one or the other.
  if (words === "" && !typed) return { ok: false, field: "target", error: "indicators.error.targetMissing" };
  if (words !== "")
    return words.length <= 500
      ? { ok: true, target: null, text: words }
      : { ok: false, field: "targetText", error: "indicators.error.text" };
  const problem = figureProblem(figure, unit);
  return problem ? { ok: false, field: "target", error: problem } : { ok: true, target: readFigureText(figure), text: null };
}
