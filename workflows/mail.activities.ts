import { ApplicationFailure } from "@temporalio/common";
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import {
  addDigestRun,
  addMail,
  digestRunExists,
  finishMail,
  getMail,
  markNotificationMailed,
  noteMailAttempt,
  noteMailError,
  pendingMailIds,
  recipientsOf,
  unmailedNotifications,
  unreadSince,
  usersWithMode,
} from "../db/queries/mail";
import { digestMail, mailLocale, notificationMail } from "../app/features/mail/compose";
import { transportFor } from "../app/features/mail/transport.server";
import { translatorFor } from "../app/i18n/server";

/**
 * The mail workflow's I/O (decision 025). `queueMail` writes the messages to send (one row per
 * notification and recipient, one per digest and recipient, each keyed by its cause); `sendMail`
 * sends one row, or keeps it in the outbox without SMTP_URL, and marks it. Both are safe to
 * retry: a key already written is not written again, a row already sent is not sent again.
 */

export interface MailSettings {
  /** nodemailer's SMTP URL; unset: mail stays in the outbox. */
  smtpUrl?: string | null;
  /** The app's address, which links in mail start with. */
  appUrl: string;
  /** The From header; default `Pathways <pathways@<APP_URL's host>>`. */
  from?: string | null;
}

/** Digests are made from this hour (UTC) of their day; weekly ones on Mondays. */
export const DIGEST_HOUR_UTC = 7;
/** Notifications a digest lists; the rest are counted. */
const DIGEST_ITEMS = 30;
/** Messages the workflow sends per round before it asks again. */
export const MAIL_BATCH = 50;

const DAY = 86_400_000;

function hostOf(appUrl: string): string {
  try {
    return new URL(appUrl).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

/** The Message-ID header, made from the message's key: every attempt sends the same one. */
export function messageIdFor(key: string, appUrl: string): string {
  return `<${createHash("sha256").update(key).digest("hex").slice(0, 32)}@${hostOf(appUrl)}>`;
}

export function createMailActivities(deps: { db: Kysely<Database>; mail: MailSettings }) {
  const { db, mail } = deps;
  const from = mail.from || `Pathways <pathways@${hostOf(mail.appUrl)}>`;

  /** Each new notification's messages, for the users who want one per notification. */
  async function queueNotificationMail(at: Date): Promise<number> {
    let written = 0;
    for (const n of await unmailedNotifications(db, 200)) {
      await db.transaction().execute(async (trx) => {
        for (const u of await recipientsOf(trx, n, "each")) {
          const locale = mailLocale(u.locale);
          const { subject, text } = notificationMail(translatorFor(locale), mail.appUrl, u, n);
          const id = `n:${n.id}:${u.id}`;
          const added = await addMail(trx, {
            id,
            kind: "notification",
            userId: u.id,
            notificationId: n.id,
            to: u.email,
            locale,
            subject,
            text,
            messageId: messageIdFor(id, mail.appUrl),
            at,
          });
          if (added) written++;
        }
        await markNotificationMailed(trx, n.id, at);
      });
    }
    return written;
  }

  /** The day's digests once its hour has come: unread, unresolved notifications of the period. */
  async function queueDigests(at: Date): Promise<number> {
    const day = at.toISOString().slice(0, 10);
    const dueFrom = Date.parse(`${day}T00:00:00Z`) + DIGEST_HOUR_UTC * 3_600_000;
    if (at.getTime() < dueFrom) return 0;
    const periods: ("daily" | "weekly")[] = at.getUTCDay() === 1 ? ["daily", "weekly"] : ["daily"];
    let written = 0;
    for (const period of periods) {
      if (await digestRunExists(db, period, day)) continue;
      written += await db.transaction().execute(async (trx) => {
        const since = new Date(at.getTime() - (period === "daily" ? DAY : 7 * DAY));
        let count = 0;
        for (const u of await usersWithMode(trx, period)) {
          const items = await unreadSince(trx, u, since, at, DIGEST_ITEMS + 1);
          if (items.length === 0) continue;
          const locale = mailLocale(u.locale);
          const { subject, text } = digestMail(
            translatorFor(locale),
            mail.appUrl,
            u,
            period,
            items.slice(0, DIGEST_ITEMS),
            items.length,
          );
          const id = `digest:${period}:${day}:${u.id}`;
          if (
            await addMail(trx, {
              id,
              kind: period,
              userId: u.id,
              to: u.email,
              locale,
              subject,
              text,
              messageId: messageIdFor(id, mail.appUrl),
              at,
            })
          )
            count++;
        }
        await addDigestRun(trx, period, day, count, at);
        return count;
      });
    }
    return written;
  }

  return {
    /**
     * Writes the messages due at `at` (the workflow's time): new notifications' and the day's
     * digests. Returns the keys of messages waiting to be sent, oldest first.
     */
    async queueMail(at: number): Promise<string[]> {
      await queueNotificationMail(new Date(at));
      await queueDigests(new Date(at));
      return pendingMailIds(db, MAIL_BATCH);
    },

    /** Sends one message by its key, once: a message already sent or kept is left alone. */
    async sendMail(key: string): Promise<{ status: "sent" | "kept" | "already" }> {
      const m = await getMail(db, key);
      if (!m) throw ApplicationFailure.nonRetryable(`No mail message ${key}`, "NOT_FOUND");
      if (m.status !== "pending") return { status: "already" };
      const transport = transportFor(mail.smtpUrl);
      if (!transport) {
        await finishMail(db, key, "kept", new Date());
        return { status: "kept" };
      }
      await noteMailAttempt(db, key);
      try {
        await transport.sendMail({
          from,
          to: m.to_address,
          subject: m.subject,
          text: m.body_text,
          messageId: m.message_id,
          headers: { "Content-Language": m.locale, "Auto-Submitted": "auto-generated" },
        });
      } catch (e) {
        await noteMailError(db, key, e instanceof Error ? e.message : String(e));
        throw e;
      }
      await finishMail(db, key, "sent", new Date());
      return { status: "sent" };
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
