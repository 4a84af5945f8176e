import { isLocale, type Locale } from "../../i18n/locales";
import { shown, storedMessage } from "../../i18n/render";
import type { Translator } from "../../i18n/translate";

/**
 * What an e-mail says, in the recipient's language, with absolute links (decision 025). Plain
 * text: it reads the same in every mail client and on a phone.
 */

export interface MailNotification {
  kind: string;
  institution_id: string;
  institution_name: string;
  message: string;
  message_key: string | null;
  message_params: unknown;
  link: string | null;
}

export function mailLocale(locale: string | null | undefined): Locale {
  return isLocale(locale) ? locale : "en";
}

/** An absolute address in the app: APP_URL (no trailing slash) and a path. */
export function absolute(appUrl: string, path: string): string {
  return `${appUrl.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

export function notificationPath(n: Pick<MailNotification, "link" | "institution_id">): string {
  return n.link ?? `/institutions/${n.institution_id}`;
}

function kindName(t: Translator, kind: string): string {
  const key = `notifications.kind.${kind}`;
  const name = t(key);
  return name === key ? kind : name;
}

function text(t: Translator, n: MailNotification): string {
  return shown(t, storedMessage(n.message_key, n.message_params), n.message);
}

function footer(t: Translator, appUrl: string): string[] {
  return ["", "-- ", t("mail.footer"), absolute(appUrl, "/account")];
}

export function notificationMail(t: Translator, appUrl: string, to: { name: string }, n: MailNotification) {
  const subject = t("mail.subject.notification", { kind: kindName(t, n.kind), institution: n.institution_name });
  const lines = [
    t("mail.greeting", { name: to.name }),
    "",
    `${n.institution_name} — ${text(t, n)}`,
    "",
    t("mail.open"),
    absolute(appUrl, notificationPath(n)),
    ...footer(t, appUrl),
  ];
  return { subject, text: `${lines.join("\n")}\n` };
}

export function digestMail(
  t: Translator,
  appUrl: string,
  to: { name: string },
  period: "daily" | "weekly",
  items: MailNotification[],
  total: number,
) {
  const subject = t.plural(`mail.digest.subject.${period}`, total);
  const lines = [t("mail.greeting", { name: to.name }), "", t.plural("mail.digest.intro", total), ""];
  for (const n of items) {
    lines.push(`• [${kindName(t, n.kind)}] ${n.institution_name} — ${text(t, n)}`);
    lines.push(`  ${absolute(appUrl, notificationPath(n))}`);
  }
  if (total > items.length) lines.push("", t.plural("queues.more", total - items.length));
  lines.push("", t("mail.digest.all"), absolute(appUrl, "/notifications?show=unread"), ...footer(t, appUrl));
  return { subject, text: `${lines.join("\n")}\n` };
}
