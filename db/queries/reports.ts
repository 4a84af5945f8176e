import type { MilestoneReport, ReportDecision } from "../../app/domain/reports";
import type { ReportStatus } from "../schema";
import { sql } from "kysely";
import { appendAudit, type Db } from "./audit";
import { containsPattern } from "./list";
import { loadReportEffects, writeReportEffects } from "./report-effects";

export async function listReports(db: Db, institutionId: string) {
  return db
    .selectFrom("milestone_reports")
    .selectAll()
    .where("institution_id", "=", institutionId)
    .orderBy("submitted_at", "desc")
    .execute();
}

export async function getReport(db: Db, reportId: string) {
  return db.selectFrom("milestone_reports").selectAll().where("id", "=", reportId).executeTakeFirst();
}

/**
 * Stores a submitted report once: a second call with the same report id changes nothing and
 * says so. Returns the stored status either way.
 */
export async function insertReport(
  db: Db,
  report: MilestoneReport,
  at: Date,
): Promise<{ created: boolean; status: ReportStatus }> {
  const res = await db
    .insertInto("milestone_reports")
    .values({
      id: report.reportId,
      institution_id: report.institutionId,
      kind: report.kind,
      payload: JSON.stringify(report.payload),
      evidence: JSON.stringify(report.evidence ?? []),
      status: "submitted",
      submitted_by: report.submittedBy,
      submitted_at: at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  const created = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  if (created) {
    await db.updateTable("institutions").set({ last_report_at: at }).where("id", "=", report.institutionId).execute();
    await appendAudit(db, {
      actor: report.submittedBy,
      action: "report.submitted",
      entityType: "milestone_report",
      entityId: report.reportId,
      institutionId: report.institutionId,
      after: { kind: report.kind, payload: report.payload },
      at,
    });
  }
  const row = await db
    .selectFrom("milestone_reports")
    .select("status")
    .where("id", "=", report.reportId)
    .executeTakeFirstOrThrow();
  return { created, status: row.status };
}

/**
 * Records an ILO decision on a submitted report. Verifying writes the report's effects
 * (report-effects.ts: trainers, certifications, cycles…), each with an id made from the report
 * id, so a retried call writes nothing twice. Call inside a transaction.
 */
export async function decideReport(
  db: Db,
  d: ReportDecision,
  at: Date,
  certificationValidityMonths: number,
): Promise<{ applied: boolean; status: ReportStatus }> {
  const row = await db.selectFrom("milestone_reports").selectAll().where("id", "=", d.reportId).forUpdate().executeTakeFirst();
  if (!row) throw new Error(`Report ${d.reportId} does not exist`);
  if (row.status !== "submitted") return { applied: false, status: row.status };
  const status: ReportStatus = d.decision === "verify" ? "verified" : d.decision === "return" ? "returned" : "rejected";
  await db
    .updateTable("milestone_reports")
    .set({ status, decided_by: d.decidedBy, decided_at: at, decision_comment: d.comment || null })
    .where("id", "=", d.reportId)
    .execute();
  if (status === "verified") {
    await writeReportEffects(db, await loadReportEffects(db, d.reportId, certificationValidityMonths));
  }
  await appendAudit(db, {
    actor: d.decidedBy,
    action: `report.${status}`,
    entityType: "milestone_report",
    entityId: d.reportId,
    institutionId: row.institution_id,
    before: { status: row.status },
    after: { status, comment: d.comment },
    at,
  });
  return { applied: true, status };
}

/** Reports waiting for an ILO decision, oldest first: the workflow's escalation timers start here. */
export async function listPendingReports(db: Db, institutionId: string) {
  return db
    .selectFrom("milestone_reports")
    .select(["id", "kind", "submitted_at"])
    .where("institution_id", "=", institutionId)
    .where("status", "=", "submitted")
    .orderBy("submitted_at")
    .execute();
}

export async function markEscalated(db: Db, reportId: string, at: Date): Promise<void> {
  await db
    .updateTable("milestone_reports")
    .set({ escalated_at: at })
    .where("id", "=", reportId)
    .where("escalated_at", "is", null)
    .execute();
}

export const QUEUE_SORTS = ["waiting", "institution", "country"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Reports waiting for verification, in an officer's countries ("all": every one), narrowed by a search. */
function queueQuery(db: Db, countries: string[] | "all", q?: string) {
  let query = db
    .selectFrom("milestone_reports as r")
    .innerJoin("institutions as i", "i.id", "r.institution_id")
    .innerJoin("countries as c", "c.code", "i.country_code")
    .where("r.status", "=", "submitted");
  if (countries !== "all") query = query.where("i.country_code", "in", countries.length ? countries : ["--"]);
  if (q) {
    const pattern = containsPattern(q);
    query = query.where((eb) =>
      eb.or([eb("i.name", "ilike", pattern), eb("c.name", "ilike", pattern), eb("r.submitted_by", "ilike", pattern)]),
    );
  }
  return query;
}

export async function countVerificationQueue(db: Db, countries: string[] | "all", q?: string): Promise<number> {
  const row = await queueQuery(db, countries, q)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of the verification queue; "waiting" ascending is the longest waiting first. */
export async function pageVerificationQueue(
  db: Db,
  countries: string[] | "all",
  p: { q?: string; sort: QueueSort; dir: "asc" | "desc"; limit: number; offset: number },
) {
  const dir = p.dir === "desc" ? sql`desc` : sql`asc`;
  const order = {
    waiting: sql`r.submitted_at ${dir}, r.id ${dir}`,
    institution: sql`i.name ${dir}, r.submitted_at, r.id`,
    country: sql`c.name ${dir}, i.name, r.submitted_at, r.id`,
  }[p.sort];
  return queueQuery(db, countries, p.q)
    .select([
      "r.id",
      "r.kind",
      "r.revision",
      "r.submitted_by",
      "r.submitted_at",
      "r.escalated_at",
      "r.institution_id",
      "i.name as institution_name",
      "i.country_code",
      "c.name as country_name",
    ])
    .orderBy(order)
    .limit(p.limit)
    .offset(p.offset)
    .execute();
}

/** The given reports, where they are in this queue (the others are not returned). */
export async function queuedReportsByIds(db: Db, countries: string[] | "all", ids: string[]) {
  if (ids.length === 0) return [];
  return queueQuery(db, countries)
    .select(["r.id", "r.institution_id", "i.name as institution_name", "i.country_code"])
    .where("r.id", "in", ids)
    .execute();
}

/**
 * A returned report, fixed and sent again under the same id: it waits for verification anew,
 * one revision later. Only a report still `returned` changes, so a repeat does nothing.
 */
export async function resubmitReport(
  db: Db,
  report: MilestoneReport,
  at: Date,
): Promise<{ applied: boolean; revision: number; status: ReportStatus }> {
  const before = await db
    .selectFrom("milestone_reports")
    .selectAll()
    .where("id", "=", report.reportId)
    .forUpdate()
    .executeTakeFirst();
  if (!before || before.institution_id !== report.institutionId) throw new Error(`Report ${report.reportId} does not exist`);
  if (before.status !== "returned") return { applied: false, revision: before.revision, status: before.status };
  const revision = before.revision + 1;
  await db
    .updateTable("milestone_reports")
    .set({
      payload: JSON.stringify(report.payload),
      evidence: JSON.stringify(report.evidence ?? []),
      status: "submitted",
      revision,
      submitted_by: report.submittedBy,
      submitted_at: at,
      decided_by: null,
      decided_at: null,
      escalated_at: null,
    })
    .where("id", "=", report.reportId)
    .execute();
  await db.updateTable("institutions").set({ last_report_at: at }).where("id", "=", report.institutionId).execute();
  await appendAudit(db, {
    actor: report.submittedBy,
    action: "report.resubmitted",
    entityType: "milestone_report",
    entityId: report.reportId,
    institutionId: report.institutionId,
    before: { status: before.status, revision: before.revision, payload: before.payload, comment: before.decision_comment },
    after: { status: "submitted", revision, payload: report.payload },
    at,
  });
  return { applied: true, revision, status: "submitted" };
}

/** A report's history, oldest first, from the audit log: submitted, returned, resubmitted, verified. */
export async function reportHistory(db: Db, reportId: string) {
  return db
    .selectFrom("audit_log")
    .select(["id", "occurred_at", "actor", "action", "after"])
    .where("entity_type", "=", "milestone_report")
    .where("entity_id", "=", reportId)
    .orderBy("id")
    .execute();
}

/** Reports sent back to institutions and not yet fixed, newest first; one institution or all. */
function returnedQuery(db: Db, institutionId: string | null) {
  let q = db
    .selectFrom("milestone_reports as r")
    .innerJoin("institutions as i", "i.id", "r.institution_id")
    .where("r.status", "=", "returned");
  if (institutionId) q = q.where("r.institution_id", "=", institutionId);
  return q;
}

export async function listReturnedReports(
  db: Db,
  institutionId: string | null,
  page: { limit: number; offset: number } = { limit: 1000, offset: 0 },
) {
  return returnedQuery(db, institutionId)
    .select([
      "r.id",
      "r.kind",
      "r.revision",
      "r.decided_by",
      "r.decided_at",
      "r.decision_comment",
      "r.institution_id",
      "i.name as institution_name",
    ])
    .orderBy("r.decided_at", "desc")
    .orderBy("r.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countReturnedReports(db: Db, institutionId: string | null): Promise<number> {
  const row = await returnedQuery(db, institutionId)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
