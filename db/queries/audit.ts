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
  await db
    .insertInto("audit_log")
    .values({
      occurred_at: e.at,
      actor: e.actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      institution_id: e.institutionId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
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
  actor?: string;
  action?: string;
  entityId?: string;
  /** Entries older than this id (for paging). */
  before?: number;
  limit: number;
}

export async function listAuditPage(db: Db, f: AuditFilter) {
  let q = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(f.limit);
  if (f.actor) q = q.where("actor", "=", f.actor);
  if (f.action) q = q.where("action", "=", f.action);
  if (f.entityId) q = q.where("entity_id", "=", f.entityId);
  if (f.before) q = q.where("id", "<", f.before);
  return q.execute();
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
