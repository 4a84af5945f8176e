import type { IndicatorUnit } from "~/features/indicators/indicators";

/**
 * Reading the target and manual-actual forms: values typed as "12.5" or "12,5", checked against
 * the indicator's unit. Errors are message keys (the route translates them), by field name.
 */

export type FieldErrors = Record<string, string>;

export function readNumber(raw: unknown, unit: IndicatorUnit): { ok: true; value: number } | { ok: false; error: string } {
  const text = typeof raw === "string" ? raw.trim().replace(/\s/g, "") : "";
  const normal = /^\d+(,\d+)?$/.test(text) ? text.replace(",", ".") : text;
  const value = /^\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
  if (unit === "yes_no") return value === 0 || value === 1 ? { ok: true, value } : { ok: false, error: "indicators.error.yesNo" };
  if (unit === "percent")
    return value >= 0 && value <= 100 ? { ok: true, value } : { ok: false, error: "indicators.error.percent" };
  return Number.isFinite(value) && value <= 1e9 ? { ok: true, value } : { ok: false, error: "indicators.error.number" };
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
