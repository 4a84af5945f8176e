import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema";

export type Db = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  institutionId?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/** Appends to the audit log. Call inside the transaction that makes the change it describes. */
export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await appendAuditMany(db, [e]);
}

/** Appends entries to the audit log in one statement, in their order (their ids ascend with it). */
export async function appendAuditMany(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("audit_log")
    .values(
      entries.map((e) => ({
        occurred_at: e.at,
        actor: e.actor,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        institution_id: e.institutionId ?? null,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
      })),
    )
    .execute();
}

export async function listAudit(db: Db, filter: { institutionId?: string; limit?: number } = {}) {
  let q = db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 200);
  if (filter.institutionId) q = q.where("institution_id", "=", filter.institutionId);
  return q.execute();
}

export interface AuditFilter {
  /** Exact actor (user id or e-mail, as recorded). */
  actor?: string;
  /** Exact action ("report.verified") or its kind, the part before the dot ("report"). */
  action?: string;
  entityId?: string;
  /** Entries on or after this instant. */
  from?: Date;
  /** Entries before this instant. */
  to?: Date;
  /** Entries older than this id (links from before numbered pages). */
  beforeId?: number;
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom("audit_log");
  if (f.actor) q = q.where("actor", "=", f.actor);
  if (f.action) {
    const action = f.action;
    q = action.includes(".")
      ? q.where("action", "=", action)
      : q.where((eb) => eb.or([eb("action", "=", action), eb("action", "like", `${action.replace(/[\\%_]/g, "\\$&")}.%`)]));
  }
  if (f.entityId) q = q.where("entity_id", "=", f.entityId);
  if (f.from) q = q.where("occurred_at", ">=", f.from);
  if (f.to) q = q.where("occurred_at", "<", f.to);
  if (f.beforeId) q = q.where("id", "<", f.beforeId);
  return q;
}

/** One page of the audit log, newest first, and how many entries match in all; paged in SQL. */
export async function listAuditPage(db: Db, f: AuditFilter & { offset: number; limit: number }) {
  const rows = await filtered(db, f).selectAll().orderBy("id", "desc").offset(f.offset).limit(f.limit).execute();
  return rows;
}

export async function countAudit(db: Db, f: AuditFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The kinds of action recorded (the part before the dot), for the filter's choices. */
export async function listActionKinds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return [...new Set(rows.map((r) => r.action.split(".")[0]))];
}

/** The audit trail of one entity (a handover plan, say), oldest first. */
export async function listEntityAudit(db: Db, entityType: string, entityId: string) {
  return db
    .selectFrom("audit_log")
    .select(["action", "actor", "after", "occurred_at"])
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .orderBy("id")
    .execute();
}
