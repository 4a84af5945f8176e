import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { createTestDb, type TestDb } from "../support/db";
import { makeInstitution } from "../support/temporal";
import { addNotification, resolveNotifications } from "../../db/queries/notifications";
import { workCounts } from "../../db/queries/work-queues";
import { createMailActivities } from "../../workflows/mail.activities";
import { createActivities } from "../../workflows/activities";
import { message } from "../../app/i18n/message";

/**
 * E-mail (decision 025) against a real PostgreSQL and a real SMTP server on a free port: the
 * recipient, their language, an absolute link, one message per key however often the send is
 * retried, the outbox without SMTP, digests, work-queue counts and resolution.
 */

let db: TestDb;
let smtp: SMTPServer;
let smtpUrl = "";
const received: ParsedMail[] = [];
const APP = "http://pathways.test:4321";

async function user(role: string, opts: { locale?: string; institutionId?: string; countries?: string[]; mode?: string } = {}) {
  const id = randomUUID();
  await db.db
    .insertInto("users")
    .values({
      id,
      email: `${role}-${id.slice(0, 6)}@example.org`,
      name: `${role} ${id.slice(0, 4)}`,
      role: role as never,
      institution_id: opts.institutionId ?? null,
      countries: JSON.stringify(opts.countries ?? []),
      password_hash: null,
      locale: opts.locale ?? null,
      email_mode: (opts.mode ?? "each") as never,
    })
    .execute();
  return db.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  db = await createTestDb("postgres");
  smtp = new SMTPServer({
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
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await db?.close();
});

describe("e-mail", () => {
  it("mails a notification to its recipient in their language with a working absolute link, once per key", async () => {
    const inst = await makeInstitution(db.db, { countryCode: "GH" });
    const french = await user("institution_reporter", { locale: "fr", institutionId: inst });
    const offUser = await user("institution_reporter", { locale: "es", institutionId: inst, mode: "off" });
    const acts = createMailActivities({ db: db.db, mail: { smtpUrl, appUrl: APP } });
    await addNotification(db.db, {
      id: `decision-${randomUUID()}`,
      institutionId: inst,
      kind: "signed_off",
      audience: "institution",
      message: "Signed off",
      note: message("notice.signedOff", { stage: "Certification" }),
      link: `/institutions/${inst}`,
      at: new Date(),
    });
    const keys = await acts.queueMail(Date.now());
    const mine = keys.filter((k) => k.endsWith(`:${french.id}`));
    expect(mine).toHaveLength(1);
    expect(keys.some((k) => k.endsWith(`:${offUser.id}`))).toBe(false);

    const before = received.length;
    expect(await acts.sendMail(mine[0])).toEqual({ status: "sent" });
    // A retry of the same activity (same key) sends nothing.
    expect(await acts.sendMail(mine[0])).toEqual({ status: "already" });
    // Queuing again writes no second message for the same notification and recipient.
    await acts.queueMail(Date.now());
    expect(await acts.queueMail(Date.now())).not.toContain(mine[0]);
    expect(received.length - before).toBe(1);

    const mail = received[received.length - 1];
    expect((mail.to as { text: string }).text).toBe(french.email);
    expect(mail.subject).toContain("Pathways :");
    expect(mail.text).toContain(`Bonjour ${french.name}`);
    expect(mail.text).toContain("Validé");
    expect(mail.text).toContain(`${APP}/institutions/${inst}`);
    expect(mail.messageId).toMatch(/@pathways\.test>$/);
  });

  it("keeps mail in the outbox without SMTP_URL", async () => {
    const inst = await makeInstitution(db.db, { countryCode: "GH" });
    const reporter = await user("institution_reporter", { institutionId: inst });
    const acts = createMailActivities({ db: db.db, mail: { smtpUrl: null, appUrl: APP } });
    await addNotification(db.db, {
      id: `reminder-${inst}`,
      institutionId: inst,
      kind: "reminder",
      audience: "institution",
      message: "Report",
      note: message("notice.reminder", { date: "2026-01-01" }),
      at: new Date(),
    });
    const before = received.length;
    const key = (await acts.queueMail(Date.now())).find((k) => k.endsWith(`:${reporter.id}`))!;
    expect(await acts.sendMail(key)).toEqual({ status: "kept" });
    const row = await db.db.selectFrom("mail_messages").selectAll().where("id", "=", key).executeTakeFirstOrThrow();
    expect(row.status).toBe("kept");
    expect(row.body_text).toContain("No milestone reported since");
    expect(received.length).toBe(before);
  });

  it("collects a daily digest of unread, unresolved notifications, once per day", async () => {
    const inst = await makeInstitution(db.db, { countryCode: "PE" });
    const officer = await user("ilo_officer", { countries: ["PE"], locale: "es", mode: "daily" });
    const at = new Date("2030-03-05T08:00:00Z");
    for (const [i, resolved] of [
      [1, false],
      [2, true],
    ] as const) {
      const id = `gate-met-${inst}-${i}`;
      await addNotification(db.db, {
        id,
        institutionId: inst,
        kind: "gate_met",
        audience: "ilo",
        message: "Gate met",
        note: message("notice.gateMet", { stage: `Etapa ${i}` }),
        at: new Date(at.getTime() - 3_600_000 * i),
      });
      if (resolved) await db.db.updateTable("notifications").set({ resolved_at: at }).where("id", "=", id).execute();
    }
    const acts = createMailActivities({ db: db.db, mail: { smtpUrl: null, appUrl: APP } });
    await acts.queueMail(at.getTime());
    await acts.queueMail(at.getTime() + 60_000);
    const digests = await db.db
      .selectFrom("mail_messages")
      .selectAll()
      .where("user_id", "=", officer.id)
      .where("kind", "=", "daily")
      .execute();
    expect(digests).toHaveLength(1);
    expect(digests[0].subject).toBe("Pathways: 1 notificación sin leer");
    expect(digests[0].body_text).toContain("Etapa 1");
    expect(digests[0].body_text).not.toContain("Etapa 2");
  });

  it("counts work queues per role and country, and resolves notifications when acted on", async () => {
    const gh = await makeInstitution(db.db, { countryCode: "GH" });
    const pe = await makeInstitution(db.db, { countryCode: "PE" });
    const acts = createActivities({ db: db.db });
    const reportId = randomUUID();
    await acts.recordReport(
      {
        reportId,
        institutionId: gh,
        kind: "mou_signed",
        payload: { signedOn: "2026-01-10" },
        submittedBy: "reporter@example.org",
      } as never,
      Date.now(),
    );
    const officerGh = await user("ilo_officer", { countries: ["GH"] });
    const officerPe = await user("ilo_officer", { countries: ["PE"] });
    const scope = (u: { id: string; role: string }, countries: string[]) => ({
      n: { userId: u.id, role: u.role, institutionId: null, countries },
      q: {
        signOff: { institutionIds: null, countries },
        verify: { institutionIds: null, countries },
        plans: { institutionIds: null, countries },
        returned: null,
      },
    });
    const gho = scope(officerGh, ["GH"]);
    const peo = scope(officerPe, ["PE"]);
    const ghCounts = await workCounts(db.db, gho.n, gho.q);
    const peCounts = await workCounts(db.db, peo.n, peo.q);
    expect(ghCounts.verify).toBeGreaterThanOrEqual(1);
    expect(peCounts.verify).toBe(0);
    expect(pe).toBeTruthy();
    const open = await db.db.selectFrom("notifications").selectAll().where("subject_id", "=", reportId).execute();
    expect(open.map((n) => [n.kind, n.resolved_at])).toEqual([["report_to_verify", null]]);
    await acts.recordDecision(
      { reportId, decision: "verify", decidedBy: "officer@example.org", comment: "" } as never,
      Date.now(),
      24,
    );
    const after = await db.db
      .selectFrom("notifications")
      .selectAll()
      .where("subject_id", "=", reportId)
      .executeTakeFirstOrThrow();
    expect(after.resolved_at).not.toBeNull();
    expect((await workCounts(db.db, gho.n, gho.q)).verify).toBe(ghCounts.verify - 1);
    expect(await resolveNotifications(db.db, { kinds: ["report_to_verify"], subjectId: reportId, at: new Date() })).toBe(0);
  });
});
