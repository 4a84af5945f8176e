import type { WorkflowHandle } from "@temporalio/client";
import type { TestWorkflowEnvironment } from "@temporalio/testing";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TIMER_JITTER_WINDOW_MS, timerJitterMs } from "../../workflows/jitter";
import { DAY_MS, addMonths, isoDate } from "../../app/domain/dates";
import { DEFAULT_TEMPLATE_ID } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import {
  decideReportUpdate,
  decideSlipUpdate,
  pathwayStateQuery,
  pathwayWorkflowId,
  reportMilestoneUpdate,
  type PathwayState,
} from "../../workflows/shared";
import { createTestDb } from "../support/db";
import {
  Cleanup,
  activitiesScheduled,
  eventually,
  historyEvents,
  makeInstitution,
  startPathway,
  startPathwayWorker,
  startTimeSkippingTemporal,
  totCohortReport,
  type TemporalHandle,
} from "../support/temporal";

/**
 * The pathway's clocks, on Temporal's time-skipping test server: months pass in seconds. Time
 * is global to the server, so every test reads the server's time and seeds its dates from it.
 * Default template: reminder after 91 days without a report, escalation after 14 days waiting,
 * floor review every 91 days, certifications valid 36 months.
 */

const OFFICER = "officer@ilo.example";
const days = (n: number) => n * DAY_MS;
const cleanup = new Cleanup();
let env: TestWorkflowEnvironment & TemporalHandle;
let db: Kysely<Database>;
let taskQueue: string;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  env = await startTimeSkippingTemporal(cleanup);
  const testDb = await createTestDb("pglite");
  cleanup.add("the database", () => testDb.close());
  db = testDb.db;
  ({ taskQueue } = await startPathwayWorker(cleanup, { temporal: env, db }));
});
afterAll(cleanup.run);
// A pathway left running would fire its own timers while later tests skip time.
afterEach(async () => {
  for (const handle of started.splice(0)) await handle.terminate("test finished").catch(() => {});
});

async function start(institutionId: string, state?: PathwayState): Promise<WorkflowHandle> {
  const handle = await startPathway(env.client, taskQueue, institutionId, state);
  started.push(handle);
  // The first evaluation has run once the query shows the stage.
  await eventually(async () => expect((await handle.query(pathwayStateQuery)).nextGate).not.toBeNull());
  return handle;
}

function notifications(institutionId: string, kind: string) {
  return db
    .selectFrom("notifications")
    .select(["id", "created_at", "message"])
    .where("institution_id", "=", institutionId)
    .where("kind", "=", kind)
    .orderBy("created_at")
    .execute();
}

describe("reminders", () => {
  it("reminds an institution once per quarter without reports", async () => {
    const t0 = await env.currentTimeMs();
    const id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true, at: new Date(t0) });
    await start(id);

    await env.sleep(days(90));
    expect(await notifications(id, "reminder")).toEqual([]);

    await env.sleep(days(2));
    const first = await eventually(async () => {
      const rows = await notifications(id, "reminder");
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    // Due on day 91, fired the pathway's own offset later (timer jitter, decision 019).
    const firedAt = new Date(first.created_at).getTime();
    expect(firedAt - (t0 + days(91))).toBeGreaterThanOrEqual(0);
    expect(firedAt - (t0 + days(91))).toBeLessThan(TIMER_JITTER_WINDOW_MS + 60_000);
    expect(first.id).toBe(`reminder-${id}-${isoDate(firedAt)}`);

    await env.sleep(days(89)); // day 181: the next quarter has not ended yet
    expect(await notifications(id, "reminder")).toHaveLength(1);
    await env.sleep(days(2)); // day 183: it has
    await eventually(async () => expect(await notifications(id, "reminder")).toHaveLength(2));
  });

  it("spreads a reminder already overdue when the pathway starts over its jitter window, instead of firing at once", async () => {
    const t0 = await env.currentTimeMs();
    // Created 200 days ago with no report since: the reminder was due 109 days ago. The offset
    // is the pathway's own (a hash of its id); one within a minute of zero could not tell
    // "spread" from "at once", so the test takes an institution whose offset is over an hour.
    let id: string;
    let offset: number;
    do {
      id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true, at: new Date(t0 - days(200)) });
      offset = timerJitterMs(pathwayWorkflowId(id), days(14));
    } while (offset < 60 * 60 * 1000);
    await start(id);
    const began = await env.currentTimeMs();

    await env.sleep(offset - 30 * 60 * 1000); // half an hour before its offset: not yet
    expect(await notifications(id, "reminder")).toEqual([]);
    await env.sleep(60 * 60 * 1000);
    const reminder = await eventually(async () => {
      const rows = await notifications(id, "reminder");
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    const firedAt = new Date(reminder.created_at).getTime();
    expect(firedAt - began).toBeGreaterThanOrEqual(offset - 60_000);
    expect(firedAt - began).toBeLessThan(offset + 60_000);
  });

  it("counts the quarter from the last report", async () => {
    const t0 = await env.currentTimeMs();
    const id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true, at: new Date(t0) });
    const handle = await start(id);
    await env.sleep(days(60));
    await handle.executeUpdate(reportMilestoneUpdate, { args: [totCohortReport(id, { total: 6, women: 2 })] });

    await env.sleep(days(60)); // day 120: 91 days after creation, but only 60 after the report
    expect(await notifications(id, "reminder")).toEqual([]);
    await env.sleep(days(33)); // day 153: 93 days after the report
    await eventually(async () => expect(await notifications(id, "reminder")).toHaveLength(1));
  });
});

describe("escalation", () => {
  it("escalates a report that waits beyond 14 days, exactly once", async () => {
    const t0 = await env.currentTimeMs();
    const id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true, at: new Date(t0) });
    const handle = await start(id);
    const report = totCohortReport(id, { total: 6, women: 2 });
    await handle.executeUpdate(reportMilestoneUpdate, { args: [report] });
    const escalatedAt = async () =>
      (
        await db
          .selectFrom("milestone_reports")
          .select("escalated_at")
          .where("id", "=", report.reportId)
          .executeTakeFirstOrThrow()
      ).escalated_at;

    await env.sleep(days(13));
    expect(await escalatedAt()).toBeNull();
    expect(await notifications(id, "escalation")).toEqual([]);

    await env.sleep(days(2));
    const at = await eventually(async () => {
      const value = await escalatedAt();
      expect(value).not.toBeNull();
      return value!;
    });
    expect(at.getTime()).toBeGreaterThanOrEqual(t0 + days(14));
    expect(at.getTime()).toBeLessThan(t0 + days(15));
    const rows = await eventually(async () => {
      const r = await notifications(id, "escalation");
      expect(r).toHaveLength(1);
      return r;
    });
    expect(rows[0].id).toBe(`escalation-${report.reportId}`);

    await env.sleep(days(30));
    expect(await notifications(id, "escalation")).toHaveLength(1);
    expect((await escalatedAt())?.getTime()).toBe(at.getTime());
    expect(activitiesScheduled(await historyEvents(handle), "escalateReport")).toBe(1);

    // Deciding the report still works after the escalation.
    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(receipt.status).toBe("verified");
  });
});

describe("certification expiry", () => {
  /**
   * An institution at Certification whose four certified trainers' certificates all lapse
   * `expiresInDays` after now (server time): the `certified` floor (≥ 4, one review) fails then.
   */
  async function certifiedInstitution(t0: number, expiresInDays: number): Promise<string> {
    const id = await makeInstitution(db, {
      stageKey: "certification",
      mouSignedOn: "2021-01-15",
      scoreInPortfolio: true,
      at: new Date(t0),
    });
    const expiresOn = isoDate(t0 + days(expiresInDays));
    const certifiedOn = addMonths(expiresOn, -36);
    const trainers = Array.from({ length: 6 }, (_, i) => ({
      id: randomUUID(),
      institution_id: id,
      name: `Certified trainer ${i}`,
      sex: i % 2 === 0 ? ("female" as const) : ("male" as const),
      national_expert: i === 0,
      trained_on: addMonths(certifiedOn, -4),
      last_active_on: isoDate(t0 - days(30)),
    }));
    await db.insertInto("trainers").values(trainers).execute();
    await db
      .insertInto("trainer_certifications")
      .values(
        ["M1", "M2", "M3", "M1"].map((module, i) => ({
          id: randomUUID(),
          trainer_id: trainers[i].id,
          module_code: module,
          certified_on: certifiedOn,
          expires_on: expiresOn,
        })),
      )
      .execute();
    return id;
  }

  async function slipFlag(id: string) {
    return await db.selectFrom("institutions").select(["slip_flag", "stage_key"]).where("id", "=", id).executeTakeFirstOrThrow();
  }

  it("flags an institution whose certifications lapse; confirming moves it back, dismissing clears the flag", async () => {
    const t0 = await env.currentTimeMs();
    const confirmed = await certifiedInstitution(t0, 60);
    const dismissed = await certifiedInstitution(t0, 60);
    const confirmHandle = await start(confirmed);
    const dismissHandle = await start(dismissed);
    expect(await confirmHandle.query(pathwayStateQuery)).toMatchObject({ stageKey: "certification", slip: null });

    await env.sleep(days(59));
    expect((await slipFlag(confirmed)).slip_flag).toBeNull();
    expect(await notifications(confirmed, "slip_flagged")).toEqual([]);

    await env.sleep(days(2));
    for (const id of [confirmed, dismissed]) {
      const flag = await eventually(async () => {
        const row = await slipFlag(id);
        expect(row.slip_flag).not.toBeNull();
        return row.slip_flag!;
      });
      expect(flag.toStage).toBe("tot");
      expect(flag.reason).toMatch(/^Certified trainers: 0 against 4 required/);
      expect(Date.parse(flag.flaggedAt)).toBeGreaterThanOrEqual(t0 + days(59));
      await eventually(async () => expect(await notifications(id, "slip_flagged")).toHaveLength(1));
    }
    expect((await confirmHandle.query(pathwayStateQuery)).slip).toMatchObject({ toStage: "tot" });

    const moved = await confirmHandle.executeUpdate(decideSlipUpdate, {
      args: [{ confirm: true, decidedBy: OFFICER, reason: "All certifications lapsed; renewal ToT planned" }],
    });
    expect(moved.stageKey).toBe("tot");
    expect(await slipFlag(confirmed)).toEqual({ slip_flag: null, stage_key: "tot" });
    const back = await db
      .selectFrom("stage_transitions")
      .select(["from_stage", "to_stage", "reason", "decided_by"])
      .where("institution_id", "=", confirmed)
      .where("kind", "=", "slip_back")
      .execute();
    expect(back).toEqual([
      {
        from_stage: "certification",
        to_stage: "tot",
        reason: "All certifications lapsed; renewal ToT planned",
        decided_by: OFFICER,
      },
    ]);
    expect(await confirmHandle.query(pathwayStateQuery)).toMatchObject({ stageKey: "tot", slip: null });

    const kept = await dismissHandle.executeUpdate(decideSlipUpdate, {
      args: [{ confirm: false, decidedBy: OFFICER, reason: "Renewals are in the post" }],
    });
    expect(kept.stageKey).toBe("certification");
    expect(await slipFlag(dismissed)).toEqual({ slip_flag: null, stage_key: "certification" });
    expect(await dismissHandle.query(pathwayStateQuery)).toMatchObject({ stageKey: "certification", slip: null });
    const cleared = await db
      .selectFrom("audit_log")
      .select("actor")
      .where("institution_id", "=", dismissed)
      .where("action", "=", "stage.slip_cleared")
      .execute();
    expect(cleared).toHaveLength(1);

    // Nothing is waiting any more: a second decision is refused before it enters the history.
    await expect(
      dismissHandle.executeUpdate(decideSlipUpdate, { args: [{ confirm: true, decidedBy: OFFICER, reason: "" }] }),
    ).rejects.toThrow(/Workflow Update failed/);
  });
});

describe("continue-as-new", () => {
  it("resumes from the state it carries, without reloading the start from the database", async () => {
    const t0 = await env.currentTimeMs();
    const id = await makeInstitution(db, {
      stageKey: "tot",
      mouSignedOn: "2024-01-15",
      scoreInPortfolio: true,
      at: new Date(t0 - days(200)),
    });
    const report = totCohortReport(id, { total: 6, women: 2 });
    // The database says the report came in yesterday; the carried state says ten days ago.
    await db
      .insertInto("milestone_reports")
      .values({
        id: report.reportId,
        institution_id: id,
        kind: report.kind,
        payload: JSON.stringify(report.payload),
        evidence: "[]",
        status: "submitted",
        submitted_by: report.submittedBy,
        submitted_at: new Date(t0 - days(1)),
      })
      .execute();
    const state: PathwayState = {
      templateId: DEFAULT_TEMPLATE_ID,
      stageKey: "tot",
      pending: { [report.reportId]: { kind: "tot_cohort", submittedAt: t0 - days(10), escalated: false } },
      lastReportAt: t0 - days(10),
      lastReminderAt: null,
      nextReviewAt: t0 + days(91),
      floorMisses: {},
      slip: null,
      gateMetNotified: null,
    };
    const handle = await start(id, state);

    expect(await handle.query(pathwayStateQuery)).toMatchObject({
      templateId: DEFAULT_TEMPLATE_ID,
      stageKey: "tot",
      pendingReports: [report.reportId],
    });
    const events = await historyEvents(handle);
    expect(activitiesScheduled(events, "loadPathwayStart")).toBe(0);
    expect(activitiesScheduled(events, "loadTemplate")).toBe(1);

    // 14 days after the carried submission time is 4 days from now (from the database's, 13).
    await env.sleep(days(5));
    await eventually(async () => expect(await notifications(id, "escalation")).toHaveLength(1));

    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(receipt).toMatchObject({ status: "verified", nextGate: { stageKey: "certification", met: false } });
    expect(await db.selectFrom("trainers").select("id").where("institution_id", "=", id).execute()).toHaveLength(6);
  });
});
