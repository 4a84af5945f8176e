import nodemailer, { type Transporter } from "nodemailer";

/**
 * The SMTP connection, one per SMTP_URL (nodemailer's URL form: `smtp://user:pass@host:587`,
 * `smtps://host:465`, options as query parameters). Null without SMTP_URL: mail is kept in the
 * outbox.
 */
const transports = new Map<string, Transporter>();

export function transportFor(smtpUrl: string | null | undefined): Transporter | null {
  if (!smtpUrl) return null;
  let t = transports.get(smtpUrl);
  if (!t) {
    t = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, t);
  }
  return t;
}
