import { addMonths, isoDate } from "./dates";
import type { PathwayRecords, TrainerRecord } from "./records";
import { FUNDING_SOURCES } from "./records";
import type { GateCriterion, MetricKey, ReadinessWeights, StageDefinition, TemplateDefinition } from "./template";
import { DEFAULT_READINESS_WEIGHTS, stageIndex } from "./template";
import { READINESS_DIMENSIONS } from "./records";
import { message, type Message } from "../i18n/message";

/**
 * Gate rules. Pure: the same functions run in the pathway workflow (on records an activity
 * loaded), in the loaders that draw the graph and in the report form's preview.
 */

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
  /**
   * The same as a message key with its values, rendered in the reader's language. Absent from
   * results evaluated before it existed (and from the frozen rules of old histories): pages then
   * show `basis`.
   */
  basisMessage?: Message;
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
  basisMessage: Message;
}

/** What a metric may need from the template besides its own parameters. */
export interface MetricContext {
  weights: ReadinessWeights;
}

type MetricFn = (r: PathwayRecords, today: string, p: GateCriterion["params"], ctx: MetricContext) => MetricValue;

/**
 * The readiness score, 0–100: each dimension's mean (1–4) as a share of the way from 1 to 4,
 * weighted by the template. A dimension not yet scored counts as 0, so a partial assessment
 * cannot pass a gate it would fail in full.
 */
export function readinessScore(r: PathwayRecords, weights: ReadinessWeights): MetricValue {
  const a = r.readiness;
  if (!a) return { value: 0, basis: "No ILO readiness assessment recorded", basisMessage: message("basis.noReadiness") };
  let total = 0;
  let sum = 0;
  const parts: string[] = [];
  const partMessages: Message[] = [];
  for (const d of READINESS_DIMENSIONS) {
    const w = weights[d];
    total += w;
    const mean = a.means[d];
    if (mean === null) {
      parts.push(`${d} not scored`);
      partMessages.push(message("basis.readinessPart.notScored", { dimension: message(`scorecard.dimension.${d}`) }));
      continue;
    }
    sum += w * ((Math.min(Math.max(mean, 1), 4) - 1) / 3) * 100;
    parts.push(`${d} ${Math.round(mean * 100) / 100}/4`);
    partMessages.push(
      message("basis.readinessPart", { dimension: message(`scorecard.dimension.${d}`), mean: Math.round(mean * 100) / 100 }),
    );
  }
  const value = total === 0 ? 0 : Math.round((sum / total) * 10) / 10;
  return {
    value,
    basis: `ILO assessment of ${a.assessedOn}: ${parts.join(", ")}`,
    basisMessage: message("basis.readiness", { on: a.assessedOn, parts: partMessages }),
  };
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

const yes = (ok: boolean, basis: string, basisMessage: Message): MetricValue => ({ value: ok ? 1 : 0, basis, basisMessage });

export const METRICS: Record<MetricKey, { unit: MetricUnit; compute: MetricFn }> = {
  mou_signed: {
    unit: "yes/no",
    compute: (r, today) =>
      yes(
        !!r.mouSignedOn && r.mouSignedOn <= today,
        r.mouSignedOn ? `MoU signed ${r.mouSignedOn}` : "No MoU recorded",
        r.mouSignedOn ? message("basis.mouSigned", { date: r.mouSignedOn }) : message("basis.noMou"),
      ),
  },
  score_in_portfolio: {
    unit: "yes/no",
    compute: (r) =>
      yes(
        r.scoreInPortfolio,
        r.scoreInPortfolio ? "Listed in service portfolio" : "Not yet listed",
        message(r.scoreInPortfolio ? "basis.listed" : "basis.notListed"),
      ),
  },
  trainers_trained: {
    unit: "count",
    compute: (r) => {
      const n = r.trainers.filter((t) => t.trainedOn).length;
      return { value: n, basis: `${n} trainers with a verified ToT`, basisMessage: message("basis.totTrainers", { n }) };
    },
  },
  women_share_trained: {
    unit: "percent",
    compute: (r) => {
      const trained = r.trainers.filter((t) => t.trainedOn);
      const women = trained.filter((t) => t.sex === "female").length;
      return {
        value: percent(women, trained.length),
        basis: `${women} women of ${trained.length} trained`,
        basisMessage: message("basis.womenTrained", { women, total: trained.length }),
      };
    },
  },
  certified_trainers: {
    unit: "count",
    compute: (r, today) => {
      const n = certifiedTrainers(r, today).length;
      return {
        value: n,
        basis: `${n} trainers holding an unexpired certification`,
        basisMessage: message("basis.certified", { n }),
      };
    },
  },
  certified_in_module: {
    unit: "count",
    compute: (r, today, p) => {
      const mod = p.module ?? "M1";
      const n = r.trainers.filter((t) => validCertifications(t, today).some((c) => c.module === mod)).length;
      return {
        value: n,
        basis: `${n} trainers certified for ${mod}`,
        basisMessage: message("basis.certifiedFor", { n, module: mod }),
      };
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
        basisMessage: list.length
          ? message("basis.modulesBesides", { module: mod, list: list.join(", ") })
          : message("basis.noModuleBesides", { module: mod }),
      };
    },
  },
  national_expert_trainers: {
    unit: "count",
    compute: (r) => {
      const n = r.trainers.filter((t) => t.nationalExpert).length;
      return { value: n, basis: `${n} national expert trainers`, basisMessage: message("basis.experts", { n }) };
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
        basisMessage: message("basis.active", { active, total: certified.length, from }),
      };
    },
  },
  business_plan_adopted: {
    unit: "yes/no",
    compute: (r, today) =>
      yes(
        !!r.businessPlanAdoptedOn && r.businessPlanAdoptedOn <= today,
        r.businessPlanAdoptedOn ? `Adopted ${r.businessPlanAdoptedOn}` : "No business plan recorded",
        r.businessPlanAdoptedOn ? message("basis.adopted", { date: r.businessPlanAdoptedOn }) : message("basis.noPlan"),
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
        basisMessage: message("basis.cycles", { n: cycles.length, from: windowStart(today, p.windowMonths) }),
      };
    },
  },
  non_ilo_sources: {
    unit: "count",
    compute: (r, today, p) => {
      const cycles = cyclesInWindow(r, today, p.windowMonths);
      const sources = NON_ILO.filter((s) => cycles.some((c) => c.funding[s] > 0));
      return {
        value: sources.length,
        basis: sources.length ? sources.join(", ").replaceAll("_", " ") : "No non-ILO funding",
        basisMessage: sources.length
          ? message("basis.words", { list: sources.map((s) => message(`funding.${s}`)) })
          : message("basis.noNonIlo"),
      };
    },
  },
  cycles_without_ilo: {
    unit: "count",
    compute: (r, today, p) => {
      const cycles = cyclesInWindow(r, today, p.windowMonths ?? 24).filter((c) => !c.iloStaffInvolved && c.funding.ilo === 0);
      return {
        value: cycles.length,
        basis: `${cycles.length} cycles with no ILO staff or money`,
        basisMessage: message("basis.noIloCycles", { n: cycles.length }),
      };
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
      return yes(
        live.length > 0,
        live.length ? live.map((c) => c.kind.replaceAll("_", " ")).join(", ") : "None in force",
        live.length
          ? message("basis.words", { list: live.map((c) => message(`field.commitment.${c.kind}`)) })
          : message("basis.noneInForce"),
      );
    },
  },
};

export function evaluateCriterion(
  c: GateCriterion,
  records: PathwayRecords,
  today: string,
  weights: ReadinessWeights = DEFAULT_READINESS_WEIGHTS,
): CriterionResult {
  const metric = METRICS[c.metric];
  const { value, basis, basisMessage } = metric.compute(records, today, c.params ?? {}, { weights });
  return {
    key: c.key,
    label: c.label,
    value,
    threshold: c.threshold,
    unit: metric.unit,
    met: value >= c.threshold,
    basis,
    basisMessage,
  };
}

/** `weights` are the template's readiness weights (the default ones when not given). */
export function evaluateGate(
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

/** Everything the pathway workflow needs to know from one evaluation of an institution's records. */
export interface PathwayEvaluation {
  nextGate: GateResult | null;
  failingFloors: FloorFailure[];
  /** The earliest certification expiry after today (`YYYY-MM-DD`), when the floors may change. */
  nextExpiryOn: string | null;
}

/** One evaluation of an institution at its stage: the next gate, the floors, the next expiry. */
export function evaluatePathway(
  def: TemplateDefinition,
  currentStageKey: string,
  records: PathwayRecords,
  now: Date | number,
): PathwayEvaluation {
  return {
    nextGate: evaluateNextGate(def, currentStageKey, records, now),
    failingFloors: failingFloors(def, currentStageKey, records, now),
    nextExpiryOn: nextCertificationExpiry(records, now),
  };
}
