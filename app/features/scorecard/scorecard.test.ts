import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../i18n/catalog";
import { LOCALES } from "../../i18n/locales";
import { readinessScore } from "../../domain/gate";
import { EMPTY_RECORDS, READINESS_DIMENSIONS } from "../../domain/records";
import {
  CRITERION_KEYS,
  SCORECARD_CRITERIA,
  SCORE_LEVELS,
  compareAssessments,
  criteriaOf,
  criterionLabelKey,
  criterionLevelKey,
  dimensionMeans,
  readAssessmentForm,
  readinessFromAssessment,
} from "./scorecard";

const ID = "0b8f6c1e-3d0a-4c53-9a57-2f1c7e0d9a11";
const FILE = "5a0c2d2e-8b1f-4f7e-9d1c-0e4b7a6f3c21";
const TODAY = "2026-04-10";

function fullForm(score = "3"): Record<string, string> {
  const v: Record<string, string> = { assessmentId: ID, assessedOn: "2026-04-01" };
  for (const k of CRITERION_KEYS) v[`score.${k}`] = score;
  return v;
}

const scoresOf = (byKey: Record<string, number>) => Object.fromEntries(Object.entries(byKey).map(([k, score]) => [k, { score }]));

describe("the scorecard catalogue", () => {
  it("has four criteria in each dimension, with unique stable keys", () => {
    for (const d of READINESS_DIMENSIONS) expect(criteriaOf(d)).toHaveLength(4);
    expect(new Set(CRITERION_KEYS).size).toBe(SCORECARD_CRITERIA.length);
    for (const k of CRITERION_KEYS) expect(k).toMatch(/^[a-z][a-z_]*$/);
  });

  it("words every criterion and each of its four levels in every language", () => {
    for (const locale of LOCALES)
      for (const k of CRITERION_KEYS) {
        expect(CATALOGS[locale][criterionLabelKey(k)], `${locale} ${k}`).toBeTruthy();
        const anchors = SCORE_LEVELS.map((l) => CATALOGS[locale][criterionLevelKey(k, l)]);
        for (const a of anchors) expect(a, `${locale} ${k}`).toBeTruthy();
        expect(new Set(anchors).size, `${locale} ${k}: four different anchors`).toBe(4);
      }
  });
});

describe("reading the assessment form", () => {
  it("accepts a form with every criterion scored, comments trimmed and evidence ids", () => {
    const values = { ...fullForm(), "comment.trainer_pool": "  Eight trainers, two inactive  " };
    const r = readAssessmentForm(values, { trainer_pool: [FILE] }, { kind: "ilo", today: TODAY });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.assessment.kind).toBe("ilo");
    expect(r.assessment.assessedOn).toBe("2026-04-01");
    expect(r.assessment.scores.trainer_pool).toEqual({ score: 3, comment: "Eight trainers, two inactive", evidence: [FILE] });
    expect(r.assessment.scores.financial_management).toEqual({ score: 3, comment: "", evidence: [] });
  });

  it("puts an error next to each criterion left unscored or scored outside 1–4", () => {
    const values = fullForm();
    delete values["score.strategy"];
    values["score.kpi_collection"] = "5";
    values["score.funding_diversity"] = "2.5";
    values["score.secured_funding"] = "many";
    const r = readAssessmentForm(values, {}, { kind: "self", today: TODAY });
    expect(r).toEqual({
      ok: false,
      errors: {
        "score.strategy": "scorecard.error.score",
        "score.kpi_collection": "scorecard.error.score",
        "score.funding_diversity": "scorecard.error.score",
        "score.secured_funding": "scorecard.error.score",
      },
    });
  });

  it("refuses a comment over 1000 characters, a malformed evidence id, a bad or future date and a missing form id", () => {
    const values = { ...fullForm(), "comment.strategy": "x".repeat(1001), assessedOn: "01/04/2026", assessmentId: "" };
    const r = readAssessmentForm(values, { quality_assurance: ["not-an-id"] }, { kind: "self", today: TODAY });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      "comment.strategy": "scorecard.error.commentLength",
      "evidence.quality_assurance": "scorecard.error.evidence",
      assessedOn: "scorecard.error.date",
      assessmentId: "scorecard.error.form",
    });
    const future = readAssessmentForm({ ...fullForm(), assessedOn: "2026-04-11" }, {}, { kind: "self", today: TODAY });
    expect(future).toEqual({ ok: false, errors: { assessedOn: "scorecard.error.future" } });
  });

  it("refuses more than ten evidence links on one criterion", () => {
    const many = Array.from({ length: 11 }, (_, i) => `5a0c2d2e-8b1f-4f7e-9d1c-0e4b7a6f3c${String(i).padStart(2, "0")}`);
    const r = readAssessmentForm(fullForm(), { trainer_pool: many }, { kind: "self", today: TODAY });
    expect(r).toEqual({ ok: false, errors: { "evidence.trainer_pool": "scorecard.error.evidenceCount" } });
  });
});

describe("dimension means, gaps and the readiness record", () => {
  const ilo = scoresOf({
    trainer_pool: 3,
    quality_assurance: 2,
    delivery_standard: 3,
    kpi_collection: 2,
    strategy: 4,
    dedicated_team: 3,
    marketing_sales: 2,
    monitoring_reporting: 3,
    pricing_cost_recovery: 1,
    funding_diversity: 2,
    secured_funding: 1,
    financial_management: 2,
  });
  const self = scoresOf({
    trainer_pool: 3,
    quality_assurance: 4,
    delivery_standard: 3,
    kpi_collection: 3,
    strategy: 2,
    dedicated_team: 3,
    marketing_sales: 2,
    monitoring_reporting: 3,
    pricing_cost_recovery: 3,
    funding_diversity: 2,
    secured_funding: 1,
    financial_management: 2,
  });

  it("averages each dimension's criteria, null where none is scored", () => {
    expect(dimensionMeans(ilo)).toEqual({ technical: 2.5, institutional: 3, financial: 1.5 });
    expect(
      dimensionMeans({ trainer_pool: { score: 4 }, quality_assurance: { score: 3 }, delivery_standard: { score: 3 } }),
    ).toEqual({
      technical: 3.33,
      institutional: null,
      financial: null,
    });
  });

  it("highlights differences of two points or more, in either direction", () => {
    const gaps = compareAssessments(self, ilo);
    expect(gaps.filter((g) => g.highlighted).map((g) => [g.key, g.gap])).toEqual([
      ["quality_assurance", 2],
      ["strategy", -2],
      ["pricing_cost_recovery", 2],
    ]);
    expect(gaps.find((g) => g.key === "kpi_collection")).toMatchObject({ self: 3, ilo: 2, gap: 1, highlighted: false });
    expect(compareAssessments(self, null).every((g) => g.gap === null && !g.highlighted)).toBe(true);
  });

  it("feeds the ILO assessment's means into the weighted readiness score", () => {
    const readiness = readinessFromAssessment({ assessedOn: "2026-04-01", scores: ilo });
    expect(readiness).toEqual({ assessedOn: "2026-04-01", means: { technical: 2.5, institutional: 3, financial: 1.5 } });
    // (50·1.5/3 + 25·2/3 + 25·0.5/3) = 25 + 16.67 + 4.17 = 45.8
    const score = readinessScore({ ...EMPTY_RECORDS, readiness }, { technical: 50, institutional: 25, financial: 25 });
    expect(score.value).toBe(45.8);
  });
});
