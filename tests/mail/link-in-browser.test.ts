import { Client as TemporalClient, Connection } from "@temporalio/client";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Browser } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../app/i18n/message";
import format from "../../app/i18n/messages/format";
import { addNotification } from "../../db/queries/notifications";
import { DEMO_AWAITING_SIGN_OFF } from "../../db/seed";
import { MAIL_WORKFLOW_ID, wakeMailSignal } from "../../workflows/mail.workflow";
import { launchChromium } from "../support/browser";
import { DEMO, DEMO_PASSWORD, securityApp, signedIn, type SecurityApp } from "../security/support";
import { TEMPORAL_CONNECT_TIMEOUT } from "../support/temporal-connect";

/**
 * The app as `npm start` runs it, sending its mail to a real SMTP server on a free port: the link
 * in a notification's e-mail, opened in Chromium by its French recipient, leads through sign-in to
 * the page it names, in French. And a "Gate met" notification resolves once the gate is signed off.
 */

const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((m) => {
        received.push(m);
        callback();
      })
      .catch(callback);
  },
});
let started: ReturnType<typeof securityApp> | undefined;
let s: SecurityApp;
let browser: Browser;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  started = securityApp({ SMTP_URL: smtpUrl });
  s = await started.start();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await started?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Asks the app's mailer for a round now, and waits for a message to `to` whose text holds `marker`. */
async function mailTo(to: string, marker: string): Promise<ParsedMail> {
  const connection = await Connection.connect({ address: s.app.temporalAddress, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
  try {
    const temporal = new TemporalClient({ connection });
    for (let i = 0; i < 120; i++) {
      const found = received.find((m) => (m.to as { text: string } | undefined)?.text === to && (m.text ?? "").includes(marker));
      if (found) return found;
      if (i % 10 === 0)
        await temporal.workflow
          .getHandle(MAIL_WORKFLOW_ID)
          .signal(wakeMailSignal)
          .catch(() => {});
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
  throw new Error(`No mail to ${to} mentioning ${marker}; received: ${received.map((m) => m.subject).join(" | ")}`);
}

describe("a link in an e-mail", () => {
  it("opens, after sign-in, the page it names in the recipient's language", async () => {
    const me = await s.db
      .selectFrom("users")
      .select(["id", "institution_id"])
      .where("email", "=", DEMO.reporter)
      .executeTakeFirstOrThrow();
    await s.db.updateTable("users").set({ locale: "fr", email_mode: "each" }).where("id", "=", me.id).execute();
    const report = await s.db
      .selectFrom("milestone_reports")
      .select(["id", "kind"])
      .where("institution_id", "=", me.institution_id!)
      .orderBy("submitted_at", "desc")
      .executeTakeFirstOrThrow();
    const path = `/institutions/${me.institution_id}/reports/${report.id}`;
    // As the workflow writes it when an officer returns a report.
    await addNotification(s.db, {
      id: `decision-${randomUUID()}`,
      institutionId: me.institution_id!,
      kind: "returned",
      audience: "institution",
      subjectId: report.id,
      message: "A report was returned: add the attendance sheet",
      note: message("notice.decided", { status: message("status.returned"), comment: "add the attendance sheet" }),
      link: path,
      at: new Date(),
    });

    const mail = await mailTo(DEMO.reporter, "add the attendance sheet");
    expect(mail.text).toContain("renvoyé");
    const link = new RegExp(`https?://[^\\s]+${path}`).exec(mail.text ?? "")?.[0];
    expect(link, mail.text).toBeTruthy();

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The link, as the mail client opens it; the link's host is the app's (APP_URL unset: localhost and its port).
      await page.goto(link!);
      await page.waitForURL((u) => u.pathname === "/login");
      await page.getByLabel("Email").fill(DEMO.reporter);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => u.pathname === path);
      // The page the link names, drawn for the signed-in reader (the sign-in page was in the browser's English).
      await page.locator('html[lang="fr"]').waitFor({ state: "attached" });
      await page.getByRole("heading", { level: 1 }).waitFor();
      // The report it is about, named in French.
      await expect(page.locator("h1").innerText()).resolves.toContain(format.fr[`kind.${report.kind}` as keyof typeof format.fr]);
      await expect(
        page
          .getByRole("link", { name: "Se déconnecter" })
          .or(page.getByRole("button", { name: "Se déconnecter" }))
          .count(),
      ).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });
});

describe("a 'Gate met' notification", () => {
  it("resolves once the gate is signed off", async () => {
    const inst = await s.db
      .selectFrom("institutions")
      .select("id")
      .where("name", "=", DEMO_AWAITING_SIGN_OFF[0])
      .executeTakeFirstOrThrow();
    const openGateMet = () =>
      s.db
        .selectFrom("notifications")
        .select(["id", "resolved_at"])
        .where("institution_id", "=", inst.id)
        .where("kind", "=", "gate_met")
        .execute();
    // The pathway, started with the app, finds the gate met and says so.
    let before = await openGateMet();
    for (let i = 0; i < 120 && !before.some((n) => n.resolved_at === null); i++) {
      await new Promise((r) => setTimeout(r, 500));
      before = await openGateMet();
    }
    expect(before.filter((n) => n.resolved_at === null).length).toBeGreaterThan(0);

    const admin = await signedIn(s.url, DEMO.admin);
    const page = await (await admin.get(`/institutions/${inst.id}`)).text();
    const fromStage = /name="fromStage" value="([^"]+)"/.exec(page)?.[1];
    expect(fromStage).toBeTruthy();
    const res = await admin.post(`/institutions/${inst.id}/sign-off`, { fromStage: fromStage!, note: "" });
    expect(res.status).toBe(302);

    const after = await openGateMet();
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((n) => n.resolved_at === null)).toEqual([]);
    const open = await (await admin.get("/notifications?show=open&per=200")).text();
    for (const n of after) expect(open).not.toContain(n.id);
  });
});
