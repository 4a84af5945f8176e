import { z } from "zod";
import { PlanYearSchema, type PlanYear, type UsdRate } from "~/domain/handover";
import { FUNDING_SOURCES } from "~/domain/records";
import { formatMoney, parseMoney, wholeOnly } from "~/features/reports/report-form";

/**
 * The "New plan" form: flat fields named by their path (`years.0.lines.1.cycles`,
 * `years.0.funding.government`), parsed on the server with zod. Each error is keyed by the name
 * of the field that caused it, so the page shows it next to that field. Blank rows are skipped.
 */

export const PLAN_FORM_YEARS = 3;
export const PLAN_FORM_LINES = 3;

export interface PlanFormInput {
  name: string;
  currency: string;
  usdRate: UsdRate;
  exitYear: number;
  varianceThresholdPp: number;
  years: PlanYear[];
}

export type PlanFormResult = { ok: true; plan: PlanFormInput } | { ok: false; errors: Record<string, string> };

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * "15.5" units of the plan's currency per US dollar → 1 unit = 10/155 = 2/31 USD, exactly.
 * Null when the text is not a positive decimal with at most 6 decimals.
 */
export function rateFromUnitsPerUsd(text: string): UsdRate | null {
  let s = text.replace(/[\s\u00a0_']/g, "");
  // "25,400" and "25,400.50": commas between groups of three are thousands separators.
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replaceAll(",", "");
  const m = /^(\d{1,9})(?:[.,](\d{1,6}))?$/.exec(s);
  if (!m) return null;
  const decimals = m[2] ?? "";
  const den = BigInt(m[1] + decimals);
  const num = 10n ** BigInt(decimals.length);
  if (den === 0n) return null;
  const g = gcd(num, den);
  return { num: Number(num / g), den: Number(den / g) };
}

/** 2/31 → "15.5": the rate as it was typed (rounded to 6 decimals where the fraction is not exact). */
export function unitsPerUsd(rate: UsdRate): string {
  return String(Math.round((rate.den / rate.num) * 1e6) / 1e6);
}

/** The translator of the request (app/i18n): every error is written in the user's language. */
export type Say = (key: string, vars?: Record<string, string | number>) => string;

const wholeNumber = (say: Say, label: string) =>
  z.string().trim().regex(/^\d+$/, say("handover.err.whole", { label })).transform(Number);

function headerSchema(say: Say) {
  return z.object({
    name: z.string().trim().min(1, say("handover.err.name")).max(200, say("handover.err.nameLong")),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, say("handover.err.currency")),
    exitYear: wholeNumber(say, say("handover.err.exitYearLabel")).pipe(
      z.number().min(2000, say("handover.err.yearMin")).max(2100, say("handover.err.yearMax")),
    ),
    varianceThresholdPp: wholeNumber(say, say("handover.err.pointsLabel")).pipe(
      z.number().min(1, say("handover.err.pointsMin")).max(100, say("handover.err.pointsMax")),
    ),
  });
}

function blank(values: Record<string, string>, prefix: string): boolean {
  return Object.entries(values).every(([k, v]) => !k.startsWith(prefix) || v.trim() === "");
}

export function readPlanForm(values: Record<string, string>, modules: string[], say: Say): PlanFormResult {
  const errors: Record<string, string> = {};
  const header = headerSchema(say).safeParse({
    name: values.name ?? "",
    currency: values.currency ?? "",
    exitYear: values.exitYear ?? "",
    varianceThresholdPp: values.varianceThresholdPp?.trim() ? values.varianceThresholdPp : "10",
  });
  if (!header.success) for (const i of header.error.issues) errors[String(i.path[0])] ??= i.message;
  const usdRate = rateFromUnitsPerUsd(values.unitsPerUsd ?? "");
  if (!usdRate) errors.unitsPerUsd = say("handover.err.rate");

  const years: PlanYear[] = [];
  for (let y = 0; y < 20; y++) {
    const p = `years.${y}.`;
    if (blank(values, p)) continue;
    const year = readYear(values, p, modules, errors, say, (values.currency ?? "").trim().toUpperCase());
    if (!year) continue;
    // Checked even when another header field is wrong, so every error shows at once.
    const exitYear = Number((values.exitYear ?? "").trim());
    if (Number.isInteger(exitYear) && exitYear > 0 && year.year > exitYear) errors[`${p}year`] = say("handover.err.afterExit");
    if (years.some((o) => o.year === year.year)) errors[`${p}year`] = say("handover.err.twice");
    years.push(year);
  }
  if (years.length === 0 && !Object.keys(errors).some((k) => k.startsWith("years.")))
    errors["years.0.year"] = say("handover.err.noYear");

  if (Object.keys(errors).length > 0 || !header.success || !usdRate) return { ok: false, errors };
  return { ok: true, plan: { ...header.data, usdRate, years: years.sort((a, b) => a.year - b.year) } };
}

function readYear(
  values: Record<string, string>,
  p: string,
  modules: string[],
  errors: Record<string, string>,
  say: Say,
  currency: string,
): PlanYear | null {
  // An amount with decimals the plan's currency does not use (VND, IDR) is refused next to its field.
  const decimalsRefused = (name: string) => {
    const text = values[name] ?? "";
    if (!wholeOnly(text, currency) || Number.isNaN(parseMoney(text))) return false;
    errors[name] = say("handover.err.noDecimals", { currency });
    return true;
  };
  const before = Object.keys(errors).length;
  const num = (name: string, label: string): number => {
    const text = (values[`${p}${name}`] ?? "").trim();
    if (!/^\d+$/.test(text)) errors[`${p}${name}`] = say("handover.err.whole", { label });
    return Number(text);
  };
  const money = (name: string): number => {
    const v = parseMoney(values[`${p}${name}`] ?? "");
    if (v === null) return 0;
    if (Number.isNaN(v)) errors[`${p}${name}`] = say("handover.err.amount");
    else decimalsRefused(`${p}${name}`);
    return v ?? 0;
  };
  const year = num("year", say("handover.col.year"));
  const lines = [];
  for (let l = 0; l < 20; l++) {
    const lp = `lines.${l}.`;
    if (blank(values, `${p}${lp}`)) continue;
    const module = (values[`${p}${lp}module`] ?? "").trim();
    if (!modules.includes(module)) errors[`${p}${lp}module`] = say("handover.err.module");
    const unitCost = parseMoney(values[`${p}${lp}unitCost`] ?? "");
    if (unitCost === null || Number.isNaN(unitCost)) errors[`${p}${lp}unitCost`] = say("handover.err.unitCost");
    else decimalsRefused(`${p}${lp}unitCost`);
    lines.push({
      module,
      cycles: num(`${lp}cycles`, say("handover.col.cycles")),
      enterprises: num(`${lp}enterprises`, say("handover.col.enterprises")),
      unitCostMinor: unitCost ?? 0,
    });
  }
  if (lines.length === 0) errors[`${p}lines.0.module`] = say("handover.err.noLine");
  const funding = Object.fromEntries(FUNDING_SOURCES.map((s) => [s, money(`funding.${s}`)]));
  if (Object.keys(errors).length > before) return null;
  const parsed = PlanYearSchema.safeParse({ year, lines, funding });
  if (!parsed.success) {
    // Whole non-negative numbers were checked above: what is left is a figure too large.
    for (const i of parsed.error.issues)
      errors[`${p}${i.path.join(".").replace("unitCostMinor", "unitCost")}`] ??= say("handover.err.range");
    return null;
  }
  return parsed.data;
}

/** A stored plan as the form's fields, to edit it. */
export function planToFormValues(plan: PlanFormInput): Record<string, string> {
  const money = (minor: number) => formatMoney(minor);
  const values: Record<string, string> = {
    name: plan.name,
    currency: plan.currency,
    unitsPerUsd: unitsPerUsd(plan.usdRate),
    exitYear: String(plan.exitYear),
    varianceThresholdPp: String(plan.varianceThresholdPp),
  };
  plan.years.forEach((y, i) => {
    values[`years.${i}.year`] = String(y.year);
    y.lines.forEach((l, j) => {
      Object.assign(values, {
        [`years.${i}.lines.${j}.module`]: l.module,
        [`years.${i}.lines.${j}.cycles`]: String(l.cycles),
        [`years.${i}.lines.${j}.enterprises`]: String(l.enterprises),
        [`years.${i}.lines.${j}.unitCost`]: money(l.unitCostMinor),
      });
    });
    for (const s of FUNDING_SOURCES) if (y.funding[s]) values[`years.${i}.funding.${s}`] = money(y.funding[s]);
  });
  return values;
}
