import { sql } from "kysely";
import type { Db } from "./audit";
import type { Message } from "../../app/i18n/message";

/** Every kind of notification, in the order the filter offers them. */
export const NOTIFICATION_KINDS = [
  "gate_met",
  "report_to_verify",
  "plan_to_review",
  "escalation",
  "returned",
  "signed_off",
  "reminder",
  "slip_flagged",
  "handover_variance",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NewNotification {
  /** A deterministic key: the same timer firing twice notifies once. */
  id: string;
  institutionId: string;
  kind: NotificationKind;
  audience: "ilo" | "institution";
  /** The English text, for the record. */
  message: string;
  /** What pages show, in the reader's language. */
  note?: Message | null;
  /** The report or plan it is about: acting on it resolves the notification (resolveNotifications). */
  subjectId?: string | null;
  /** The app path it points to; the institution's page when absent. */
  link?: string | null;
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
      subject_id: n.subjectId ?? null,
      link: n.link ?? null,
      created_at: n.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface NotificationScope {
  userId: string;
  role: string;
  institutionId: string | null;
  countries: string[] | "all";
}

/** The notifications meant for this user: their institution's, or the ILO's for their countries. */
export function visibleNotifications(db: Db, s: NotificationScope) {
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

/** Which notifications a list shows: all, unread, open (not resolved) or resolved; and of which kind. */
export interface NotificationFilter {
  show: "all" | "unread" | "open" | "resolved";
  kind: NotificationKind | null;
}

export const ALL_NOTIFICATIONS: NotificationFilter = { show: "all", kind: null };

function filtered(db: Db, s: NotificationScope, f: NotificationFilter) {
  let q = visibleNotifications(db, s);
  if (f.show === "unread") q = q.where("r.read_at", "is", null);
  if (f.show === "open") q = q.where("n.resolved_at", "is", null);
  if (f.show === "resolved") q = q.where("n.resolved_at", "is not", null);
  if (f.kind) q = q.where("n.kind", "=", f.kind);
  return q;
}

export async function listNotificationsFor(
  db: Db,
  s: NotificationScope,
  limit = 100,
  opts: { offset?: number; unreadOnly?: boolean; filter?: NotificationFilter } = {},
) {
  const filter = opts.filter ?? (opts.unreadOnly ? { show: "unread" as const, kind: null } : ALL_NOTIFICATIONS);
  return filtered(db, s, filter)
    .select([
      "n.id",
      "n.kind",
      "n.message",
      "n.message_key",
      "n.message_params",
      "n.created_at",
      "n.institution_id",
      "n.link",
      "n.resolved_at",
      "i.name as institution_name",
      "r.read_at",
    ])
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(limit)
    .offset(opts.offset ?? 0)
    .execute();
}

/**
 * How many notifications this user may see, how many are unread, and how many match the filter
 * (one statement).
 */
export async function countNotificationsFor(
  db: Db,
  s: NotificationScope,
  f: NotificationFilter = ALL_NOTIFICATIONS,
): Promise<{ total: number; unread: number; matching: number }> {
  const row = await visibleNotifications(db, s)
    .select((eb) => {
      const conds = [sql<boolean>`true`];
      if (f.show === "unread") conds.push(sql<boolean>`r.read_at is null`);
      if (f.show === "open") conds.push(sql<boolean>`n.resolved_at is null`);
      if (f.show === "resolved") conds.push(sql<boolean>`n.resolved_at is not null`);
      if (f.kind) conds.push(sql<boolean>`n.kind = ${f.kind}`);
      return [
        eb.fn.countAll<string>().as("total"),
        eb.fn.count<string>("n.id").filterWhere("r.read_at", "is", null).as("unread"),
        sql<string>`count(*) filter (where ${sql.join(conds, sql` and `)})`.as("matching"),
      ];
    })
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unread: Number(row.unread), matching: Number(row.matching) };
}

export async function unreadCountFor(db: Db, s: NotificationScope): Promise<number> {
  const row = await visibleNotifications(db, s)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("r.read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks as read the given notifications, or all visible ones; only those the user may see. */
export async function markReadFor(db: Db, s: NotificationScope, ids: string[] | "all", at: Date) {
  let q = visibleNotifications(db, s).select("n.id").where("r.read_at", "is", null);
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

/**
 * Resolves the open notifications of these kinds about a subject (a report, a plan) or, without
 * one, about an institution: their cause was acted on. Returns how many it resolved.
 */
export async function resolveNotifications(
  db: Db,
  r: { kinds: NotificationKind[]; subjectId?: string; institutionId?: string; at: Date },
): Promise<number> {
  if (!r.subjectId && !r.institutionId) throw new Error("resolveNotifications needs a subject or an institution");
  let q = db
    .updateTable("notifications")
    .set({ resolved_at: r.at })
    .where("kind", "in", r.kinds)
    .where("resolved_at", "is", null);
  if (r.subjectId) q = q.where("subject_id", "=", r.subjectId);
  if (r.institutionId) q = q.where("institution_id", "=", r.institutionId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
