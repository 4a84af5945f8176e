import type { ReadinessRecord } from "../../app/domain/records";
import {
  CRITERION_KEYS,
  readinessFromAssessment,
  type AssessmentInput,
  type AssessmentKind,
  type Scores,
} from "../../app/features/scorecard/scorecard";
import { appendAudit, type Db } from "./audit";

/**
 * Readiness assessments: each one a new row with its scores and evidence links. The latest of
 * each kind (by assessment date, then by when it was recorded) is the one that counts.
 */

export interface StoredAssessment {
  id: string;
  institutionId: string;
  kind: AssessmentKind;
  assessedBy: string;
  assessedOn: string;
  createdAt: Date;
  scores: Scores;
}

export type InsertOutcome = { created: true } | { created: false; sameInstitution: boolean };

/**
 * Stores an assessment once: the id is the form's, so a double submit or a retry finds the row
 * and writes nothing (the caller opens the transaction). Evidence ids must already have been
 * checked to be the institution's own.
 */
export async function insertAssessment(
  db: Db,
  input: AssessmentInput,
  by: { institutionId: string; name: string; userId: string | null; at: Date },
): Promise<InsertOutcome> {
  const inserted = await db
    .insertInto("readiness_assessments")
    .values({
      id: input.assessmentId,
      institution_id: by.institutionId,
      kind: input.kind,
      assessed_by: by.name,
      assessed_by_user_id: by.userId,
      assessed_on: input.assessedOn,
      created_at: by.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    const existing = await db
      .selectFrom("readiness_assessments")
      .select("institution_id")
      .where("id", "=", input.assessmentId)
      .executeTakeFirstOrThrow();
    return { created: false, sameInstitution: existing.institution_id === by.institutionId };
  }
  await db
    .insertInto("readiness_scores")
    .values(
      CRITERION_KEYS.map((k) => ({
        assessment_id: input.assessmentId,
        criterion_key: k,
        score: input.scores[k].score,
        comment: input.scores[k].comment,
      })),
    )
    .execute();
  const links = CRITERION_KEYS.flatMap((k) =>
    [...new Set(input.scores[k].evidence)].map((fileId) => ({
      assessment_id: input.assessmentId,
      criterion_key: k,
      evidence_file_id: fileId,
    })),
  );
  if (links.length > 0) await db.insertInto("readiness_evidence_links").values(links).execute();
  await appendAudit(db, {
    actor: by.name,
    action: input.kind === "ilo" ? "assessment.ilo_recorded" : "assessment.self_recorded",
    entityType: "readiness_assessment",
    entityId: input.assessmentId,
    institutionId: by.institutionId,
    after: {
      kind: input.kind,
      assessedOn: input.assessedOn,
      scores: Object.fromEntries(CRITERION_KEYS.map((k) => [k, input.scores[k].score])),
    },
    at: by.at,
  });
  return { created: true };
}

/** Every assessment of the institution, newest first, with scores and evidence links. */
export async function listAssessments(db: Db, institutionId: string): Promise<StoredAssessment[]> {
  const rows = await db
    .selectFrom("readiness_assessments")
    .selectAll()
    .where("institution_id", "=", institutionId)
    .orderBy("assessed_on", "desc")
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [scores, links] = await Promise.all([
    db.selectFrom("readiness_scores").selectAll().where("assessment_id", "in", ids).execute(),
    db.selectFrom("readiness_evidence_links").selectAll().where("assessment_id", "in", ids).orderBy("evidence_file_id").execute(),
  ]);
  const byAssessment = new Map<string, Scores>(ids.map((id) => [id, {}]));
  for (const s of scores)
    byAssessment.get(s.assessment_id)![s.criterion_key] = { score: Number(s.score), comment: s.comment, evidence: [] };
  for (const l of links) byAssessment.get(l.assessment_id)?.[l.criterion_key]?.evidence.push(l.evidence_file_id);
  return rows.map((r) => ({
    id: r.id,
    institutionId: r.institution_id,
    kind: r.kind,
    assessedBy: r.assessed_by,
    assessedOn: r.assessed_on,
    createdAt: r.created_at,
    scores: byAssessment.get(r.id)!,
  }));
}

/** The latest assessment of each kind among a newest-first list. */
export function latestOfEach(list: StoredAssessment[]): Record<AssessmentKind, StoredAssessment | null> {
  return { self: list.find((a) => a.kind === "self") ?? null, ilo: list.find((a) => a.kind === "ilo") ?? null };
}

/**
 * What the gates read: for each institution, the dimension means of its latest ILO assessment.
 * Two queries whatever the number of institutions (the portfolio loads many at once).
 */
export async function latestIloReadiness(db: Db, institutionIds: string[]): Promise<Map<string, ReadinessRecord>> {
  const out = new Map<string, ReadinessRecord>();
  if (institutionIds.length === 0) return out;
  const latest = await db
    .selectFrom("readiness_assessments")
    .select(["id", "institution_id", "assessed_on"])
    .distinctOn("institution_id")
    .where("institution_id", "in", institutionIds)
    .where("kind", "=", "ilo")
    .orderBy("institution_id")
    .orderBy("assessed_on", "desc")
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  if (latest.length === 0) return out;
  const scores = await db
    .selectFrom("readiness_scores")
    .select(["assessment_id", "criterion_key", "score"])
    .where(
      "assessment_id",
      "in",
      latest.map((l) => l.id),
    )
    .execute();
  for (const a of latest) {
    const mine = Object.fromEntries(
      scores.filter((s) => s.assessment_id === a.id).map((s) => [s.criterion_key, { score: Number(s.score) }]),
    );
    out.set(a.institution_id, readinessFromAssessment({ assessedOn: a.assessed_on, scores: mine }));
  }
  return out;
}

export interface LinkableEvidence {
  id: string;
  fileName: string;
  reportId: string;
  reportKind: string;
  createdAt: Date;
}

/**
 * Evidence an assessor may point to: the files sent with this institution's verified reports.
 * Only ever this institution's, so a reporter never sees (or links) another institution's files.
 */
export async function linkableEvidence(db: Db, institutionId: string): Promise<LinkableEvidence[]> {
  const rows = await db
    .selectFrom("evidence_files as f")
    .innerJoin("milestone_reports as r", "r.id", "f.report_id")
    .select(["f.id", "f.file_name", "f.report_id", "r.kind", "f.created_at"])
    .where("f.institution_id", "=", institutionId)
    .where("r.institution_id", "=", institutionId)
    .where("r.status", "=", "verified")
    .orderBy("f.created_at", "desc")
    .orderBy("f.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    reportId: r.report_id,
    reportKind: r.kind,
    createdAt: r.created_at,
  }));
}

/** Names of the evidence files an institution's assessments link to (for the page's history). */
export async function evidenceNames(db: Db, institutionId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("evidence_files")
    .select(["id", "file_name"])
    .where("institution_id", "=", institutionId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.file_name]));
}
