import { sql } from "kysely";
import type { Db } from "./audit";
import type { EmailMode, MailKind, MailStatus } from "../schema";
import { visibleNotifications, type NotificationScope } from "./notifications";

/**
 * E-mail (decision 025). Every message is a row of `mail_messages`, keyed by what caused it, and
 * written before anything is sent: a notification's mail is `n:<notification>:<user>`, a digest's
 * `digest:<period>:<day>:<user>`. Sending marks the row; a retried send finds it marked and sends
 * nothing. Without SMTP_URL the rows are kept: the outbox an administrator reads.
 */

export interface Recipient {
  id: string;
  email: string;
  name: string;
  locale: string | null;
  role: string;
  institution_id: string | null;
  countries: string[];
}

/** Kinds that ask someone to act: mailed to those who may act (officers of the country, administrators), not to managers. */
const ACTIONABLE = ["gate_met", "report_to_verify", "plan_to_review", "escalation"];

/** The notification's readers whose choice is `mode`: the same people its list shows it to. */
export async function recipientsOf(
  db: Db,
  n: { audience: string; institution_id: string; country_code: string; kind: string },
  mode: EmailMode,
): Promise<Recipient[]> {
  let q = db
    .selectFrom("users as u")
    .select(["u.id", "u.email", "u.name", "u.locale", "u.role", "u.institution_id", "u.countries"])
    .where("u.status", "=", "active")
    .where("u.email_mode", "=", mode);
  if (n.audience === "institution") {
    q = q.where("u.role", "=", "institution_reporter").where("u.institution_id", "=", n.institution_id);
  } else {
    const managers = ACTIONABLE.includes(n.kind) ? sql<boolean>`false` : sql<boolean>`u.role = 'programme_manager'`;
    q = q.where(
      sql<boolean>`(u.role = 'ilo_admin'
        or (u.role = 'ilo_officer' and u.countries @> jsonb_build_array(${n.country_code}::text))
        or ${managers})`,
    );
  }
  return q.orderBy("u.email").execute();
}

export interface UnmailedNotification {
  id: string;
  institution_id: string;
  institution_name: string;
  country_code: string;
  kind: string;
  audience: string;
  message: string;
  message_key: string | null;
  message_params: unknown;
  link: string | null;
  created_at: Date;
}

/** Notifications whose e-mails are not queued yet, oldest first. */
export async function unmailedNotifications(db: Db, limit: number): Promise<UnmailedNotification[]> {
  return db
    .selectFrom("notifications as n")
    .innerJoin("institutions as i", "i.id", "n.institution_id")
    .select([
      "n.id",
      "n.institution_id",
      "i.name as institution_name",
      "i.country_code",
      "n.kind",
      "n.audience",
      "n.message",
      "n.message_key",
      "n.message_params",
      "n.link",
      "n.created_at",
    ])
    .where("n.mailed_at", "is", null)
    .orderBy("n.created_at")
    .orderBy("n.id")
    .limit(limit)
    .execute();
}

export interface NewMail {
  id: string;
  kind: MailKind;
  userId: string;
  notificationId?: string | null;
  to: string;
  locale: string;
  subject: string;
  text: string;
  messageId: string;
  at: Date;
}

/** Writes a message once: a second call with the same key changes nothing (false). */
export async function addMail(db: Db, m: NewMail): Promise<boolean> {
  const res = await db
    .insertInto("mail_messages")
    .values({
      id: m.id,
      kind: m.kind,
      user_id: m.userId,
      notification_id: m.notificationId ?? null,
      to_address: m.to,
      locale: m.locale,
      subject: m.subject,
      body_text: m.text,
      message_id: m.messageId,
      created_at: m.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function markNotificationMailed(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable("notifications").set({ mailed_at: at }).where("id", "=", id).where("mailed_at", "is", null).execute();
}

export async function pendingMailIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("mail_messages")
    .select("id")
    .where("status", "=", "pending")
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function getMail(db: Db, id: string) {
  return db.selectFrom("mail_messages").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Counts an attempt before it is made, so the outbox shows messages that keep failing. */
export async function noteMailAttempt(db: Db, id: string): Promise<void> {
  await db
    .updateTable("mail_messages")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

export async function noteMailError(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable("mail_messages")
    .set({ last_error: error.slice(0, 1000) })
    .where("id", "=", id)
    .execute();
}

/** Marks a pending message sent (or kept in the outbox); false when it was not pending any more. */
export async function finishMail(db: Db, id: string, status: Exclude<MailStatus, "pending">, at: Date): Promise<boolean> {
  const res = await db
    .updateTable("mail_messages")
    .set({ status, sent_at: at, last_error: null })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

// ── Digests ──────────────────────────────────────────────────────────────────────────────────────

export async function digestRunExists(db: Db, period: "daily" | "weekly", day: string): Promise<boolean> {
  const row = await db
    .selectFrom("mail_digest_runs")
    .select("day")
    .where("period", "=", period)
    .where("day", "=", day)
    .executeTakeFirst();
  return !!row;
}

/** Records a digest as made; false when another run recorded it first (its transaction then rolls back). */
export async function addDigestRun(db: Db, period: "daily" | "weekly", day: string, messages: number, at: Date) {
  const res = await db
    .insertInto("mail_digest_runs")
    .values({ period, day, messages, made_at: at })
    .onConflict((oc) => oc.columns(["period", "day"]).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function usersWithMode(db: Db, mode: EmailMode): Promise<Recipient[]> {
  return db
    .selectFrom("users as u")
    .select(["u.id", "u.email", "u.name", "u.locale", "u.role", "u.institution_id", "u.countries"])
    .where("u.status", "=", "active")
    .where("u.email_mode", "=", mode)
    .orderBy("u.email")
    .execute();
}

export function scopeOfRecipient(u: Recipient): NotificationScope {
  return {
    userId: u.id,
    role: u.role,
    institutionId: u.institution_id,
    countries: u.role === "ilo_officer" ? u.countries : "all",
  };
}

/** A user's unread, unresolved notifications made since `from`, newest first (at most `limit`). */
export async function unreadSince(db: Db, u: Recipient, from: Date, until: Date, limit: number) {
  return visibleNotifications(db, scopeOfRecipient(u))
    .where("r.read_at", "is", null)
    .where("n.resolved_at", "is", null)
    .where("n.created_at", ">", from)
    .where("n.created_at", "<=", until)
    .select([
      "n.id",
      "n.kind",
      "n.message",
      "n.message_key",
      "n.message_params",
      "n.link",
      "n.institution_id",
      "i.name as institution_name",
      "n.created_at",
    ])
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(limit)
    .execute();
}

// ── The outbox page ──────────────────────────────────────────────────────────────────────────────

export async function countMail(db: Db): Promise<number> {
  const row = await db
    .selectFrom("mail_messages")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function pageMail(db: Db, limit: number, offset: number) {
  return db
    .selectFrom("mail_messages")
    .select([
      "id",
      "kind",
      "to_address",
      "locale",
      "subject",
      "body_text",
      "status",
      "attempts",
      "last_error",
      "created_at",
      "sent_at",
    ])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
}

// ── The account page ─────────────────────────────────────────────────────────────────────────────

export async function getEmailMode(db: Db, userId: string): Promise<EmailMode> {
  const row = await db.selectFrom("users").select("email_mode").where("id", "=", userId).executeTakeFirstOrThrow();
  return row.email_mode;
}

export async function setEmailMode(db: Db, userId: string, mode: EmailMode): Promise<void> {
  await db.updateTable("users").set({ email_mode: mode }).where("id", "=", userId).execute();
}
