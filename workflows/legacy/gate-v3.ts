/**
 * The gate rules as they were when pathway workflows evaluated gates themselves (workflow code
 * up to version 3, before the `gate-evaluated-in-activity` patch). FROZEN: histories recorded
 * by that code replay through this file, so it must keep giving, for the same records, exactly
 * what it gave then. Never edit it to correct a rule; correct the rules in app/domain/gate.ts,
 * which runs in an activity whose results are recorded (docs/decisions/005).
 *
 * Self-contained on purpose: it imports nothing, not even types, so a change elsewhere cannot
 * change it.
 */

function isoDate(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 10);
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return isoDate(target);
}

/** Milliseconds since the epoch for the start of an ISO date (UTC). */
export function dateMs(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

const FUNDING_SOURCES = ["enterprise_fee", "institution_funds", "government", "sponsor", "other_donor", "ilo"] as const;
type FundingSource = (typeof FUNDING_SOURCES)[number];
const READINESS_DIMENSIONS = ["technical", "institutional", "financial"] as const;
type ReadinessDimension = (typeof READINESS_DIMENSIONS)[number];

interface TrainerRecord {
  id: string;
  sex: "female" | "male";
  nationalExpert: boolean;
  trainedOn: string | null;
  lastActiveOn: string | null;
  certifications: { module: string; certifiedOn: string; expiresOn: string }[];
}

/** The records the `loadRecords` activity returned then, as recorded in those histories. */
export interface LegacyRecords {
  mouSignedOn: string | null;
  scoreInPortfolio: boolean;
  businessPlanAdoptedOn: string | null;
  trainers: TrainerRecord[];
  cycles: { module: string; endedOn: string; funding: Record<FundingSource, number>; iloStaffInvolved: boolean }[];
  commitments: { kind: string; startsOn: string; endsOn: string | null }[];
  readiness?: { assessedOn: string; means: Record<ReadinessDimension, number | null> } | null;
}
type PathwayRecords = LegacyRecords;

type MetricKey =
  | "mou_signed"
  | "score_in_portfolio"
  | "trainers_trained"
  | "women_share_trained"
  | "certified_trainers"
  | "certified_in_module"
  | "modules_certified_besides"
  | "national_expert_trainers"
  | "active_share_certified"
  | "business_plan_adopted"
  | "non_ilo_share"
  | "non_ilo_sources"
  | "cycles_without_ilo"
  | "sustained_funding"
  | "readiness_score";

type ReadinessWeights = Record<ReadinessDimension, number>;
const DEFAULT_READINESS_WEIGHTS: ReadinessWeights = { technical: 35, institutional: 30, financial: 35 };

interface GateCriterion {
  key: string;
  label: string;
  metric: MetricKey;
  params?: { module?: string; windowMonths?: number };
  threshold: number;
  floor?: { consecutiveReviews: number };
}
interface StageDefinition {
  key: string;
  name: string;
  gate: GateCriterion[];
}
/** The parts of a template definition the rules read. */
export interface LegacyTemplateDefinition {
  stages: StageDefinition[];
  readinessWeights?: ReadinessWeights;
}
type TemplateDefinition = LegacyTemplateDefinition;

export function stageIndex(def: TemplateDefinition, stageKey: string): number {
  const i = def.stages.findIndex((s) => s.key === stageKey);
  if (i < 0) throw new Error(`Unknown stage "${stageKey}" in template`);
  return i;
}

export type MetricUnit = "count" | "percent" | "yes/no" | "score";

export interface CriterionResult {
  key: string;
  label: string;
  value: number;
  threshold: number;
  unit: MetricUnit;
  met: boolean;
  /** How the value was computed, in words, so every number can be traced to its records. */
  basis: string;
}

export interface GateResult {
  stageKey: string;
  stageName: string;
  met: boolean;
  criteria: CriterionResult[];
  /** Share of criteria met, 0–100, for progress bars. */
  progress: number;
}

interface MetricValue {
  value: number;
  basis: string;
}

/** What a metric may need from the template besides its own parameters. */
interface MetricContext {
  weights: ReadinessWeights;
}

type MetricFn = (r: PathwayRecords, today: string, p: NonNullable<GateCriterion["params"]>, ctx: MetricContext) => MetricValue;

/**
 * The readiness score, 0–100: each dimension's mean (1–4) as a share of the way from 1 to 4,
 * weighted by the template. A dimension not yet scored counts as 0, so a partial assessment
 * cannot pass a gate it would fail in full.
 */
function readinessScore(r: PathwayRecords, weights: ReadinessWeights): MetricValue {
  const a = r.readiness;
  if (!a) return { value: 0, basis: "No ILO readiness assessment recorded" };
  let total = 0;
  let sum = 0;
  const parts: string[] = [];
  for (const d of READINESS_DIMENSIONS) {
    const w = weights[d];
    total += w;
    const mean = a.means[d];
    if (mean === null) {
      parts.push(`${d} not scored`);
      continue;
    }
    sum += w * ((Math.min(Math.max(mean, 1), 4) - 1) / 3) * 100;
    parts.push(`${d} ${Math.round(mean * 100) / 100}/4`);
  }
  const value = total === 0 ? 0 : Math.round((sum / total) * 10) / 10;
  return { value, basis: `ILO assessment of ${a.assessedOn}: ${parts.join(", ")}` };
}

const NON_ILO = FUNDING_SOURCES.filter((s) => s !== "ilo");

function validCertifications(t: TrainerRecord, today: string) {
  return t.certifications.filter((c) => c.certifiedOn <= today && c.expiresOn > today);
}

function certifiedTrainers(r: PathwayRecords, today: string) {
  return r.trainers.filter((t) => validCertifications(t, today).length > 0);
}

function windowStart(today: string, months: number | undefined) {
  return addMonths(today, -(months ?? 12));
}

function cyclesInWindow(r: PathwayRecords, today: string, months: number | undefined) {
  const from = windowStart(today, months);
  return r.cycles.filter((c) => c.endedOn > from && c.endedOn <= today);
}

function percent(part: number, whole: number) {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

const yes = (ok: boolean, basis: string): MetricValue => ({ value: ok ? 1 : 0, basis });

const METRICS: Record<MetricKey, { unit: MetricUnit; compute: MetricFn }> = {
  mou_signed: {
    unit: "yes/no",
    compute: (r, today) =>
      yes(!!r.mouSignedOn && r.mouSignedOn <= today, r.mouSignedOn ? `MoU signed ${r.mouSignedOn}` : "No MoU recorded"),
  },
  score_in_portfolio: {
    unit: "yes/no",
    compute: (r) => yes(r.scoreInPortfolio, r.scoreInPortfolio ? "Listed in service portfolio" : "Not yet listed"),
  },
  trainers_trained: {
    unit: "count",
    compute: (r) => {
      const n = r.trainers.filter((t) => t.trainedOn).length;
      return { value: n, basis: `${n} trainers with a verified ToT` };
    },
  },
  women_share_trained: {
    unit: "percent",
    compute: (r) => {
      const trained = r.trainers.filter((t) => t.trainedOn);
      const women = trained.filter((t) => t.sex === "female").length;
      return { value: percent(women, trained.length), basis: `${women} women of ${trained.length} trained` };
    },
  },
  certified_trainers: {
    unit: "count",
    compute: (r, today) => {
      const n = certifiedTrainers(r, today).length;
      return { value: n, basis: `${n} trainers holding an unexpired certification` };
    },
  },
  certified_in_module: {
    unit: "count",
    compute: (r, today, p) => {
      const mod = p.module ?? "M1";
      const n = r.trainers.filter((t) => validCertifications(t, today).some((c) => c.module === mod)).length;
      return { value: n, basis: `${n} trainers certified for ${mod}` };
    },
  },
  modules_certified_besides: {
    unit: "count",
    compute: (r, today, p) => {
      const mod = p.module ?? "M1";
      const modules = new Set(
        r.trainers.flatMap((t) => validCertifications(t, today).map((c) => c.module)).filter((m) => m !== mod),
      );
      const list = [...modules].sort();
      return {
        value: list.length,
        basis: list.length ? `Modules besides ${mod}: ${list.join(", ")}` : `No module besides ${mod}`,
      };
    },
  },
  national_expert_trainers: {
    unit: "count",
    compute: (r) => {
      const n = r.trainers.filter((t) => t.nationalExpert).length;
      return { value: n, basis: `${n} national expert trainers` };
    },
  },
  active_share_certified: {
    unit: "percent",
    compute: (r, today, p) => {
      const certified = certifiedTrainers(r, today);
      const from = windowStart(today, p.windowMonths);
      const active = certified.filter((t) => t.lastActiveOn && t.lastActiveOn > from).length;
      return {
        value: percent(active, certified.length),
        basis: `${active} of ${certified.length} certified trainers active since ${from}`,
      };
    },
  },
  business_plan_adopted: {
    unit: "yes/no",
    compute: (r, today) =>
      yes(
        !!r.businessPlanAdoptedOn && r.businessPlanAdoptedOn <= today,
        r.businessPlanAdoptedOn ? `Adopted ${r.businessPlanAdoptedOn}` : "No business plan recorded",
      ),
  },
  non_ilo_share: {
    unit: "percent",
    compute: (r, today, p) => {
      const cycles = cyclesInWindow(r, today, p.windowMonths);
      let total = 0;
      let nonIlo = 0;
      for (const c of cycles) {
        for (const s of FUNDING_SOURCES) {
          total += c.funding[s];
          if (s !== "ilo") nonIlo += c.funding[s];
        }
      }
      return {
        value: percent(nonIlo, total),
        basis: `${cycles.length} cycles ended since ${windowStart(today, p.windowMonths)}`,
      };
    },
  },
  non_ilo_sources: {
    unit: "count",
    compute: (r, today, p) => {
      const cycles = cyclesInWindow(r, today, p.windowMonths);
      const sources = NON_ILO.filter((s) => cycles.some((c) => c.funding[s] > 0));
      return { value: sources.length, basis: sources.length ? sources.join(", ").replaceAll("_", " ") : "No non-ILO funding" };
    },
  },
  cycles_without_ilo: {
    unit: "count",
    compute: (r, today, p) => {
      const cycles = cyclesInWindow(r, today, p.windowMonths ?? 24).filter((c) => !c.iloStaffInvolved && c.funding.ilo === 0);
      return { value: cycles.length, basis: `${cycles.length} cycles with no ILO staff or money` };
    },
  },
  readiness_score: {
    unit: "score",
    compute: (r, _today, _p, ctx) => readinessScore(r, ctx.weights),
  },
  sustained_funding: {
    unit: "yes/no",
    compute: (r, today) => {
      const live = r.commitments.filter((c) => c.startsOn <= today && (!c.endsOn || c.endsOn >= today));
      return yes(live.length > 0, live.length ? live.map((c) => c.kind.replaceAll("_", " ")).join(", ") : "None in force");
    },
  },
};

function evaluateCriterion(
  c: GateCriterion,
  records: PathwayRecords,
  today: string,
  weights: ReadinessWeights = DEFAULT_READINESS_WEIGHTS,
): CriterionResult {
  const metric = METRICS[c.metric];
  const { value, basis } = metric.compute(records, today, c.params ?? {}, { weights });
  return { key: c.key, label: c.label, value, threshold: c.threshold, unit: metric.unit, met: value >= c.threshold, basis };
}

/** `weights` are the template's readiness weights (the default ones when not given). */
function evaluateGate(
  stage: StageDefinition,
  records: PathwayRecords,
  now: Date | number,
  weights: ReadinessWeights = DEFAULT_READINESS_WEIGHTS,
): GateResult {
  const today = isoDate(now);
  const criteria = stage.gate.map((c) => evaluateCriterion(c, records, today, weights));
  const metCount = criteria.filter((c) => c.met).length;
  return {
    stageKey: stage.key,
    stageName: stage.name,
    met: criteria.every((c) => c.met),
    criteria,
    progress: criteria.length === 0 ? 100 : Math.round((metCount / criteria.length) * 100),
  };
}

/** The gate into the stage after `currentStageKey`, or null at the last stage. */
export function evaluateNextGate(
  def: TemplateDefinition,
  currentStageKey: string,
  records: PathwayRecords,
  now: Date | number,
): GateResult | null {
  const next = def.stages[stageIndex(def, currentStageKey) + 1];
  return next ? evaluateGate(next, records, now, def.readinessWeights) : null;
}

export interface FloorFailure {
  stageKey: string;
  criterion: CriterionResult;
  consecutiveReviews: number;
}

/**
 * Floor criteria of every stage reached so far (the current one included) that fail today.
 * The workflow counts consecutive failures; the lowest failing stage decides where a slip lands.
 */
export function failingFloors(
  def: TemplateDefinition,
  currentStageKey: string,
  records: PathwayRecords,
  now: Date | number,
): FloorFailure[] {
  const today = isoDate(now);
  const reached = def.stages.slice(1, stageIndex(def, currentStageKey) + 1);
  return reached.flatMap((stage) =>
    stage.gate
      .filter((c) => c.floor)
      .map((c) => ({
        stageKey: stage.key,
        criterion: evaluateCriterion(c, records, today, def.readinessWeights),
        consecutiveReviews: c.floor!.consecutiveReviews,
      }))
      .filter((f) => !f.criterion.met),
  );
}

/** The earliest expiry after `now` among certifications in force: when the floors may change. */
export function nextCertificationExpiry(records: PathwayRecords, now: Date | number): string | null {
  const today = isoDate(now);
  let next: string | null = null;
  for (const t of records.trainers)
    for (const c of t.certifications) if (c.expiresOn > today && (next === null || c.expiresOn < next)) next = c.expiresOn;
  return next;
}
