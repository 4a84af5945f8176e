import { z } from "zod";
import { PlanYearSchema, type PlanYear, type UsdRate } from "~/domain/handover";
import { FUNDING_SOURCES } from "~/domain/records";
import { formatMoney, parseMoney, wholeOnly } from "~/features/reports/report-form";

/**
 * The "New plan" form: flat fields named by their path (`years.0.lines.1.cycles`,
 * `years.0.funding.government`), parsed on the server with zod. Each error is keyed by the name
 * of the field that caused it, so the page shows it next to that field. Blank rows are skipped.
 */

/** Rows a new plan's form starts with; the user adds and removes years and lines from there. */
export const PLAN_FORM_YEARS = 3;
export const PLAN_FORM_LINES = 3;
/** The most years, and lines in a year, one plan may have (what `readPlanForm` reads). */
export const PLAN_FORM_MAX = 20;

/**
 * How many years the form shows, and lines in each. Carried in the form as hidden fields
 * (`shape.years`, `shape.lines.0`…) so that a form sent back for another row, or refused, comes
 * back laid out as it was; never fewer rows than the values typed.
 */
export interface PlanShape {
  years: number;
  lines: number[];
}

const SHAPE_YEARS = "shape.years";
const shapeLines = (y: number) => `shape.lines.${y}`;

function highest(values: Record<string, string>, re: RegExp): number {
  let n = 0;
  for (const [k, v] of Object.entries(values)) {
    const m = re.exec(k);
    if (m && v.trim() !== "") n = Math.max(n, Number(m[1]) + 1);
  }
  return n;
}

const clamp = (n: number) => Math.min(PLAN_FORM_MAX, Math.max(1, n));
const carried = (text: string | undefined) => (text && /^\d{1,2}$/.test(text) ? Number(text) : null);

export function planShape(values: Record<string, string>): PlanShape {
  const typedYears = highest(values, /^years\.(\d+)\./);
  const years = clamp(Math.max(carried(values[SHAPE_YEARS]) ?? PLAN_FORM_YEARS, typedYears));
  const lines = Array.from({ length: years }, (_, y) =>
    clamp(
      Math.max(
        carried(values[shapeLines(y)]) ?? PLAN_FORM_LINES,
        highest(values, new RegExp(`^years\\.${y}\\.lines\\.(\\d+)\\.`)),
      ),
    ),
  );
  return { years, lines };
}

/** The hidden fields that carry a shape. */
export function shapeFields(shape: PlanShape): Record<string, string> {
  return Object.fromEntries([[SHAPE_YEARS, String(shape.years)], ...shape.lines.map((n, y) => [shapeLines(y), String(n)])]);
}

/** A button that changes the form's rows rather than saving: `addYear`, `removeYear.1`, `addLine.0`, `removeLine.0.2`. */
export const RESHAPE = /^(addYear|removeYear\.(\d+)|addLine\.(\d+)|removeLine\.(\d+)\.(\d+))$/;

export type Reshaped =
  | { ok: true; values: Record<string, string>; focus: string }
  | { ok: false; values: Record<string, string>; errors: Record<string, string> };

/**
 * The form's values after one of its row buttons: a row added (empty) or removed (the rows after
 * it moving up, their values with them). Nothing is saved; the form comes back with the new rows,
 * and `focus` names the field the keyboard should go to. Past `PLAN_FORM_MAX` rows, or removing a
 * year's last line or the plan's last year, is refused next to the button.
 */
export function reshapePlanForm(values: Record<string, string>, intent: string, say: Say): Reshaped | null {
  const m = RESHAPE.exec(intent);
  if (!m) return null;
  const shape = planShape(values);
  const rest = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith("shape.") && k !== "intent"));
  // A button for a row the form does not have (an old page, a crafted request) changes nothing.
  const unchanged = { ok: true as const, values: { ...rest, ...shapeFields(shape) }, focus: "name" };
  const refuse = (field: string, key: string) => ({
    ok: false as const,
    values: { ...rest, ...shapeFields(shape) },
    errors: { [field]: say(key, { max: PLAN_FORM_MAX }) },
  });
  if (m[1] === "addYear") {
    if (shape.years >= PLAN_FORM_MAX) return refuse("shape.years", "handover.form.tooManyYears");
    const next = { years: shape.years + 1, lines: [...shape.lines, PLAN_FORM_LINES] };
    return { ok: true, values: { ...rest, ...shapeFields(next) }, focus: `years.${shape.years}.year` };
  }
  if (m[3] !== undefined) {
    const y = Number(m[3]);
    if (y >= shape.years) return unchanged;
    if (shape.lines[y] >= PLAN_FORM_MAX) return refuse(`years.${y}.lines`, "handover.form.tooManyLines");
    const lines = shape.lines.map((n, i) => (i === y ? n + 1 : n));
    return {
      ok: true,
      values: { ...rest, ...shapeFields({ years: shape.years, lines }) },
      focus: `years.${y}.lines.${shape.lines[y]}.module`,
    };
  }
  if (m[2] !== undefined) {
    const y = Number(m[2]);
    if (y >= shape.years) return unchanged;
    if (shape.years <= 1) return refuse("shape.years", "handover.form.lastYear");
    const moved: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) {
      const km = /^years\.(\d+)\.(.*)$/.exec(k);
      if (!km) moved[k] = v;
      else if (Number(km[1]) < y) moved[k] = v;
      else if (Number(km[1]) > y) moved[`years.${Number(km[1]) - 1}.${km[2]}`] = v;
    }
    const next = { years: shape.years - 1, lines: shape.lines.filter((_, i) => i !== y) };
    return { ok: true, values: { ...moved, ...shapeFields(next) }, focus: `years.${Math.min(y, next.years - 1)}.year` };
  }
  const y = Number(m[4]);
  const l = Number(m[5]);
  if (y >= shape.years || l >= shape.lines[y]) return unchanged;
  if (shape.lines[y] <= 1) return refuse(`years.${y}.lines`, "handover.form.lastLine");
  const moved: Record<string, string> = {};
  const prefix = `years.${y}.lines.`;
  for (const [k, v] of Object.entries(rest)) {
    const km = k.startsWith(prefix) ? /^(\d+)\.(.*)$/.exec(k.slice(prefix.length)) : null;
    if (!km) moved[k] = v;
    else if (Number(km[1]) < l) moved[k] = v;
    else if (Number(km[1]) > l) moved[`${prefix}${Number(km[1]) - 1}.${km[2]}`] = v;
  }
  const lines = shape.lines.map((n, i) => (i === y ? n - 1 : n));
  return {
    ok: true,
    values: { ...moved, ...shapeFields({ years: shape.years, lines }) },
    focus: `${prefix}${Math.min(l, lines[y] - 1)}.module`,
  };
}

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
  for (let y = 0; y < PLAN_FORM_MAX; y++) {
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
  // Rows past the most a plan may have are refused, not dropped unseen.
  for (const [k, v] of Object.entries(values)) {
    const m = /^years\.(\d+)\.(?:lines\.(\d+)\.)?/.exec(k);
    if (!m || v.trim() === "") continue;
    if (Number(m[1]) >= PLAN_FORM_MAX) errors["shape.years"] = say("handover.form.tooManyYears", { max: PLAN_FORM_MAX });
    else if (m[2] !== undefined && Number(m[2]) >= PLAN_FORM_MAX)
      errors[`years.${m[1]}.lines`] = say("handover.form.tooManyLines", { max: PLAN_FORM_MAX });
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
  for (let l = 0; l < PLAN_FORM_MAX; l++) {
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
