import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, count, hiddenValue, securityApp, signedIn, type Client, type Fields, type SecurityApp } from "./support";

/**
 * "Nothing reported is ever lost or double-counted", over HTTP against the real app: the same
 * form sent twice, or from two tabs at once, is one report; the same decision twice at once is
 * one decision and one change of the gate; two sign-offs at once move the stage once.
 */

const started = securityApp();
let s: SecurityApp;
let reporter: Client;
let officer: Client;
let A: { id: string; stage: string };

beforeAll(async () => {
  s = await started.start();
  [reporter, officer] = await Promise.all([signedIn(s.url, DEMO.reporter), signedIn(s.url, DEMO.officer)]);
  A = await s.db
    .selectFrom("users as u")
    .innerJoin("institutions as i", "i.id", "u.institution_id")
    .select(["i.id", "i.stage_key as stage"])
    .where("u.email", "=", DEMO.reporter)
    .executeTakeFirstOrThrow();
});
afterAll(async () => {
  await started.stop();
});

const TRAINERS: [string, "female" | "male"][] = [
  ["Efua Owusu", "female"],
  ["Akosua Darko", "female"],
  ["Kofi Boateng", "male"],
  ["Kwame Asante", "male"],
  ["Yaw Mensah", "male"],
  ["Kojo Addo", "male"],
];

/** Opens the report form and returns its hidden report id, as a browser tab would hold it. */
async function openForm(kind: string): Promise<string> {
  const res = await reporter.get(`/institutions/${A.id}/report?kind=${kind}`);
  expect(res.status).toBe(200);
  const id = hiddenValue(await res.text(), "reportId");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id!;
}

function totForm(reportId: string): Fields {
  const f: Fields = {
    intent: "send",
    reportId,
    kind: "tot_cohort",
    "payload.module": "M1",
    "payload.startedOn": "2025-02-03",
    "payload.endedOn": "2025-02-07",
  };
  TRAINERS.forEach(([name, sex], i) =>
    Object.assign(f, { [`payload.trainers.${i}.name`]: name, [`payload.trainers.${i}.sex`]: sex }),
  );
  return f;
}

function enterpriseForm(reportId: string): Fields {
  return {
    intent: "send",
    reportId,
    kind: "enterprise_reached",
    "payload.name": "Tema Cold Chain Ltd",
    "payload.size": "medium",
    "payload.sector": "Logistics",
    "payload.workersFemale": "40",
    "payload.workersMale": "55",
  };
}

const send = (fields: Fields) => reporter.post(`/institutions/${A.id}/report?kind=${fields.kind}`, fields);

async function recordsOf(reportId: string) {
  return {
    reports: await count(s.db, "milestone_reports", (q) => q.where("id", "=", reportId)),
    submitted: await count(s.db, "audit_log", (q) =>
      q.where("action", "=", "report.submitted").where("entity_id", "=", reportId),
    ),
  };
}

describe("a report sent more than once", () => {
  it("the same form POSTed twice, one after the other: one report, one report.submitted entry", async () => {
    const before = await count(s.db, "milestone_reports", (q) => q.where("institution_id", "=", A.id));
    const reportId = await openForm("tot_cohort");
    const first = await send(totForm(reportId));
    const second = await send(totForm(reportId));
    expect([first.status, second.status]).toEqual([302, 302]);
    // Temporal answers a repeated update id with the first outcome: the second tab sees the same notice.
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    const flash = (r: Response) =>
      r.headers
        .getSetCookie()
        .find((c) => c.startsWith("pathways_flash="))
        ?.split(";")[0];
    expect(flash(first)).toBeTruthy();
    expect(flash(second)).toBe(flash(first));
    expect(await recordsOf(reportId)).toEqual({ reports: 1, submitted: 1 });
    expect(await count(s.db, "milestone_reports", (q) => q.where("institution_id", "=", A.id))).toBe(before + 1);
  });

  it("the same form POSTed from two tabs at once: one report, one report.submitted entry", async () => {
    const before = await count(s.db, "milestone_reports", (q) => q.where("institution_id", "=", A.id));
    const reportId = await openForm("enterprise_reached");
    const answers = await Promise.all([send(enterpriseForm(reportId)), send(enterpriseForm(reportId))]);
    expect(answers.map((r) => r.status)).toEqual([302, 302]);
    expect(await recordsOf(reportId)).toEqual({ reports: 1, submitted: 1 });
    expect(await count(s.db, "milestone_reports", (q) => q.where("institution_id", "=", A.id))).toBe(before + 1);
    expect(
      await count(s.db, "enterprises", (q) => q.where("institution_id", "=", A.id).where("name", "=", "Tema Cold Chain Ltd")),
    ).toBe(0); // not verified yet
  });

  it("four tabs at once, plain and multipart forms mixed: still one report", async () => {
    const reportId = await openForm("enterprise_reached");
    const answers = await Promise.all([
      send(enterpriseForm(reportId)),
      reporter.post(`/institutions/${A.id}/report?kind=enterprise_reached`, enterpriseForm(reportId), { encoding: "multipart" }),
      send(enterpriseForm(reportId)),
      reporter.post(`/institutions/${A.id}/report?kind=enterprise_reached`, enterpriseForm(reportId), { encoding: "multipart" }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([302, 302, 302, 302]);
    expect(await recordsOf(reportId)).toEqual({ reports: 1, submitted: 1 });
  });
});

describe("a decision sent more than once", () => {
  it("the same verify decision posted twice at once: one decision, one set of records, one change of the gate", async () => {
    const reportId = await openForm("tot_cohort");
    expect((await send(totForm(reportId))).status).toBe(302);
    const gateMet = () =>
      count(s.db, "notifications", (q) => q.where("institution_id", "=", A.id).where("kind", "=", "gate_met"));
    const trainersBefore = await count(s.db, "trainers", (q) => q.where("institution_id", "=", A.id));
    expect(await gateMet()).toBe(0);

    const path = `/institutions/${A.id}/reports/${reportId}`;
    const answers = await Promise.all([
      officer.post(path, { decision: "verify", comment: "" }),
      officer.post(path, { decision: "verify", comment: "" }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([302, 302]);

    const row = await s.db
      .selectFrom("milestone_reports")
      .select(["status", "decided_by"])
      .where("id", "=", reportId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "verified", decided_by: "Lucía Fernández" });
    expect(await count(s.db, "audit_log", (q) => q.where("entity_id", "=", reportId).where("action", "like", "report.%"))).toBe(
      2,
    ); // submitted + verified
    expect(await count(s.db, "tot_cohorts", (q) => q.where("source_report_id", "=", reportId))).toBe(1);
    expect(await count(s.db, "trainers", (q) => q.where("institution_id", "=", A.id))).toBe(trainersBefore + TRAINERS.length);
    // The gate into Training of Trainers is now met (MoU, portfolio, 6 trained, 33 % women): said once.
    expect(await gateMet()).toBe(1);
    const page = await officer.get(`/institutions/${A.id}`);
    expect(await page.text()).toContain("Awaiting sign-off");
  });

  it("two different decisions on one report at once: exactly one of them is made", async () => {
    const reportId = await openForm("enterprise_reached");
    expect((await send(enterpriseForm(reportId))).status).toBe(302);
    const path = `/institutions/${A.id}/reports/${reportId}`;
    const answers = await Promise.all([
      officer.post(path, { decision: "verify", comment: "" }),
      officer.post(path, { decision: "return", comment: "Add the workers' figures by sex" }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([302, 302]);
    const decisions = await s.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", reportId)
      .where("action", "in", ["report.verified", "report.returned", "report.rejected"])
      .execute();
    expect(decisions).toHaveLength(1);
    const row = await s.db.selectFrom("milestone_reports").select("status").where("id", "=", reportId).executeTakeFirstOrThrow();
    expect(`report.${row.status}`).toBe(decisions[0].action);
  });

  it("two sign-offs at once move the stage once", async () => {
    const transitions = () =>
      count(s.db, "stage_transitions", (q) => q.where("institution_id", "=", A.id).where("kind", "=", "advance"));
    const before = await transitions();
    const path = `/institutions/${A.id}/sign-off`;
    const answers = await Promise.all([
      officer.post(path, { fromStage: A.stage, note: "" }),
      officer.post(path, { fromStage: A.stage, note: "" }),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(302); // one goes through…
    expect([302, 409]).toContain(statuses[1]); // …the other is told it already happened (or answered the same)
    expect(await transitions()).toBe(before + 1);
    const inst = await s.db.selectFrom("institutions").select("stage_key").where("id", "=", A.id).executeTakeFirstOrThrow();
    expect(inst.stage_key).toBe("tot");
  });
});
