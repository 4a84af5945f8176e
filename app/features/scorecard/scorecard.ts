import { iso, z } from "zod";
import { READINESS_DIMENSIONS, type ReadinessDimension, type ReadinessRecord } from "../../domain/records";

/**
 * The readiness scorecard: twelve criteria in three dimensions, each scored 1–4 against an
 * anchored rubric. Pure and free of I/O: the pages, the queries and the demo data share it.
 *
 * The catalogue is code, not template data (decision 008): a score means the same thing in every
 * country and every template version, so assessments stay comparable over years. Keys are stored
 * with each score and must never be renamed; the words (label and the four anchors) live in the
 * `scorecard` message catalogue under `scorecard.criterion.<key>.*`.
 */

export const SCORE_LEVELS = [1, 2, 3, 4] as const;
export type ScoreLevel = (typeof SCORE_LEVELS)[number];

export const ASSESSMENT_KINDS = ["self", "ilo"] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export interface ScorecardCriterion {
  key: string;
  dimension: ReadinessDimension;
}

export const SCORECARD_CRITERIA: readonly ScorecardCriterion[] = [
  { key: "trainer_pool", dimension: "technical" },
  { key: "quality_assurance", dimension: "technical" },
  { key: "delivery_standard", dimension: "technical" },
  { key: "kpi_collection", dimension: "technical" },
  { key: "strategy", dimension: "institutional" },
  { key: "dedicated_team", dimension: "institutional" },
  { key: "marketing_sales", dimension: "institutional" },
  { key: "monitoring_reporting", dimension: "institutional" },
  { key: "pricing_cost_recovery", dimension: "financial" },
  { key: "funding_diversity", dimension: "financial" },
  { key: "secured_funding", dimension: "financial" },
  { key: "financial_management", dimension: "financial" },
] as const;

export const CRITERION_KEYS = SCORECARD_CRITERIA.map((c) => c.key);

export function criteriaOf(dimension: ReadinessDimension): ScorecardCriterion[] {
  return SCORECARD_CRITERIA.filter((c) => c.dimension === dimension);
}

/** The message keys of a criterion's words: its name and what each level means. */
export const criterionLabelKey = (key: string) => `scorecard.criterion.${key}.label`;
export const criterionLevelKey = (key: string, level: ScoreLevel) => `scorecard.criterion.${key}.level${level}`;

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_EVIDENCE_PER_CRITERION = 10;

/**
 * A gap is highlighted when self and ILO differ by at least this many points, in either
 * direction. One point is ordinary disagreement at the edge of two anchors; two points means the
 * institution and the ILO describe different realities, which is worth a conversation whether
 * the institution over-rates itself (a blind spot) or under-rates itself.
 */
export const GAP_HIGHLIGHT_POINTS = 2;

// Messages are keys of the `scorecard` catalogue: the action translates them for the page.
const CriterionScoreSchema = z.object({
  score: z.coerce
    .number({ message: "scorecard.error.score" })
    .int("scorecard.error.score")
    .min(1, "scorecard.error.score")
    .max(4, "scorecard.error.score"),
  comment: z.string().trim().max(MAX_COMMENT_LENGTH, "scorecard.error.commentLength").default(""),
  evidence: z
    .array(z.uuid("scorecard.error.evidence"))
    .max(MAX_EVIDENCE_PER_CRITERION, "scorecard.error.evidenceCount")
    .default([]),
});
export type CriterionScore = z.infer<typeof CriterionScoreSchema>;

const ScoresSchema = z.object(
  Object.fromEntries(CRITERION_KEYS.map((k) => [k, CriterionScoreSchema])) as Record<string, typeof CriterionScoreSchema>,
);

/** An assessment as submitted: every criterion scored; the id comes from the form, so a repeat is one record. */
export const AssessmentInputSchema = z.object({
  assessmentId: z.uuid("scorecard.error.form"),
  kind: z.enum(ASSESSMENT_KINDS, { message: "scorecard.error.form" }),
  assessedOn: iso.date({ message: "scorecard.error.date" }),
  scores: ScoresSchema,
});
export type AssessmentInput = z.infer<typeof AssessmentInputSchema>;
export type Scores = Record<string, CriterionScore>;

export type FormValues = Record<string, string>;
export type AssessmentFormResult = { ok: true; assessment: AssessmentInput } | { ok: false; errors: Record<string, string> };

/** Form field names: one radio group, one comment and one set of evidence boxes per criterion. */
export const scoreField = (key: string) => `score.${key}`;
export const commentField = (key: string) => `comment.${key}`;
export const evidenceField = (key: string) => `evidence.${key}`;

/**
 * Reads the assessment form. `evidence` holds each criterion's checked evidence ids (repeated
 * fields); errors are keyed by the field name and hold message keys.
 */
export function readAssessmentForm(
  values: FormValues,
  evidence: Record<string, string[]>,
  fixed: { kind: AssessmentKind; today: string },
): AssessmentFormResult {
  const scores: Record<string, unknown> = {};
  for (const key of CRITERION_KEYS) {
    const raw = values[scoreField(key)];
    scores[key] = {
      score: raw === undefined || raw === "" ? undefined : raw,
      comment: values[commentField(key)] ?? "",
      evidence: evidence[key] ?? [],
    };
  }
  const parsed = AssessmentInputSchema.safeParse({
    assessmentId: values.assessmentId,
    kind: fixed.kind,
    assessedOn: values.assessedOn || fixed.today,
    scores,
  });
  if (parsed.success) {
    if (parsed.data.assessedOn > fixed.today) return { ok: false, errors: { assessedOn: "scorecard.error.future" } };
    return { ok: true, assessment: parsed.data };
  }
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const [head, key, part] = issue.path.map(String);
    const field =
      head === "scores"
        ? part === "comment"
          ? commentField(key)
          : part === "evidence"
            ? evidenceField(key)
            : scoreField(key)
        : head || "_form";
    errors[field] ??= issue.message.startsWith("scorecard.") ? issue.message : "scorecard.error.form";
  }
  return { ok: false, errors };
}

/** Each dimension's mean score (1–4), or null where none of its criteria is scored. */
export function dimensionMeans(scores: Partial<Record<string, { score: number }>>): Record<ReadinessDimension, number | null> {
  const out = {} as Record<ReadinessDimension, number | null>;
  for (const d of READINESS_DIMENSIONS) {
    const values = criteriaOf(d)
      .map((c) => scores[c.key]?.score)
      .filter((s): s is number => typeof s === "number");
    out[d] = values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
  }
  return out;
}

/** What a gate reads: the dimension means of the ILO's latest assessment (never the self-assessment). */
export function readinessFromAssessment(a: {
  assessedOn: string;
  scores: Partial<Record<string, { score: number }>>;
}): ReadinessRecord {
  return { assessedOn: a.assessedOn, means: dimensionMeans(a.scores) };
}

export interface CriterionGap {
  key: string;
  dimension: ReadinessDimension;
  self: number | null;
  ilo: number | null;
  /** self − ILO; null unless both scored. Positive: the institution rates itself higher. */
  gap: number | null;
  highlighted: boolean;
}

export function compareAssessments(
  self: Partial<Record<string, { score: number }>> | null,
  ilo: Partial<Record<string, { score: number }>> | null,
): CriterionGap[] {
  return SCORECARD_CRITERIA.map((c) => {
    const s = self?.[c.key]?.score ?? null;
    const i = ilo?.[c.key]?.score ?? null;
    const gap = s !== null && i !== null ? s - i : null;
    return {
      key: c.key,
      dimension: c.dimension,
      self: s,
      ilo: i,
      gap,
      highlighted: gap !== null && Math.abs(gap) >= GAP_HIGHLIGHT_POINTS,
    };
  });
}

/** Stored score JSON read back from the database, checked (house rule: zod on every JSON column). */
export const StoredScoresSchema = z.record(
  z.string(),
  z.object({ score: z.number().int().min(1).max(4), comment: z.string(), evidence: z.array(z.string()) }),
);
