import { METRIC_KEYS, TemplateDefinitionSchema, type MetricKey, type TemplateDefinition } from "../../domain/template";

/**
 * The template editor's draft and the rules a draft must pass before it is saved. Pure: the
 * browser shows the same refusals the server gives (the server always checks again).
 *
 * In the editor the order of stages is a graph: each stage is a node and an arrow leads from a
 * stage to the next. The first stage in the list is where every pathway begins; the arrows
 * must make one chain from it through every stage.
 */

export type MetricKind = "yes_no" | "percent" | "score" | "count";

export const METRIC_KIND: Record<MetricKey, MetricKind> = {
  mou_signed: "yes_no",
  score_in_portfolio: "yes_no",
  trainers_trained: "count",
  women_share_trained: "percent",
  certified_trainers: "count",
  certified_in_module: "count",
  modules_certified_besides: "count",
  national_expert_trainers: "count",
  active_share_certified: "percent",
  business_plan_adopted: "yes_no",
  non_ilo_share: "percent",
  non_ilo_sources: "count",
  cycles_without_ilo: "count",
  sustained_funding: "yes_no",
  readiness_score: "score",
};

/** Metrics that count per module (the module is a parameter). */
export const METRICS_WITH_MODULE: readonly MetricKey[] = ["certified_in_module", "modules_certified_besides"];
/** Metrics that look back over a window of months. */
export const METRICS_WITH_WINDOW: readonly MetricKey[] = [
  "active_share_certified",
  "non_ilo_share",
  "non_ilo_sources",
  "cycles_without_ilo",
];

export const TIMER_KEYS = ["reminderAfterDays", "escalateAfterDays", "reviewEveryDays", "certificationValidityMonths"] as const;
export const WEIGHT_KEYS = ["technical", "institutional", "financial"] as const;

type Num = string | number | null | undefined;

export interface DraftCriterion {
  key: string;
  label: string;
  metric: string;
  module?: string;
  windowMonths?: Num;
  threshold: Num;
  /** Consecutive failed reviews before a slip back is flagged; empty when not a floor. */
  floorReviews?: Num;
  /** The label in other languages, by language code (empty: the default language's is shown). */
  labels?: Record<string, string>;
}

export interface DraftStage {
  /** The node's id in the editor, stable while the key is being edited. */
  id: string;
  key: string;
  name: string;
  description: string;
  /** The name and description in other languages, by language code. */
  names?: Record<string, string>;
  descriptions?: Record<string, string>;
  gate: DraftCriterion[];
}

export interface TemplateDraft {
  stages: DraftStage[];
  /** Arrows between stage ids: `from` comes right before `to`. */
  edges: { from: string; to: string }[];
  timers: Record<(typeof TIMER_KEYS)[number], Num>;
  readinessWeights: Record<(typeof WEIGHT_KEYS)[number], Num>;
  notes?: string;
  /** The template's name in other languages (kept as they were; not edited in the editor yet). */
  templateNames?: Record<string, string>;
}

export interface TemplateProblem {
  /** Message key in the `templates` area: `templates.error.<code>`. */
  code: string;
  vars: Record<string, string | number>;
  /** Where it goes in the form: `stages.<id>`, `stages.<id>.key`, `stages.<id>.gate.<i>.threshold`, `timers.<key>`, `weights`… */
  field: string;
  /** The stage the problem belongs to, to mark it on the graph. */
  stageId?: string;
}

export type DraftResult = { ok: true; definition: TemplateDefinition } | { ok: false; problems: TemplateProblem[] };

const KEY_RE = /^[a-z][a-z0-9_]*$/;

/** A number typed in a form: undefined when empty, NaN when not a number. */
export function parseNumber(v: Num): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") return v;
  const s = v.trim();
  if (s === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

/** The stages in pathway order, following the arrows from the first stage. */
function chainOrder(draft: TemplateDraft, problems: TemplateProblem[]): DraftStage[] {
  const byId = new Map(draft.stages.map((s) => [s.id, s]));
  const label = (s: DraftStage) => s.name || s.key || s.id;
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  for (const e of draft.edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  }
  const first = draft.stages[0];
  if (!first) return [];
  for (const s of draft.stages) {
    const next = out.get(s.id) ?? [];
    if (new Set(next).size > 1) {
      problems.push({
        code: "branch",
        vars: { stage: label(s), count: new Set(next).size },
        field: `stages.${s.id}`,
        stageId: s.id,
      });
    }
    const prev = new Set(into.get(s.id) ?? []);
    if (s.id === first.id && prev.size > 0) {
      problems.push({ code: "firstHasPrevious", vars: { stage: label(s) }, field: `stages.${s.id}`, stageId: s.id });
    } else if (prev.size > 1) {
      problems.push({ code: "merge", vars: { stage: label(s), count: prev.size }, field: `stages.${s.id}`, stageId: s.id });
    }
  }
  const order: DraftStage[] = [];
  const seen = new Set<string>();
  let at: DraftStage | undefined = first;
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    order.push(at);
    const next: string | undefined = (out.get(at.id) ?? [])[0];
    at = next ? byId.get(next) : undefined;
    if (at && seen.has(at.id)) {
      problems.push({
        code: "cycle",
        vars: { stage: label(order[order.length - 1]), target: label(at) },
        field: `stages.${order[order.length - 1].id}`,
        stageId: order[order.length - 1].id,
      });
    }
  }
  for (const s of draft.stages) {
    if (!seen.has(s.id)) {
      problems.push({
        code: "unreachable",
        vars: { stage: label(s), first: label(first) },
        field: `stages.${s.id}`,
        stageId: s.id,
      });
    }
  }
  return order;
}

function checkCriterion(stage: DraftStage, c: DraftCriterion, i: number, problems: TemplateProblem[]) {
  const at = `stages.${stage.id}.gate.${i}`;
  const vars = { stage: stage.name || stage.key || stage.id, criterion: c.label || c.key || String(i + 1) };
  const add = (code: string, field: string, more: Record<string, string | number> = {}) =>
    problems.push({ code, vars: { ...vars, ...more }, field: `${at}.${field}`, stageId: stage.id });

  if (!KEY_RE.test(c.key ?? "")) add("criterionKey", "key");
  if (!c.label?.trim()) add("criterionLabel", "label");
  if (!(METRIC_KEYS as readonly string[]).includes(c.metric)) {
    add("metricUnknown", "metric", { metric: c.metric || "—" });
    return;
  }
  const metric = c.metric as MetricKey;
  const kind = METRIC_KIND[metric];
  const threshold = parseNumber(c.threshold);
  if (threshold === undefined) add("thresholdMissing", "threshold");
  else if (Number.isNaN(threshold)) add("thresholdNotNumber", "threshold", { value: String(c.threshold) });
  else if (kind === "percent" && (threshold < 0 || threshold > 100)) add("thresholdPercent", "threshold", { value: threshold });
  else if (kind === "score" && (threshold < 0 || threshold > 100)) add("thresholdScore", "threshold", { value: threshold });
  else if (kind === "yes_no" && threshold !== 0 && threshold !== 1) add("thresholdYesNo", "threshold", { value: threshold });
  else if (kind === "count" && (threshold < 0 || !Number.isInteger(threshold)))
    add("thresholdCount", "threshold", { value: threshold });

  if (METRICS_WITH_MODULE.includes(metric) && !c.module?.trim()) add("moduleMissing", "module");
  const window = parseNumber(c.windowMonths);
  if (window !== undefined && (Number.isNaN(window) || window <= 0 || !Number.isInteger(window))) {
    add("windowInvalid", "windowMonths", { value: String(c.windowMonths) });
  }
  const floor = parseNumber(c.floorReviews);
  if (floor !== undefined && (Number.isNaN(floor) || floor < 1 || !Number.isInteger(floor))) {
    add("floorInvalid", "floorReviews", { value: String(c.floorReviews) });
  }
}

/** Checks a draft and, when it passes, gives the template definition it stands for. */
export function validateDraft(draft: TemplateDraft): DraftResult {
  const problems: TemplateProblem[] = [];
  if (draft.stages.length < 2) problems.push({ code: "tooFewStages", vars: {}, field: "stages" });

  const keys = new Map<string, DraftStage>();
  for (const s of draft.stages) {
    const name = s.name || s.key || s.id;
    if (!KEY_RE.test(s.key ?? ""))
      problems.push({ code: "stageKey", vars: { stage: name }, field: `stages.${s.id}.key`, stageId: s.id });
    else if (keys.has(s.key))
      problems.push({ code: "stageKeyDuplicate", vars: { stage: name, key: s.key }, field: `stages.${s.id}.key`, stageId: s.id });
    keys.set(s.key, s);
    if (!s.name?.trim())
      problems.push({ code: "stageName", vars: { stage: s.key || s.id }, field: `stages.${s.id}.name`, stageId: s.id });
  }

  const order = chainOrder(draft, problems);
  order.forEach((s, position) => {
    const name = s.name || s.key || s.id;
    if (position === 0 && s.gate.length > 0)
      problems.push({ code: "firstGate", vars: { stage: name }, field: `stages.${s.id}.gate`, stageId: s.id });
    if (position > 0 && s.gate.length === 0)
      problems.push({ code: "gateEmpty", vars: { stage: name }, field: `stages.${s.id}.gate`, stageId: s.id });
  });
  for (const s of draft.stages) {
    const criterionKeys = new Set<string>();
    s.gate.forEach((c, i) => {
      checkCriterion(s, c, i, problems);
      if (c.key && criterionKeys.has(c.key)) {
        problems.push({
          code: "criterionKeyDuplicate",
          vars: { stage: s.name || s.key, key: c.key },
          field: `stages.${s.id}.gate.${i}.key`,
          stageId: s.id,
        });
      }
      criterionKeys.add(c.key);
    });
  }

  const timers: Record<string, number> = {};
  for (const k of TIMER_KEYS) {
    const n = parseNumber(draft.timers?.[k]);
    if (n === undefined || Number.isNaN(n) || n <= 0 || !Number.isInteger(n)) {
      problems.push({ code: "timerInvalid", vars: { value: String(draft.timers?.[k] ?? "") }, field: `timers.${k}` });
    } else timers[k] = n;
  }
  const weights: Record<string, number> = {};
  for (const k of WEIGHT_KEYS) {
    const n = parseNumber(draft.readinessWeights?.[k]);
    if (n === undefined || Number.isNaN(n) || n < 0) {
      problems.push({ code: "weightInvalid", vars: { value: String(draft.readinessWeights?.[k] ?? "") }, field: `weights.${k}` });
    } else weights[k] = n;
  }
  if (Object.keys(weights).length === WEIGHT_KEYS.length && WEIGHT_KEYS.every((k) => weights[k] === 0)) {
    problems.push({ code: "weightsAllZero", vars: {}, field: "weights" });
  }

  if (problems.length > 0) return { ok: false, problems };

  const parsed = TemplateDefinitionSchema.safeParse({
    stages: order.map((s) => ({
      key: s.key,
      name: s.name.trim(),
      description: s.description?.trim() ?? "",
      i18n: stageLabels(s),
      gate: s.gate.map((c) => {
        const metric = c.metric as MetricKey;
        const window = parseNumber(c.windowMonths);
        const floor = parseNumber(c.floorReviews);
        const params: { module?: string; windowMonths?: number } = {};
        if (METRICS_WITH_MODULE.includes(metric)) params.module = c.module!.trim();
        if (window !== undefined && METRICS_WITH_WINDOW.includes(metric)) params.windowMonths = window;
        return {
          key: c.key,
          label: c.label.trim(),
          i18n: words(c.labels, "label"),
          metric,
          params,
          threshold: parseNumber(c.threshold)!,
          ...(floor !== undefined ? { floor: { consecutiveReviews: floor } } : {}),
        };
      }),
    })),
    timers,
    readinessWeights: weights,
    i18n: words(draft.templateNames, "name"),
  });
  // Everything the schema checks is checked above with a better message; this is a backstop.
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        code: "schema",
        vars: { detail: `${i.path.join(".")}: ${i.message}` },
        field: "stages",
      })),
    };
  }
  return { ok: true, definition: parsed.data };
}

/** The editor's draft of a template definition: one node per stage, arrows in order. */
export function draftFromDefinition(def: TemplateDefinition, notes = ""): TemplateDraft {
  return {
    stages: def.stages.map((s) => ({
      id: s.key,
      key: s.key,
      name: s.name,
      description: s.description,
      names: pick(s.i18n, "name"),
      descriptions: pick(s.i18n, "description"),
      gate: s.gate.map((c) => ({
        key: c.key,
        label: c.label,
        labels: pick(c.i18n, "label"),
        metric: c.metric,
        module: c.params.module ?? "",
        windowMonths: c.params.windowMonths ?? "",
        threshold: c.threshold,
        floorReviews: c.floor?.consecutiveReviews ?? "",
      })),
    })),
    edges: def.stages.slice(1).map((s, i) => ({ from: def.stages[i].key, to: s.key })),
    timers: { ...def.timers },
    readinessWeights: { ...def.readinessWeights },
    notes,
    templateNames: pick(def.i18n, "name"),
  };
}

/** Words in other languages as the definition keeps them: `{ es: { label: "…" } }`, empty ones left out; undefined when none. */
function words<F extends string>(byLanguage: Record<string, string> | undefined, field: F) {
  const out: Record<string, Record<F, string>> = {};
  for (const [lang, text] of Object.entries(byLanguage ?? {}))
    if (/^[a-z]{2,3}$/.test(lang) && text?.trim()) out[lang] = { [field]: text.trim() } as Record<F, string>;
  return Object.keys(out).length > 0 ? out : undefined;
}

function stageLabels(s: DraftStage) {
  const names = words(s.names, "name") ?? {};
  const descriptions = words(s.descriptions, "description") ?? {};
  const out: Record<string, { name?: string; description?: string }> = {};
  for (const lang of new Set([...Object.keys(names), ...Object.keys(descriptions)]))
    out[lang] = { ...names[lang], ...descriptions[lang] };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One field of each language's words, as the editor's draft keeps them. */
function pick<F extends string>(i18n: Record<string, Partial<Record<F, string>>> | undefined, field: F): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, w] of Object.entries(i18n ?? {})) if (w[field]) out[lang] = w[field]!;
  return out;
}
