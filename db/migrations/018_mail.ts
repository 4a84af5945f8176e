import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * E-mail and work queues (decision 025):
 * - users.email_mode: how a user wants to hear by e-mail: off, each notification, a daily or a
 *   weekly digest;
 * - notifications: subject_id (the report or plan a notification is about, so acting on it can
 *   resolve it), link (the app path it points to), resolved_at (set when its cause was acted
 *   on) and mailed_at (set once the notification's e-mails are queued; earlier notifications are
 *   marked as mailed, so an upgrade sends no mail about the past);
 * - mail_messages: every e-mail, one row per message keyed by what caused it (a notification
 *   and its recipient, or a digest's period and recipient), written before it is sent and
 *   marked after. Without SMTP_URL the rows are the outbox an administrator reads;
 * - mail_digest_runs: the digests already made, one row per period and day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("email_mode", "text", (c) =>
      c
        .notNull()
        .defaultTo("each")
        .check(sql`email_mode in ('off', 'each', 'daily', 'weekly')`),
    )
    .execute();
  await db.schema
    .alterTable("notifications")
    .addColumn("subject_id", "text")
    .addColumn("link", "text")
    .addColumn("resolved_at", "timestamptz")
    .addColumn("mailed_at", "timestamptz")
    .execute();
  await sql`update notifications set mailed_at = created_at`.execute(db);
  await db.schema
    .createIndex("notifications_unmailed")
    .on("notifications")
    .column("created_at")
    .where(sql.ref("mailed_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("notifications_subject")
    .on("notifications")
    .columns(["subject_id", "kind"])
    .where(sql.ref("resolved_at"), "is", null)
    .execute();

  await db.schema
    .createTable("mail_messages")
    // The idempotency key: `n:<notification>:<user>` or `digest:<period>:<day>:<user>`.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('notification', 'daily', 'weekly')`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("notification_id", "text", (c) => c.references("notifications.id"))
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    // The Message-ID header, the same on every attempt, so a receiving server can drop a repeat.
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'sent', 'kept')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("mail_messages_pending")
    .on("mail_messages")
    .column("created_at")
    .where(sql.ref("status"), "=", "pending")
    .execute();
  await db.schema.createIndex("mail_messages_created").on("mail_messages").columns(["created_at", "id"]).execute();

  await db.schema
    .createTable("mail_digest_runs")
    .addColumn("period", "text", (c) => c.notNull().check(sql`period in ('daily', 'weekly')`))
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("made_at", "timestamptz", (c) => c.notNull())
    .addColumn("messages", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("mail_digest_runs_pk", ["period", "day"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mail_digest_runs").execute();
  await db.schema.dropTable("mail_messages").execute();
  await db.schema.dropIndex("notifications_subject").execute();
  await db.schema.dropIndex("notifications_unmailed").execute();
  for (const c of ["mailed_at", "resolved_at", "link", "subject_id"])
    await db.schema.alterTable("notifications").dropColumn(c).execute();
  await db.schema.alterTable("users").dropColumn("email_mode").execute();
}
