import { z } from "zod";
import { PlanYearSchema, type PlanYear, type UsdRate } from "~/domain/handover";
import { FUNDING_SOURCES } from "~/domain/records";
import { formatMoney, parseMoney } from "~/utils/report-form";

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

const wholeNumber = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${label}: a whole number`)
    .transform(Number);

const HeaderSchema = z.object({
  name: z.string().trim().min(1, "Give the plan a name").max(200, "Keep the name under 200 characters"),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "A three-letter currency code, e.g. GHS"),
  exitYear: wholeNumber("The year the ILO exits").pipe(z.number().min(2000, "A year after 2000").max(2100, "A year before 2100")),
  varianceThresholdPp: wholeNumber("Points").pipe(z.number().min(1, "At least 1 point").max(100, "At most 100 points")),
});

function blank(values: Record<string, string>, prefix: string): boolean {
  return Object.entries(values).every(([k, v]) => !k.startsWith(prefix) || v.trim() === "");
}

export function readPlanForm(values: Record<string, string>, modules: string[]): PlanFormResult {
  const errors: Record<string, string> = {};
  const header = HeaderSchema.safeParse({
    name: values.name ?? "",
    currency: values.currency ?? "",
    exitYear: values.exitYear ?? "",
    varianceThresholdPp: values.varianceThresholdPp?.trim() ? values.varianceThresholdPp : "10",
  });
  if (!header.success) for (const i of header.error.issues) errors[String(i.path[0])] ??= i.message;
  const usdRate = rateFromUnitsPerUsd(values.unitsPerUsd ?? "");
  if (!usdRate) errors.unitsPerUsd = "How many units of the currency buy one US dollar, e.g. 15.5";

  const years: PlanYear[] = [];
  for (let y = 0; y < 20; y++) {
    const p = `years.${y}.`;
    if (blank(values, p)) continue;
    const year = readYear(values, p, modules, errors);
    if (!year) continue;
    // Checked even when another header field is wrong, so every error shows at once.
    const exitYear = Number((values.exitYear ?? "").trim());
    if (Number.isInteger(exitYear) && exitYear > 0 && year.year > exitYear) errors[`${p}year`] = "After the ILO's exit year";
    if (years.some((o) => o.year === year.year)) errors[`${p}year`] = "This year appears twice";
    years.push(year);
  }
  if (years.length === 0 && !Object.keys(errors).some((k) => k.startsWith("years."))) errors["years.0.year"] = "Plan at least one year";

  if (Object.keys(errors).length > 0 || !header.success || !usdRate) return { ok: false, errors };
  return { ok: true, plan: { ...header.data, usdRate, years: years.sort((a, b) => a.year - b.year) } };
}

function readYear(values: Record<string, string>, p: string, modules: string[], errors: Record<string, string>): PlanYear | null {
  const before = Object.keys(errors).length;
  const num = (name: string, label: string): number => {
    const text = (values[`${p}${name}`] ?? "").trim();
    if (!/^\d+$/.test(text)) errors[`${p}${name}`] = `${label}: a whole number`;
    return Number(text);
  };
  const money = (name: string): number => {
    const v = parseMoney(values[`${p}${name}`] ?? "");
    if (v === null) return 0;
    if (Number.isNaN(v)) errors[`${p}${name}`] = "An amount like 1500 or 1500.50";
    return v ?? 0;
  };
  const year = num("year", "Year");
  const lines = [];
  for (let l = 0; l < 20; l++) {
    const lp = `lines.${l}.`;
    if (blank(values, `${p}${lp}`)) continue;
    const module = (values[`${p}${lp}module`] ?? "").trim();
    if (!modules.includes(module)) errors[`${p}${lp}module`] = "Choose a module";
    const unitCost = parseMoney(values[`${p}${lp}unitCost`] ?? "");
    if (unitCost === null || Number.isNaN(unitCost)) errors[`${p}${lp}unitCost`] = "The cost of one cycle, like 8000 or 8000.50";
    lines.push({ module, cycles: num(`${lp}cycles`, "Cycles"), enterprises: num(`${lp}enterprises`, "Enterprises"), unitCostMinor: unitCost ?? 0 });
  }
  if (lines.length === 0) errors[`${p}lines.0.module`] = "Plan at least one module for this year";
  const funding = Object.fromEntries(FUNDING_SOURCES.map((s) => [s, money(`funding.${s}`)]));
  if (Object.keys(errors).length > before) return null;
  const parsed = PlanYearSchema.safeParse({ year, lines, funding });
  if (!parsed.success) {
    for (const i of parsed.error.issues) errors[`${p}${i.path.join(".").replace("unitCostMinor", "unitCost")}`] ??= i.message;
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
