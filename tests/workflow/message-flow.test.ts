import { Context } from "@temporalio/activity";
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from "@temporalio/client";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import {
  decideReportUpdate,
  pathwayStateQuery,
  reportMilestoneUpdate,
  resubmitReportUpdate,
  signOffStageUpdate,
} from "../../workflows/shared";
import { createTestDb, type TestDbKind } from "../support/db";
import { isRefusalCode } from "../../workflows/refusal";
import {
  Cleanup,
  acceptedUpdateIds,
  activitiesScheduled,
  historyEvents,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  totCohortReport,
  type TemporalHandle,
} from "../support/temporal";

/**
 * The pathway workflow on a real `temporal server start-dev`, writing to a real database:
 * every message the web app sends, what each one leaves in the database, and what survives a
 * worker that stops half-way.
 */

const OFFICER = "officer@ilo.example";
const cleanup = new Cleanup();
let temporal: TemporalHandle;

beforeAll(async () => {
  temporal = await startDevTemporal(cleanup);
});
afterAll(cleanup.run);

async function openDb(kind: TestDbKind) {
  const testDb = await createTestDb(kind);
  cleanup.add(`the ${kind} database`, () => testDb.close());
  return testDb.db;
}

function count(
  db: Kysely<Database>,
  table: "milestone_reports" | "trainers" | "stage_transitions" | "notifications",
  where: Record<string, string>,
) {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"));
  for (const [column, value] of Object.entries(where)) q = q.where(column as never, "=", value as never);
  return q.executeTakeFirstOrThrow().then((r) => Number(r.n));
}

function auditCount(db: Kysely<Database>, institutionId: string, action: string) {
  return db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("institution_id", "=", institutionId)
    .where("action", "=", action)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** The update's failure message, as the web app would read it (`WorkflowUpdateFailedError.cause`). */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => {
      throw new Error("Expected the workflow to refuse the update");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  // Every refusal carries a code the web app reads (workflows/refusal.ts); the message is for logs.
  const cause = (e as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(isRefusalCode((cause as ApplicationFailure).type), `refusal type ${(cause as ApplicationFailure).type}`).toBe(true);
  return cause?.message ?? "";
}

function certifiedReport(institutionId: string, trainerId: string) {
  return {
    reportId: randomUUID(),
    institutionId,
    submittedBy: "coordinator@institute.example",
    evidence: [{ label: "Certificate", reference: "CERT-0001" }],
    kind: "trainer_certified" as const,
    payload: { trainerId, module: "M1", certifiedOn: "2024-06-01", nationalExpert: false },
  };
}

describe.each<TestDbKind>(["pglite", "postgres"])("an Engaged institution's pathway, on %s", (kind) => {
  let db: Kysely<Database>;
  let institutionId: string;
  let handle: WorkflowHandle;
  const tot = () => totCohortReport(institutionId, { total: 6, women: 2, reportId: totId });
  const totId = randomUUID();

  beforeAll(async () => {
    db = await openDb(kind);
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db });
    institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    handle = await startPathway(temporal.client, taskQueue, institutionId);
  });

  it("stores a ToT cohort report once, however often it is sent", async () => {
    const first = await handle.executeUpdate(reportMilestoneUpdate, { args: [tot()], updateId: `report-${totId}` });
    expect(first).toEqual({ reportId: totId, created: true, status: "submitted" });

    // The same report again (a double click, a retried form post): a new update, no new report.
    const again = await handle.executeUpdate(reportMilestoneUpdate, { args: [tot()] });
    expect(again).toEqual({ reportId: totId, created: false, status: "submitted" });

    // The same update id again: Temporal hands back the first outcome without running the handler.
    const sameUpdate = await handle.executeUpdate(reportMilestoneUpdate, { args: [tot()], updateId: `report-${totId}` });
    expect(sameUpdate).toEqual(first);

    expect(await count(db, "milestone_reports", { institution_id: institutionId })).toBe(1);
    expect(await auditCount(db, institutionId, "report.submitted")).toBe(1);
    const row = await db.selectFrom("milestone_reports").select("status").where("id", "=", totId).executeTakeFirstOrThrow();
    expect(row.status).toBe("submitted");
    expect((await handle.query(pathwayStateQuery)).pendingReports).toEqual([totId]);
    const events = await historyEvents(handle);
    expect(acceptedUpdateIds(events).filter((id) => id === `report-${totId}`)).toHaveLength(1);
    expect(activitiesScheduled(events, "recordReport")).toBe(2);
  });

  it("refuses an invalid report before it enters the history", async () => {
    const bad = { ...tot(), reportId: randomUUID(), payload: { ...tot().payload, trainers: [] } };
    const message = await refusal(handle.executeUpdate(reportMilestoneUpdate, { args: [bad], updateId: "invalid-report" }));
    expect(message).toMatch(/^Invalid report: payload.trainers: List at least one trainer/);

    const badDate = { ...tot(), reportId: randomUUID(), payload: { ...tot().payload, endedOn: "15/03/2024" } };
    expect(await refusal(handle.executeUpdate(reportMilestoneUpdate, { args: [badDate], updateId: "invalid-date" }))).toMatch(
      /payload.endedOn: Enter a date as YYYY-MM-DD/,
    );

    const events = await historyEvents(handle);
    expect(acceptedUpdateIds(events)).not.toContain("invalid-report");
    expect(acceptedUpdateIds(events)).not.toContain("invalid-date");
    expect(await count(db, "milestone_reports", { institution_id: institutionId })).toBe(1);
  });

  it("refuses a report made out to another institution", async () => {
    const otherId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const foreign = totCohortReport(otherId, { total: 6, women: 3 });
    const message = await refusal(handle.executeUpdate(reportMilestoneUpdate, { args: [foreign], updateId: "foreign-report" }));
    expect(message).toBe("This report belongs to another institution");
    expect(acceptedUpdateIds(await historyEvents(handle))).not.toContain("foreign-report");
    expect(await count(db, "milestone_reports", { id: foreign.reportId })).toBe(0);
  });

  it("turns a verified ToT report into trainers, and the gate to ToT waits for sign-off", async () => {
    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: totId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(receipt.status).toBe("verified");
    expect(receipt.nextGate).toMatchObject({ stageKey: "tot", met: true, progress: 100 });

    const trainers = await db
      .selectFrom("trainers")
      .select(["sex", "trained_on"])
      .where("institution_id", "=", institutionId)
      .execute();
    expect(trainers).toHaveLength(6);
    expect(trainers.filter((t) => t.sex === "female")).toHaveLength(2);
    expect(new Set(trainers.map((t) => t.trained_on))).toEqual(new Set(["2024-03-15"]));

    const view = await handle.query(pathwayStateQuery);
    expect(view).toMatchObject({ stageKey: "engaged", awaitingSignOff: true, pendingReports: [], slip: null });
    expect(view.nextGate?.criteria.map((c) => [c.key, c.value, c.met])).toEqual([
      ["mou", 1, true],
      ["portfolio", 1, true],
      ["trained", 6, true],
      ["women", 33.3, true],
    ]);
    expect(await count(db, "notifications", { institution_id: institutionId, kind: "gate_met" })).toBe(1);
  });

  it("moves the institution to ToT on sign-off, once", async () => {
    const receipt = await handle.executeUpdate(signOffStageUpdate, {
      args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "Six trainers, two of them women" }],
    });
    expect(receipt.stageKey).toBe("tot");
    expect(receipt.nextGate).toMatchObject({ stageKey: "certification", met: false });

    const inst = await db
      .selectFrom("institutions")
      .select(["stage_key"])
      .where("id", "=", institutionId)
      .executeTakeFirstOrThrow();
    expect(inst.stage_key).toBe("tot");
    const transitions = await db
      .selectFrom("stage_transitions")
      .select(["from_stage", "to_stage", "kind", "decided_by", "reason"])
      .where("institution_id", "=", institutionId)
      .where("kind", "=", "advance")
      .execute();
    expect(transitions).toEqual([
      { from_stage: "engaged", to_stage: "tot", kind: "advance", decided_by: OFFICER, reason: "Six trainers, two of them women" },
    ]);
    expect(await auditCount(db, institutionId, "stage.signed_off")).toBe(1);
    expect(await count(db, "notifications", { institution_id: institutionId, kind: "signed_off" })).toBe(1);
    expect(await handle.query(pathwayStateQuery)).toMatchObject({ stageKey: "tot", awaitingSignOff: false });

    // A second click on the page that still shows Engaged.
    const message = await refusal(
      handle.executeUpdate(signOffStageUpdate, {
        args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "again" }],
        updateId: "second-sign-off",
      }),
    );
    expect(message).toBe("The institution is no longer at engaged");
    expect(acceptedUpdateIds(await historyEvents(handle))).not.toContain("second-sign-off");
    expect(await count(db, "stage_transitions", { institution_id: institutionId, kind: "advance" })).toBe(1);
  });

  it("returns a report with the officer's comment, and tells the institution", async () => {
    const trainer = await db
      .selectFrom("trainers")
      .select("id")
      .where("institution_id", "=", institutionId)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const report = certifiedReport(institutionId, trainer.id);
    expect((await handle.executeUpdate(reportMilestoneUpdate, { args: [report] })).created).toBe(true);

    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [
        { reportId: report.reportId, decision: "return", comment: "Attach the expert's recommendation", decidedBy: OFFICER },
      ],
    });
    expect(receipt.status).toBe("returned");

    const row = await db
      .selectFrom("milestone_reports")
      .select(["status", "decision_comment", "decided_by"])
      .where("id", "=", report.reportId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "returned", decision_comment: "Attach the expert's recommendation", decided_by: OFFICER });
    const note = await db
      .selectFrom("notifications")
      .selectAll()
      .where("id", "=", `decision-${report.reportId}`)
      .executeTakeFirstOrThrow();
    expect(note).toMatchObject({ institution_id: institutionId, kind: "returned", audience: "institution" });
    // What pages render: a key with its values, the officer's words kept as they are.
    expect(note).toMatchObject({
      message_key: "notice.decided",
      message_params: { status: { key: "status.returned" }, comment: "Attach the expert's recommendation" },
    });
    expect(note.message).toContain("Attach the expert's recommendation");
    expect(await db.selectFrom("trainer_certifications").select("id").where("trainer_id", "=", trainer.id).execute()).toEqual([]);
    expect((await handle.query(pathwayStateQuery)).pendingReports).toEqual([]);

    expect(
      await refusal(
        handle.executeUpdate(decideReportUpdate, {
          args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
        }),
      ),
    ).toBe("This report is not waiting for a decision");
  });

  it("takes a returned report back fixed, as one report one revision later, and verifies it", async () => {
    const returned = await db
      .selectFrom("milestone_reports")
      .selectAll()
      .where("status", "=", "returned")
      .where("institution_id", "=", institutionId)
      .executeTakeFirstOrThrow();
    const fixed = {
      ...(await db
        .selectFrom("trainers")
        .select("id")
        .where("institution_id", "=", institutionId)
        .orderBy("name")
        .executeTakeFirstOrThrow()),
    };
    const report = { ...certifiedReport(institutionId, fixed.id), reportId: returned.id };
    report.evidence = [{ label: "Expert's recommendation", reference: "REC-2026-3" }];

    const first = await handle.executeUpdate(resubmitReportUpdate, { args: [report], updateId: `resubmit-${returned.id}-1` });
    expect(first).toMatchObject({ applied: true, revision: 2, status: "submitted" });
    // A double click: the same update id answers the same, and a new id is refused before history.
    expect(await handle.executeUpdate(resubmitReportUpdate, { args: [report], updateId: `resubmit-${returned.id}-1` })).toEqual(
      first,
    );
    expect(await refusal(handle.executeUpdate(resubmitReportUpdate, { args: [report] }))).toBe(
      "This report is already waiting for verification",
    );

    const rows = await db
      .selectFrom("milestone_reports")
      .select(["status", "revision", "evidence"])
      .where("id", "=", returned.id)
      .execute();
    expect(rows).toEqual([{ status: "submitted", revision: 2, evidence: report.evidence }]);
    expect((await handle.query(pathwayStateQuery)).pendingReports).toContain(returned.id);

    const verified = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: returned.id, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(verified.status).toBe("verified");
    const history = await db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", returned.id)
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.action)).toEqual([
      "report.submitted",
      "report.returned",
      "report.resubmitted",
      "report.verified",
    ]);
  });
});

describe("a pathway when things go wrong, on pglite", () => {
  let db: Kysely<Database>;

  beforeAll(async () => {
    db = await openDb("pglite");
  });

  /** An Engaged institution whose gate to ToT is already met by its records. */
  async function institutionReadyForToT(): Promise<string> {
    const id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    await db
      .insertInto("trainers")
      .values(
        Array.from({ length: 6 }, (_, i) => ({
          id: randomUUID(),
          institution_id: id,
          name: `Seeded trainer ${i}`,
          sex: i < 3 ? ("female" as const) : ("male" as const),
          trained_on: "2024-02-01",
          last_active_on: "2024-02-01",
        })),
      )
      .execute();
    return id;
  }

  it("two sign-offs that wait while the pathway loads move the institution once", async () => {
    const institutionId = await institutionReadyForToT();
    const taskQueue = `pathways-test-${randomUUID().slice(0, 8)}`;
    // No worker yet: both sign-offs reach the workflow before it has loaded anything.
    const handle = await startPathway(temporal.client, taskQueue, institutionId);
    const signOff = (n: number) =>
      handle.executeUpdate(signOffStageUpdate, { args: [{ fromStage: "engaged", decidedBy: OFFICER, note: `click ${n}` }] });
    const results = Promise.allSettled([signOff(1), signOff(2)]);
    await new Promise((r) => setTimeout(r, 500));
    await startPathwayWorker(cleanup, { temporal, db, taskQueue });
    const [a, b] = await results;

    const outcomes = [a, b].map((r) =>
      r.status === "fulfilled" ? r.value.stageKey : ((r.reason as WorkflowUpdateFailedError).cause as ApplicationFailure).type,
    );
    // The second is refused by the handler, under the lock, with the same code as the validator's.
    expect(outcomes.sort()).toEqual(["WRONG_STAGE", "tot"]);
    expect(await count(db, "stage_transitions", { institution_id: institutionId, kind: "advance" })).toBe(1);
    expect(await auditCount(db, institutionId, "stage.signed_off")).toBe(1);
    expect((await handle.query(pathwayStateQuery)).stageKey).toBe("tot");
  });

  it("a report whose first store committed but never reported back still waits for a decision", async () => {
    let crashed = false;
    const { taskQueue } = await startPathwayWorker(cleanup, {
      temporal,
      db,
      activities: (real) => ({
        // The row is committed, then the worker loses its connection before it can answer.
        async recordReport(...args: Parameters<typeof real.recordReport>) {
          const stored = await real.recordReport(...args);
          if (!crashed) {
            crashed = true;
            throw new Error("connection lost after commit");
          }
          return stored;
        },
      }),
    });
    const institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const handle = await startPathway(temporal.client, taskQueue, institutionId);
    const report = totCohortReport(institutionId, { total: 6, women: 2 });

    expect(await handle.executeUpdate(reportMilestoneUpdate, { args: [report] })).toEqual({
      reportId: report.reportId,
      created: true,
      status: "submitted",
    });
    expect(crashed).toBe(true);
    expect((await handle.query(pathwayStateQuery)).pendingReports).toEqual([report.reportId]);
    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(receipt.status).toBe("verified");
    expect(await count(db, "trainers", { institution_id: institutionId })).toBe(6);
  });

  it("a worker stopped in the middle of a decision loses nothing and doubles nothing", async () => {
    const institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    let committed!: () => void;
    const decisionCommitted = new Promise<void>((r) => (committed = r));
    const first = await startPathwayWorker(cleanup, {
      temporal,
      db,
      shutdownGraceTime: "200ms",
      activities: (real) => ({
        // Commits, then hangs until the worker stops under it: the retry lands on the next worker.
        async recordDecision(...args: Parameters<typeof real.recordDecision>) {
          const result = await real.recordDecision(...args);
          committed();
          await Context.current().cancelled; // throws once the worker shuts down under it
          return result;
        },
      }),
    });
    const handle = await startPathway(temporal.client, first.taskQueue, institutionId);
    const report = totCohortReport(institutionId, { total: 6, women: 2 });
    await handle.executeUpdate(reportMilestoneUpdate, { args: [report] });

    const decision = handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    await decisionCommitted;
    await first.stop();
    await startPathwayWorker(cleanup, { temporal, db, taskQueue: first.taskQueue });

    expect((await decision).status).toBe("verified");
    expect(await count(db, "trainers", { institution_id: institutionId })).toBe(6);
    expect(await auditCount(db, institutionId, "report.verified")).toBe(1);
    expect(await handle.query(pathwayStateQuery)).toMatchObject({
      stageKey: "engaged",
      awaitingSignOff: true,
      pendingReports: [],
    });

    // The new worker rebuilt the workflow from its history and carries on from there.
    const moved = await handle.executeUpdate(signOffStageUpdate, {
      args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "" }],
    });
    expect(moved.stageKey).toBe("tot");
    expect(await count(db, "stage_transitions", { institution_id: institutionId, kind: "advance" })).toBe(1);
    expect(await count(db, "milestone_reports", { institution_id: institutionId })).toBe(1);
    expect(activitiesScheduled(await historyEvents(handle), "recordDecision")).toBe(1);
  });

  it("a decision the database cannot apply fails the update and leaves the report pending", async () => {
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db });
    const institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const handle = await startPathway(temporal.client, taskQueue, institutionId);
    // A module the catalogue does not have: valid to the form, refused by the database.
    const report = { ...totCohortReport(institutionId, { total: 6, women: 2 }) };
    report.payload = { ...report.payload, module: "M9" };
    await handle.executeUpdate(reportMilestoneUpdate, { args: [report] });

    const message = await refusal(
      handle.executeUpdate(decideReportUpdate, {
        args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
      }),
    );
    expect(message).toMatch(/^The report cannot be applied: .*foreign key/);
    expect((await handle.query(pathwayStateQuery)).pendingReports).toEqual([report.reportId]);
    expect(await count(db, "trainers", { institution_id: institutionId })).toBe(0);

    // The workflow is not stuck behind the failed decision: the officer returns the report instead.
    const returned = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "return", comment: "M9 is not a SCORE module", decidedBy: OFFICER }],
    });
    expect(returned.status).toBe("returned");
  });

  it("a report naming another institution's trainer changes nothing of that institution", async () => {
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db });
    const other = await institutionReadyForToT();
    const theirTrainer = await db
      .selectFrom("trainers")
      .select("id")
      .where("institution_id", "=", other)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("trainer_certifications")
      .values({
        id: randomUUID(),
        trainer_id: theirTrainer.id,
        module_code: "M1",
        certified_on: "2024-03-01",
        expires_on: "2027-03-01",
      })
      .execute();
    const institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const handle = await startPathway(temporal.client, taskQueue, institutionId);
    const base = { institutionId, submittedBy: "coordinator@institute.example", evidence: [] };

    const lapsed = {
      ...base,
      reportId: randomUUID(),
      kind: "trainer_lapsed" as const,
      payload: { trainerId: theirTrainer.id, module: "M1", lapsedOn: "2024-05-01" },
    };
    await handle.executeUpdate(reportMilestoneUpdate, { args: [lapsed] });
    await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: lapsed.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    const cert = await db
      .selectFrom("trainer_certifications")
      .select("expires_on")
      .where("trainer_id", "=", theirTrainer.id)
      .executeTakeFirstOrThrow();
    expect(cert.expires_on).toBe("2027-03-01");

    const certified = certifiedReport(institutionId, theirTrainer.id);
    await handle.executeUpdate(reportMilestoneUpdate, { args: [certified] });
    const message = await refusal(
      handle.executeUpdate(decideReportUpdate, {
        args: [{ reportId: certified.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
      }),
    );
    expect(message).toBe("The report cannot be applied: it names a record this institution does not have");
    expect((await handle.query(pathwayStateQuery)).pendingReports).toEqual([certified.reportId]);
    expect(
      await db.selectFrom("trainer_certifications").select("id").where("trainer_id", "=", theirTrainer.id).execute(),
    ).toHaveLength(1);
  });

  it("continues as new when its history grows long, keeping its stage and pending reports", async () => {
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db });
    const institutionId = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const handle = await startPathway(temporal.client, taskQueue, institutionId);
    const report = totCohortReport(institutionId, { total: 6, women: 2 });
    await handle.executeUpdate(reportMilestoneUpdate, { args: [report] });
    const firstExecutionRunId = (await handle.describe()).runId;

    // Repeated reports change nothing but still add events: 11 each, past the 4,000 limit.
    const started = Date.now();
    let sent = 0;
    while ((await handle.describe()).runId === firstExecutionRunId && sent < 450) {
      for (let i = 0; i < 25; i++) {
        expect((await handle.executeUpdate(reportMilestoneUpdate, { args: [report] })).created).toBe(false);
      }
      sent += 25;
    }
    console.log(`continue-as-new after ${sent} repeated reports in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const desc = await handle.describe();
    expect(desc.runId).not.toBe(firstExecutionRunId);
    const oldRun = temporal.client.workflow.getHandle(handle.workflowId, firstExecutionRunId);
    const oldEvents = await historyEvents(oldRun);
    expect(oldEvents.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(oldEvents.length).toBeGreaterThan(4_000);

    const newEvents = await historyEvents(handle);
    expect(activitiesScheduled(newEvents, "loadPathwayStart")).toBe(0);
    expect(await handle.query(pathwayStateQuery)).toMatchObject({ stageKey: "engaged", pendingReports: [report.reportId] });
    const receipt = await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
    });
    expect(receipt).toMatchObject({ status: "verified", nextGate: { stageKey: "tot", met: true } });
    expect(await count(db, "milestone_reports", { institution_id: institutionId })).toBe(1);
  }, 120_000);
});
