import { z } from "zod";
import { FUNDING_SOURCES, type FundingSource, type FundingSplit } from "./records";
import type { TemplateDefinition } from "./template";

/**
 * Handover planning: how an institution means to fund SCORE delivery year by year until the
 * ILO leaves. Pure: no I/O, no clock. Money is integers in minor units (hundredths of the plan's
 * currency, as everywhere in Pathways) so totals never drift.
 */

/**
 * A plan's rate to USD is a rational number: `usdNum / usdDen` US dollars for one unit of the
 * plan's currency. Why a fraction and not micro-USD per unit: rates are stated the way a
 * ministry writes them ("25 400 VND to the dollar" → 1/25400), and for weak currencies a
 * micro-USD integer loses precision (1 VND ≈ 39.37 micro-USD; storing 39 is 1 % off on every
 * roll-up). A fraction stores the stated rate exactly; only the final conversion rounds.
 */
export const UsdRateSchema = z.object({
  num: z.number().int().positive().max(1_000_000_000),
  den: z.number().int().positive().max(1_000_000_000),
});
export type UsdRate = z.infer<typeof UsdRateSchema>;

export const PlanLineSchema = z.object({
  module: z.string().min(1, "Choose a module"),
  cycles: z.number().int("Whole cycles only").min(0, "Cannot be negative").max(10_000),
  enterprises: z.number().int("Whole enterprises only").min(0, "Cannot be negative").max(100_000),
  /** Cost of one cycle of this module, in minor units of the plan's currency. */
  unitCostMinor: z.number().int().min(0, "Cannot be negative").max(1e12),
});
export type PlanLine = z.infer<typeof PlanLineSchema>;

const MinorAmount = z.number().int().min(0, "Cannot be negative").max(1e13);
export const FundingSplitSchema = z.object(
  Object.fromEntries(FUNDING_SOURCES.map((s) => [s, MinorAmount])) as Record<FundingSource, typeof MinorAmount>,
);

export const PlanYearSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  lines: z.array(PlanLineSchema),
  funding: FundingSplitSchema,
});
export type PlanYear = z.infer<typeof PlanYearSchema>;

/** The money a plan is about; its status and people live in the records. */
export interface PlanFigures {
  currency: string;
  usdRate: UsdRate;
  exitYear: number;
  years: PlanYear[];
}

export interface YearFigures {
  year: number;
  costMinor: number;
  fundedMinor: number;
  nonIloMinor: number;
  /** Non-ILO funding as a share of cost, in basis points (1 % = 100), rounded half to even; null without cost. */
  nonIloShareBp: number | null;
  /** Cost minus all funding planned; negative is a surplus. */
  gapMinor: number;
  cycles: number;
  enterprises: number;
}

export function emptyFunding(): FundingSplit {
  return Object.fromEntries(FUNDING_SOURCES.map((s) => [s, 0])) as FundingSplit;
}

/**
 * Integer division rounded half to even ("banker's rounding"), exact for any size: ties go to
 * the even neighbour, so a long column of conversions carries no upward bias.
 */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new Error("The divisor must be positive");
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r2 = (a % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** part/whole in basis points, rounded half to even; null when whole is 0. */
export function shareBp(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Number(divRoundHalfEven(BigInt(part) * 10_000n, BigInt(whole)));
}

export function yearFigures(y: PlanYear): YearFigures {
  const costMinor = y.lines.reduce((sum, l) => sum + l.cycles * l.unitCostMinor, 0);
  const fundedMinor = FUNDING_SOURCES.reduce((sum, s) => sum + y.funding[s], 0);
  const nonIloMinor = fundedMinor - y.funding.ilo;
  return {
    year: y.year,
    costMinor,
    fundedMinor,
    nonIloMinor,
    nonIloShareBp: shareBp(nonIloMinor, costMinor),
    gapMinor: costMinor - fundedMinor,
    cycles: y.lines.reduce((sum, l) => sum + l.cycles, 0),
    enterprises: y.lines.reduce((sum, l) => sum + l.enterprises, 0),
  };
}

/** The non-ILO share floors of the stages that have one, from the template (never hard-coded). */
export function nonIloFloors(def: TemplateDefinition): { stageKey: string; stageName: string; thresholdPct: number }[] {
  const floors: { stageKey: string; stageName: string; thresholdPct: number }[] = [];
  for (const stage of def.stages) {
    const c = stage.gate.find((g) => g.metric === "non_ilo_share");
    if (c) floors.push({ stageKey: stage.key, stageName: stage.name, thresholdPct: c.threshold });
  }
  return floors;
}

/** Exact: nonIlo / cost ≥ threshold % ⇔ nonIlo · 100 ≥ threshold · cost (no rounded share involved). */
export function meetsShare(f: YearFigures, thresholdPct: number): boolean {
  return f.costMinor > 0 && f.nonIloMinor * 100 >= thresholdPct * f.costMinor;
}

export interface FloorYear {
  stageKey: string;
  stageName: string;
  thresholdPct: number;
  /** The first planned year whose non-ILO share reaches the floor; null when none does. */
  firstYear: number | null;
}

export interface PlanSummary {
  years: YearFigures[];
  floors: FloorYear[];
  totalCostMinor: number;
  totalGapMinor: number;
}

export function summarisePlan(plan: Pick<PlanFigures, "years">, def: TemplateDefinition): PlanSummary {
  const years = [...plan.years].sort((a, b) => a.year - b.year).map(yearFigures);
  const floors = nonIloFloors(def).map((f) => ({
    ...f,
    firstYear: years.find((y) => meetsShare(y, f.thresholdPct))?.year ?? null,
  }));
  return {
    years,
    floors,
    totalCostMinor: years.reduce((s, y) => s + y.costMinor, 0),
    totalGapMinor: years.reduce((s, y) => s + y.gapMinor, 0),
  };
}

/** Minor units of the plan's currency to US cents, rounded half to even (both have 100 minor units per unit). */
export function toUsdCents(minor: number, rate: UsdRate): number {
  return Number(divRoundHalfEven(BigInt(minor) * BigInt(rate.num), BigInt(rate.den)));
}

export interface RollUpYear {
  year: number;
  costUsdCents: number;
  nonIloUsdCents: number;
  gapUsdCents: number;
  nonIloShareBp: number | null;
  plans: number;
}

/**
 * A country's plans in one currency (USD). Each plan-year figure is converted once, rounded half
 * to even, then summed: each plan's row in the roll-up is its own figure converted, and the
 * rounding error is at most half a cent per plan and year.
 */
export function rollUpUsd(plans: PlanFigures[]): RollUpYear[] {
  const byYear = new Map<number, RollUpYear>();
  for (const plan of plans) {
    for (const f of plan.years.map(yearFigures)) {
      const row = byYear.get(f.year) ?? {
        year: f.year,
        costUsdCents: 0,
        nonIloUsdCents: 0,
        gapUsdCents: 0,
        nonIloShareBp: null,
        plans: 0,
      };
      row.costUsdCents += toUsdCents(f.costMinor, plan.usdRate);
      row.nonIloUsdCents += toUsdCents(f.nonIloMinor, plan.usdRate);
      row.gapUsdCents += toUsdCents(f.gapMinor, plan.usdRate);
      row.plans += 1;
      byYear.set(f.year, row);
    }
  }
  return [...byYear.values()]
    .sort((a, b) => a.year - b.year)
    .map((r) => ({ ...r, nonIloShareBp: shareBp(r.nonIloUsdCents, r.costUsdCents) }));
}

// ---- Actuals against the plan, per calendar quarter -------------------------------------------

/**
 * Quarters are calendar quarters (Jan–Mar, …): a product default that matches how partners
 * report to the ILO. The workflow checks each quarter once it has ended.
 */
export interface Quarter {
  year: number;
  q: 1 | 2 | 3 | 4;
}

export function quarterOf(ms: number): Quarter {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), q: (Math.floor(d.getUTCMonth() / 3) + 1) as Quarter["q"] };
}

export function quarterKey(q: Quarter): string {
  return `${q.year}-Q${q.q}`;
}

export function quarterStartMs(q: Quarter): number {
  return Date.UTC(q.year, (q.q - 1) * 3, 1);
}

export function nextQuarter(q: Quarter): Quarter {
  return q.q === 4 ? { year: q.year + 1, q: 1 } : { year: q.year, q: (q.q + 1) as Quarter["q"] };
}

/** First and last ISO day of the quarter. */
export function quarterDays(q: Quarter): { from: string; to: string } {
  const from = new Date(quarterStartMs(q)).toISOString().slice(0, 10);
  const to = new Date(quarterStartMs(nextQuarter(q)) - 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export interface ActualCycle {
  endedOn: string;
  costMinor: number;
  funding: FundingSplit;
}

export interface QuarterActuals {
  quarter: string;
  cycles: number;
  costMinor: number;
  nonIloMinor: number;
  nonIloShareBp: number | null;
}

export function quarterActuals(cycles: ActualCycle[], q: Quarter): QuarterActuals {
  const { from, to } = quarterDays(q);
  const inQ = cycles.filter((c) => c.endedOn >= from && c.endedOn <= to);
  const costMinor = inQ.reduce((s, c) => s + c.costMinor, 0);
  const nonIloMinor = inQ.reduce(
    (s, c) => s + FUNDING_SOURCES.reduce((t, src) => t + (src === "ilo" ? 0 : c.funding[src]), 0),
    0,
  );
  return { quarter: quarterKey(q), cycles: inQ.length, costMinor, nonIloMinor, nonIloShareBp: shareBp(nonIloMinor, costMinor) };
}

/** Every quarter of the plan's years, with the cycles recorded in it. */
export function actualsByQuarter(cycles: ActualCycle[], years: number[]): QuarterActuals[] {
  return years.flatMap((year) => ([1, 2, 3, 4] as const).map((q) => quarterActuals(cycles, { year, q })));
}

export interface Variance {
  quarter: string;
  plannedShareBp: number;
  actualShareBp: number;
  /** Actual minus planned, in basis points of share (100 = one percentage point). */
  varianceBp: number;
  exceeded: boolean;
}

/**
 * The quarter's non-ILO share against the share planned for its year. No variance without a
 * planned share or without any cost recorded in the quarter (nothing to compare).
 */
export function shareVariance(
  plan: Pick<PlanFigures, "years">,
  actual: QuarterActuals,
  q: Quarter,
  thresholdPp: number,
): Variance | null {
  const py = plan.years.find((y) => y.year === q.year);
  const planned = py ? yearFigures(py).nonIloShareBp : null;
  if (planned === null || actual.nonIloShareBp === null) return null;
  const varianceBp = actual.nonIloShareBp - planned;
  return {
    quarter: actual.quarter,
    plannedShareBp: planned,
    actualShareBp: actual.nonIloShareBp,
    varianceBp,
    exceeded: Math.abs(varianceBp) > thresholdPp * 100,
  };
}

/**
 * How far a quarter's delivery cost may stray from a quarter of the year's planned cost before
 * the ILO is alerted, in percent of the planned figure. A product default (plans carry only the
 * share threshold); quarters are taken as equal parts of the year.
 */
export const COST_VARIANCE_PCT = 25;

export interface CostVariance {
  quarter: string;
  /** A quarter of the year's planned cost, rounded half to even (for messages; the test is exact). */
  plannedMinor: number;
  actualMinor: number;
  /** (actual − planned) / planned, in basis points (2500 = 25 %). */
  varianceBp: number;
  exceeded: boolean;
}

/**
 * The quarter's recorded cost against a quarter of the cost planned for its year. Exact: with
 * planned = yearCost / 4, |actual − planned| / planned > p % ⇔ |4·actual − yearCost| · 100 > p · yearCost.
 * No variance without planned cost or without any cost recorded (as for the share).
 */
export function costVariance(
  plan: Pick<PlanFigures, "years">,
  actual: QuarterActuals,
  q: Quarter,
  thresholdPct = COST_VARIANCE_PCT,
): CostVariance | null {
  const py = plan.years.find((y) => y.year === q.year);
  const yearCost = py ? yearFigures(py).costMinor : 0;
  if (yearCost === 0 || actual.costMinor === 0) return null;
  const diff4 = actual.costMinor * 4 - yearCost;
  return {
    quarter: actual.quarter,
    plannedMinor: Number(divRoundHalfEven(BigInt(yearCost), 4n)),
    actualMinor: actual.costMinor,
    varianceBp: shareBp(diff4, yearCost)!,
    exceeded: Math.abs(diff4) * 100 > thresholdPct * yearCost,
  };
}

// ---- Formatting shared by pages and CSV --------------------------------------------------------

/** 1234567 → "12,345.67" (minor units, hundredths). */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}${units}.${String(abs % 100).padStart(2, "0")}`;
}

/** 6667 → "66.67 %". */
export function formatShareBp(bp: number | null): string {
  if (bp === null) return "—";
  const sign = bp < 0 ? "-" : "";
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} %`;
}
