import { sql } from "kysely";
import type { Db } from "./audit";
import type { Message } from "../../app/i18n/message";

export interface NewNotification {
  /** A deterministic key: the same timer firing twice notifies once. */
  id: string;
  institutionId: string;
  kind: "reminder" | "escalation" | "gate_met" | "slip_flagged" | "returned" | "signed_off";
  audience: "ilo" | "institution";
  /** The English text, for the record. */
  message: string;
  /** What pages show, in the reader's language. */
  note?: Message | null;
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
      message_key: n.note?.key ?? null,
      message_params: n.note ? JSON.stringify(n.note.params ?? {}) : null,
      created_at: n.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listNotifications(db: Db, filter: { institutionId?: string; limit?: number } = {}) {
  let q = db
    .selectFrom("notifications")
    .selectAll()
    .orderBy("created_at", "desc")
    .limit(filter.limit ?? 50);
  if (filter.institutionId) q = q.where("institution_id", "=", filter.institutionId);
  return q.execute();
}

export interface NotificationScope {
  userId: string;
  role: string;
  institutionId: string | null;
  countries: string[] | "all";
}

/** The notifications meant for this user: their institution's, or the ILO's for their countries. */
function visibleTo(db: Db, s: NotificationScope) {
  let q = db
    .selectFrom("notifications as n")
    .innerJoin("institutions as i", "i.id", "n.institution_id")
    .leftJoin("notification_reads as r", (j) => j.onRef("r.notification_id", "=", "n.id").on("r.user_id", "=", s.userId));
  if (s.role === "institution_reporter") {
    q = q
      .where("n.audience", "=", "institution")
      .where("n.institution_id", "=", s.institutionId ?? "00000000-0000-0000-0000-000000000000");
  } else if (s.role === "viewer") {
    q = q.where(sql<boolean>`false`);
  } else {
    q = q.where("n.audience", "=", "ilo");
    if (s.countries !== "all") q = q.where("i.country_code", "in", s.countries.length ? s.countries : ["--"]);
  }
  return q;
}

export async function listNotificationsFor(
  db: Db,
  s: NotificationScope,
  limit = 100,
  opts: { offset?: number; unreadOnly?: boolean } = {},
) {
  let q = visibleTo(db, s);
  if (opts.unreadOnly) q = q.where("r.read_at", "is", null);
  return q
    .select([
      "n.id",
      "n.kind",
      "n.message",
      "n.message_key",
      "n.message_params",
      "n.created_at",
      "n.institution_id",
      "i.name as institution_name",
      "r.read_at",
    ])
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(limit)
    .offset(opts.offset ?? 0)
    .execute();
}

/** How many notifications this user may see, and how many of them are unread (one statement). */
export async function countNotificationsFor(db: Db, s: NotificationScope): Promise<{ total: number; unread: number }> {
  const row = await visibleTo(db, s)
    .select((eb) => [
      eb.fn.countAll<string>().as("total"),
      eb.fn.count<string>("n.id").filterWhere("r.read_at", "is", null).as("unread"),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unread: Number(row.unread) };
}

export async function unreadCountFor(db: Db, s: NotificationScope): Promise<number> {
  const row = await visibleTo(db, s)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("r.read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks as read the given notifications, or all visible ones; only those the user may see. */
export async function markReadFor(db: Db, s: NotificationScope, ids: string[] | "all", at: Date) {
  let q = visibleTo(db, s).select("n.id").where("r.read_at", "is", null);
  if (ids !== "all") q = q.where("n.id", "in", ids.length ? ids : ["--"]);
  const rows = await q.execute();
  if (rows.length === 0) return 0;
  await db
    .insertInto("notification_reads")
    .values(rows.map((r) => ({ user_id: s.userId, notification_id: r.id, read_at: at })))
    .onConflict((oc) => oc.columns(["user_id", "notification_id"]).doNothing())
    .execute();
  return rows.length;
}
