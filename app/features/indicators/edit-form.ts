import type { IndicatorUnit } from "~/features/indicators/indicators";
import { actualSchema, figureSchema } from "./figure-value";

/**
 * Reading the target and manual-actual forms: values typed as "12.5" or "12,5", checked against
 * the indicator's unit. Errors are message keys (the route translates them), by field name.
 */

export type FieldErrors = Record<string, string>;

/** A target or a manual actual as typed: the same schema the targets import checks with (./figure-value.ts). */
export function readNumber(raw: unknown, unit: IndicatorUnit): { ok: true; value: number } | { ok: false; error: string } {
  const parsed = figureSchema(unit).safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0].message };
}

/** A manual actual as typed: a figure by the same rule, or "unknown" (null), which is never 0. */
export function readActual(raw: unknown, unit: IndicatorUnit): { ok: true; value: number | null } | { ok: false; error: string } {
  const parsed = actualSchema(unit).safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  // The figure's own refusal says what was wrong (the union lists the unknown-word branch first).
  const figure = figureSchema(unit).safeParse(raw);
  return { ok: false, error: figure.success ? "indicators.error.number" : figure.error.issues[0].message };
}

export function readNote(raw: unknown): { ok: true; value: string } | { ok: false; error: string } {
  const text = typeof raw === "string" ? raw.trim() : "";
  return text.length <= 1000 ? { ok: true, value: text } : { ok: false, error: "indicators.error.note" };
}

export function readEvidence(raw: unknown): { ok: true; value: string } | { ok: false; error: string } {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text.length < 3 || text.length > 500) return { ok: false, error: "indicators.error.evidence" };
  // Only http(s) is ever drawn as a link; script and data addresses are refused outright all the same.
  if (/^\s*(javascript|data|vbscript):/i.test(text)) return { ok: false, error: "indicators.error.evidence" };
  return { ok: true, value: text };
}
