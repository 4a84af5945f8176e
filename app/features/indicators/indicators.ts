import type { FundingSource } from "../../domain/records";
import { INDICATOR_KEYS, type IndicatorKey } from "./indicator-catalogue";

/**
 * The logframe's indicators: each one a definition with its computation over one country's
 * records for one period (a programme phase). Pure: the caller loads the records and passes the
 * period; nothing here reads the clock or the database. Every computed actual names the records
 * it was computed from, so a page can show them one click away.
 *
 * Dates are ISO `YYYY-MM-DD`; a period includes both its first and its last day.
 */

export interface Period {
  startsOn: string;
  endsOn: string;
}

export interface InstitutionFacts {
  id: string;
  name: string;
  /** The stage keys of the institution's pathway template, in order. */
  stages: string[];
  mouSignedOn: string | null;
  businessPlanAdoptedOn: string | null;
  /** The "SCORE in its regular portfolio" flag, and the day a verified report listed it (null: set without a date, by an import). */
  scoreInPortfolio: boolean;
  portfolioListedOn: string | null;
  /** Every stage transition (start, advance, slip back), with the UTC day it happened. */
  transitions: { id: string; toStage: string; on: string; at: string }[];
}

export interface TrainerFacts {
  id: string;
  institutionId: string;
  sex: "female" | "male";
  trainedOn: string | null;
  nationalExpert: boolean;
  /** The first day the trainer held a certification; the expert flag carries no date of its own. */
  firstCertifiedOn: string | null;
}

export interface CycleFacts {
  id: string;
  institutionId: string;
  /** The SCORE module of the cycle (targets per module count its cycles). */
  moduleCode?: string;
  enterpriseId: string;
  endedOn: string;
  currency: string;
  /** Minor units; may exceed 2^53 in sums, so they are summed as bigint. */
  cost: bigint;
  funding: Record<FundingSource, bigint>;
}

export interface CommitmentFacts {
  id: string;
  institutionId: string;
  funder: string;
  startsOn: string;
  endsOn: string | null;
}

export interface CountryRecords {
  institutions: InstitutionFacts[];
  trainers: TrainerFacts[];
  cycles: CycleFacts[];
  commitments: CommitmentFacts[];
}

/**
 * One phase's definitions (indicator_phase_settings): which institutions count as embedding
 * SCORE at the period's end — at or past a stage, with the "SCORE in its regular portfolio" flag,
 * or both (each condition given must hold). Independent of the gates' criteria.
 */
export interface IndicatorSettings {
  /** Institutions at or past this stage at the period's end; null: the stage does not matter. */
  embeddingStage: string | null;
  /** Institutions with the portfolio flag (dated by its verified listing, when there is one). */
  embeddingPortfolioFlag: boolean;
}

export const DEFAULT_INDICATOR_SETTINGS: IndicatorSettings = { embeddingStage: "cost_recovery", embeddingPortfolioFlag: false };

/** Whether an institution counts as embedding SCORE on a day, under one phase's definition. */
export function embedsOn(inst: InstitutionFacts, day: string, settings: IndicatorSettings): boolean {
  if (settings.embeddingPortfolioFlag) {
    if (!inst.scoreInPortfolio) return false;
    if (inst.portfolioListedOn !== null && inst.portfolioListedOn > day) return false;
  }
  if (settings.embeddingStage === null) return settings.embeddingPortfolioFlag;
  const stage = stageOn(inst, day);
  const threshold = inst.stages.indexOf(settings.embeddingStage);
  return stage !== null && threshold >= 0 && inst.stages.indexOf(stage) >= threshold;
}

export type RecordType = "institution" | "trainer" | "cycle" | "commitment";
export interface RecordRef {
  type: RecordType;
  id: string;
}

export type IndicatorUnit = "institutions" | "percent" | "payers" | "mous" | "people" | "plans" | "clusters" | "yes_no";

export interface ComputedActual {
  kind: "computed";
  /** null when the records hold nothing to compute from (e.g. no cycle ended in the period). */
  value: number | null;
  unit: IndicatorUnit;
  records: RecordRef[];
  /** For people counted by sex: how many are women and their share (percent, 1 decimal). */
  women?: { count: number; percent: number | null };
  /** For the cost share: the share per currency when a country's cycles use more than one. */
  perCurrency?: { currency: string; cost: string; nonIlo: string; percent: number }[];
}

export interface IndicatorDefinition {
  key: IndicatorKey;
  unit: IndicatorUnit;
  /** "computed" from the records, or "manual": entered with evidence by an ILO admin or manager. */
  source: "computed" | "manual";
  compute?(records: CountryRecords, period: Period, settings: IndicatorSettings): ComputedActual;
  /**
   * The same actual from what the database counted for the country and period (`CountryCounts`):
   * the logframe page and its exports use this, so no page loads every record. `compute` stays the
   * definition in full, over the records themselves (the drill-down to an actual's records, and the
   * tests that check the two agree).
   */
  fromCounts?(counts: CountryCounts): CountedActual;
}

/** A computed actual without the list of its records, only how many there are. */
export type CountedActual = Omit<ComputedActual, "records"> & { recordCount: number };

/**
 * What the database counts for one country and period, for the computed indicators (db/queries/
 * indicators.ts `countIndicatorFacts`), each figure counted exactly as its `compute` counts records.
 */
export interface CountryCounts {
  /** Institutions at or past the embedding stage at the period's end. */
  embedding: number;
  /** Cycles ended in the period, per currency: their cost and what non-ILO sources paid (minor units). */
  costPerCurrency: { currency: string; cost: bigint; nonIlo: bigint; cycles: number }[];
  /** The same per module and currency, for targets per module (./dimensions.ts). */
  costPerModule: { module: string; currency: string; cost: bigint; nonIlo: bigint; cycles: number }[];
  /** Distinct payers (funders by name, fee-paying enterprises), and the records they rest on. */
  payers: { distinct: number; commitments: number; feeCycles: number };
  mous: number;
  plans: number;
  trained: { people: number; women: number };
  experts: { people: number; women: number };
}

const NON_ILO: FundingSource[] = ["enterprise_fee", "institution_funds", "government", "sponsor", "other_donor"];

const within = (day: string | null, p: Period) => day !== null && day >= p.startsOn && day <= p.endsOn;
const byEnd = (day: string | null, p: Period) => day !== null && day <= p.endsOn;

/** Percent with 1 decimal from whole numbers, rounded half up, without floating error in the ratio. */
export function percentOf(part: bigint, whole: bigint, decimals = 1): number | null {
  if (whole <= 0n) return null;
  const scale = 10n ** BigInt(decimals);
  const scaled = (part * 100n * scale * 2n + whole) / (whole * 2n);
  return Number(scaled) / Number(scale);
}

/** The stage an institution was at on a day, from its transition history (null: not yet on the pathway). */
export function stageOn(inst: InstitutionFacts, day: string): string | null {
  let stage: string | null = null;
  let last = "";
  for (const t of inst.transitions) {
    if (t.on > day) continue;
    // Same day: the later timestamp wins, so a slip back in the afternoon undoes a morning's advance.
    if (t.at >= last) {
      stage = t.toStage;
      last = t.at;
    }
  }
  return stage;
}

function embedding(records: CountryRecords, period: Period, settings: IndicatorSettings): ComputedActual {
  const counted = records.institutions.filter((inst) => embedsOn(inst, period.endsOn, settings));
  return {
    kind: "computed",
    value: counted.length,
    unit: "institutions",
    records: counted.map((i) => ({ type: "institution", id: i.id })),
  };
}

/**
 * Share of the cost of cycles ended in the period paid from non-ILO sources, in exact minor
 * units. Amounts in different currencies are never added: with one currency the share is the
 * country's; with several, each currency's share is given and the country's value is left empty.
 */
function costShare(records: CountryRecords, period: Period): ComputedActual {
  const cycles = records.cycles.filter((c) => within(c.endedOn, period));
  const sums = new Map<string, { cost: bigint; nonIlo: bigint }>();
  for (const c of cycles) {
    const s = sums.get(c.currency) ?? { cost: 0n, nonIlo: 0n };
    s.cost += c.cost;
    s.nonIlo += NON_ILO.reduce((sum, src) => sum + c.funding[src], 0n);
    sums.set(c.currency, s);
  }
  const share = shareOf([...sums].map(([currency, s]) => ({ currency, ...s })));
  return { kind: "computed", ...share, unit: "percent", records: cycles.map((c) => ({ type: "cycle", id: c.id })) };
}

/** The non-ILO share from each currency's sums: the country's value with one currency, per currency always. */
export function shareOf(sums: { currency: string; cost: bigint; nonIlo: bigint }[]) {
  const perCurrency = [...sums]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((s) => ({
      currency: s.currency,
      cost: s.cost.toString(),
      nonIlo: s.nonIlo.toString(),
      percent: percentOf(s.nonIlo, s.cost) ?? 0,
    }));
  const value = perCurrency.length === 1 ? percentOf(BigInt(perCurrency[0].nonIlo), BigInt(perCurrency[0].cost)) : null;
  return { value, perCurrency };
}

/**
 * Distinct non-ILO payers in the period: each named funder of a budget line or sponsorship in
 * force at some time in the period (names compared trimmed and case-insensitively), plus each
 * enterprise that paid a fee for a cycle ended in the period. Cycle amounts from government or
 * sponsors name no payer, so they cannot be told apart and are not counted as payers.
 */
function payers(records: CountryRecords, period: Period): ComputedActual {
  const seen = new Set<string>();
  const refs: RecordRef[] = [];
  for (const c of records.commitments) {
    if (c.startsOn > period.endsOn || (c.endsOn !== null && c.endsOn < period.startsOn)) continue;
    refs.push({ type: "commitment", id: c.id });
    seen.add(`funder:${c.funder.trim().toLowerCase()}`);
  }
  for (const c of records.cycles) {
    if (!within(c.endedOn, period) || c.funding.enterprise_fee <= 0n) continue;
    refs.push({ type: "cycle", id: c.id });
    seen.add(`enterprise:${c.enterpriseId}`);
  }
  return { kind: "computed", value: seen.size, unit: "payers", records: refs };
}

function institutionsDated(unit: IndicatorUnit, dateOf: (i: InstitutionFacts) => string | null) {
  return (records: CountryRecords, period: Period): ComputedActual => {
    const counted = records.institutions.filter((i) => byEnd(dateOf(i), period));
    return { kind: "computed", value: counted.length, unit, records: counted.map((i) => ({ type: "institution", id: i.id })) };
  };
}

function people(list: TrainerFacts[]): ComputedActual {
  const women = list.filter((t) => t.sex === "female").length;
  return { ...peopleCounted(list.length, women), records: list.map((t) => ({ type: "trainer", id: t.id })) };
}

function peopleCounted(total: number, women: number): CountedActual {
  return {
    kind: "computed",
    value: total,
    unit: "people",
    recordCount: total,
    women: { count: women, percent: percentOf(BigInt(women), BigInt(total)) },
  };
}

const counted = (unit: IndicatorUnit, value: number, recordCount = value): CountedActual => ({
  kind: "computed",
  value,
  unit,
  recordCount,
});

export const INDICATORS: IndicatorDefinition[] = [
  {
    key: "institutions_embedding",
    unit: "institutions",
    source: "computed",
    compute: embedding,
    fromCounts: (c) => counted("institutions", c.embedding),
  },
  {
    key: "non_ilo_cost_share",
    unit: "percent",
    source: "computed",
    compute: costShare,
    fromCounts: (c) => ({
      kind: "computed",
      unit: "percent",
      ...shareOf(c.costPerCurrency),
      recordCount: c.costPerCurrency.reduce((n, s) => n + s.cycles, 0),
    }),
  },
  {
    key: "paying_sponsors",
    unit: "payers",
    source: "computed",
    compute: payers,
    fromCounts: (c) => counted("payers", c.payers.distinct, c.payers.commitments + c.payers.feeCycles),
  },
  { key: "clusters_selected", unit: "clusters", source: "manual" },
  // MoUs and business plans count up to the period's end: both stay in force once made.
  {
    key: "mous_signed",
    unit: "mous",
    source: "computed",
    compute: institutionsDated("mous", (i) => i.mouSignedOn),
    fromCounts: (c) => counted("mous", c.mous),
  },
  // Partner staff trained: trainers who completed a ToT within the period.
  {
    key: "partner_staff_trained",
    unit: "people",
    source: "computed",
    compute: (r, p) => people(r.trainers.filter((t) => within(t.trainedOn, p))),
    fromCounts: (c) => peopleCounted(c.trained.people, c.trained.women),
  },
  {
    key: "business_plans",
    unit: "plans",
    source: "computed",
    compute: institutionsDated("plans", (i) => i.businessPlanAdoptedOn),
    fromCounts: (c) => counted("plans", c.plans),
  },
  // National expert trainers by the period's end, dated by their first certification.
  {
    key: "national_expert_trainers",
    unit: "people",
    source: "computed",
    compute: (r, p) => people(r.trainers.filter((t) => t.nationalExpert && byEnd(t.firstCertifiedOn, p))),
    fromCounts: (c) => peopleCounted(c.experts.people, c.experts.women),
  },
  { key: "centre_of_excellence", unit: "yes_no", source: "manual" },
];

// Every catalogue key has a definition (checked once when the module loads).
for (const key of INDICATOR_KEYS)
  if (!INDICATORS.some((d) => d.key === key)) throw new Error(`Indicator ${key} has no definition`);

export function indicatorDefinition(key: string): IndicatorDefinition | undefined {
  return INDICATORS.find((d) => d.key === key);
}

export interface ManualActual {
  /** null: entered as "unknown", which is never 0 — or a qualitative actual, given in `text`. */
  value: number | null;
  text?: string | null;
  /** A link (http/https) or a document reference to the evidence. */
  evidence: string;
  note: string;
  enteredBy: string;
  enteredAt: string;
}

export interface LogframeCell {
  country: string;
  target: number | null;
  actual: ComputedActual | { kind: "manual"; value: number | null; unit: IndicatorUnit; entry: ManualActual | null };
  /** actual ÷ target in percent (1 decimal); null without a target above zero or an actual. */
  achieved: number | null;
}

/** actual ÷ target as a percent with one decimal, null when either is missing or the target is zero. */
export function achievedPercent(actual: number | null, target: number | null): number | null {
  if (actual === null || target === null || target <= 0) return null;
  return Math.round((actual / target) * 1000) / 10;
}

/** A target of 0 with an actual above it: exceeded, though no percentage can say by how much. */
export function exceededZero(actual: number | null, target: number | null): boolean {
  return target === 0 && actual !== null && actual > 0;
}

/** One cell of the logframe: target, actual (computed or manual) and % achieved. */
export function logframeCell(
  def: IndicatorDefinition,
  country: string,
  records: CountryRecords,
  period: Period,
  settings: IndicatorSettings,
  target: number | null,
  manual: ManualActual | null,
): LogframeCell {
  const actual: LogframeCell["actual"] =
    def.source === "computed" && def.compute
      ? def.compute(records, period, settings)
      : { kind: "manual", value: manual?.value ?? null, unit: def.unit, entry: manual };
  return { country, target, actual, achieved: achievedPercent(actual.value, target) };
}

export interface CountedCell {
  country: string;
  target: number | null;
  actual: CountedActual | { kind: "manual"; value: number | null; unit: IndicatorUnit; entry: ManualActual | null };
  achieved: number | null;
}

/** One cell of the logframe from the database's counts: what `logframeCell` gives, with a record count for the list of records. */
export function countedCell(
  def: IndicatorDefinition,
  country: string,
  counts: CountryCounts,
  target: number | null,
  manual: ManualActual | null,
): CountedCell {
  const actual: CountedCell["actual"] =
    def.source === "computed" && def.fromCounts
      ? def.fromCounts(counts)
      : { kind: "manual", value: manual?.value ?? null, unit: def.unit, entry: manual };
  return { country, target, actual, achieved: achievedPercent(actual.value, target) };
}
