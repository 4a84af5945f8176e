import type { Db } from "./audit";

export interface NewNotification {
  /** A deterministic key: the same timer firing twice notifies once. */
  id: string;
  institutionId: string;
  kind: "reminder" | "escalation" | "gate_met" | "slip_flagged" | "returned" | "signed_off";
  audience: "ilo" | "institution";
  message: string;
  at: Date;
}

export async function addNotification(db: Db, n: NewNotification): Promise<boolean> {
  const res = await db
    .insertInto("notifications")
    .values({
      id: n.id,
      institution_id: n.institutionId,
      kind: n.kind,
      audience: n.audience,
      message: n.message,
      created_at: n.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listNotifications(db: Db, filter: { institutionId?: string; limit?: number } = {}) {
  let q = db.selectFrom("notifications").selectAll().orderBy("created_at", "desc").limit(filter.limit ?? 50);
  if (filter.institutionId) q = q.where("institution_id", "=", filter.institutionId);
  return q.execute();
}
