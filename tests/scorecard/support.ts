import { randomUUID } from "node:crypto";
import {
  CRITERION_KEYS,
  SCORECARD_CRITERIA,
  type AssessmentInput,
  type AssessmentKind,
} from "../../app/features/scorecard/scorecard";
import type { ReadinessDimension } from "../../app/domain/records";

/** An assessment with one score per dimension for every criterion of that dimension. */
export function assessment(
  kind: AssessmentKind,
  perDimension: Record<ReadinessDimension, 1 | 2 | 3 | 4>,
  assessedOn = "2026-03-02",
): AssessmentInput {
  return {
    assessmentId: randomUUID(),
    kind,
    assessedOn,
    scores: Object.fromEntries(
      SCORECARD_CRITERIA.map((c) => [c.key, { score: perDimension[c.dimension], comment: "", evidence: [] }]),
    ),
  };
}

/** The form fields of an assessment, as the page's radio groups send them. */
export function assessmentForm(a: AssessmentInput): Record<string, string> {
  const f: Record<string, string> = { assessmentId: a.assessmentId, assessedOn: a.assessedOn };
  for (const k of CRITERION_KEYS) {
    f[`score.${k}`] = String(a.scores[k].score);
    if (a.scores[k].comment) f[`comment.${k}`] = a.scores[k].comment;
  }
  return f;
}
