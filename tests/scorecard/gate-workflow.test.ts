import { WorkflowUpdateFailedError, type WorkflowHandle } from "@temporalio/client";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CriterionResult } from "../../app/domain/gate";
import { TemplateDefinitionSchema } from "../../app/domain/template";
import { insertAssessment } from "../../db/queries/scorecard";
import type { Database } from "../../db/schema";
import {
  assessmentRecordedUpdate,
  decideReportUpdate,
  pathwayStateQuery,
  reportMilestoneUpdate,
  signOffStageUpdate,
} from "../../workflows/shared";
import { createTestDb } from "../support/db";
import {
  Cleanup,
  eventually,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  totCohortReport,
} from "../support/temporal";
import { assessment } from "./support";

/**
 * "Gates use both the scorecard and the records", on a real `temporal server start-dev` and a
 * real PostgreSQL database: a template whose gate into ToT needs six trained trainers and a
 * readiness score of 60. Only the ILO's assessment counts, and the workflow takes it up when the
 * web app tells it one was stored.
 */

const OFFICER = "officer@ilo.example";
const TEMPLATE_ID = "scorecard-test@1";
const TEMPLATE = TemplateDefinitionSchema.parse({
  stages: [
    { key: "engaged", name: "Engaged", gate: [] },
    {
      key: "tot",
      name: "Training of Trainers",
      gate: [
        { key: "trained", label: "Trainers trained in ToT", metric: "trainers_trained", threshold: 6 },
        { key: "readiness", label: "Readiness score", metric: "readiness_score", threshold: 60 },
      ],
    },
    {
      key: "certification",
      name: "Certification",
      gate: [{ key: "certified", label: "Certified trainers", metric: "certified_trainers", threshold: 4 }],
    },
  ],
  timers: { reminderAfterDays: 91, escalateAfterDays: 14, reviewEveryDays: 91, certificationValidityMonths: 36 },
  readinessWeights: { technical: 50, institutional: 25, financial: 25 },
});

const cleanup = new Cleanup();
let db: Kysely<Database>;
let taskQueue: string;
let client: Awaited<ReturnType<typeof startDevTemporal>>["client"];

beforeAll(async () => {
  const temporal = await startDevTemporal(cleanup);
  client = temporal.client;
  const testDb = await createTestDb("postgres");
  cleanup.add("the database", () => testDb.close());
  db = testDb.db;
  await db
    .insertInto("pathway_templates")
    .values({
      id: TEMPLATE_ID,
      key: "scorecard-test",
      version: 1,
      name: "Scorecard test",
      country_code: null,
      definition: JSON.stringify(TEMPLATE),
    })
    .execute();
  ({ taskQueue } = await startPathwayWorker(cleanup, { temporal, db }));
});
afterAll(cleanup.run);

async function pathwayOnTemplate(): Promise<{ id: string; handle: WorkflowHandle }> {
  const id = await makeInstitution(db);
  await db.updateTable("institutions").set({ template_id: TEMPLATE_ID }).where("id", "=", id).execute();
  return { id, handle: await startPathway(client, taskQueue, id) };
}

/** Trains `total` trainers the way it happens: a ToT report, verified by an officer. */
async function verifiedTot(handle: WorkflowHandle, institutionId: string, total: number) {
  const report = totCohortReport(institutionId, { total, women: 2 });
  await handle.executeUpdate(reportMilestoneUpdate, { args: [report], updateId: report.reportId });
  return handle.executeUpdate(decideReportUpdate, {
    args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
  });
}

/** What the action does: store the assessment, then (ILO only) tell the workflow, keyed by the assessment id. */
async function record(
  handle: WorkflowHandle,
  institutionId: string,
  a: ReturnType<typeof assessment>,
  tellWorkflow = a.kind === "ilo",
) {
  await db
    .transaction()
    .execute((trx) =>
      insertAssessment(trx, a, { institutionId, name: a.kind === "ilo" ? OFFICER : "Reporter", userId: null, at: new Date() }),
    );
  if (!tellWorkflow) return null;
  return handle.executeUpdate(assessmentRecordedUpdate, {
    args: [{ assessmentId: a.assessmentId }],
    updateId: `assessment-${a.assessmentId}`,
  });
}

const criterion = (criteria: CriterionResult[] | undefined, key: string) => criteria?.find((c) => c.key === key);

async function gateMetNotices(institutionId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("institution_id", "=", institutionId)
    .where("kind", "=", "gate_met")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => new Error("Expected the workflow to refuse the update"),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  return (e as WorkflowUpdateFailedError).cause?.message ?? "";
}

describe("a gate with a records criterion and a readiness score criterion", () => {
  it("is not met by the records alone, nor by a high self-assessment, and is met once the ILO's assessment passes", async () => {
    const { id, handle } = await pathwayOnTemplate();

    // Records alone: six trainers trained, no assessment.
    const afterTot = await verifiedTot(handle, id, 6);
    expect(criterion(afterTot.nextGate?.criteria, "trained")?.met).toBe(true);
    expect(criterion(afterTot.nextGate?.criteria, "readiness")).toMatchObject({ value: 0, met: false });
    expect(afterTot.nextGate?.met).toBe(false);
    expect(
      await refusal(handle.executeUpdate(signOffStageUpdate, { args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "" }] })),
    ).toBe("The gate to the next stage is not met");

    // The institution rates itself 4 everywhere: the gate reads it even when asked to, and ignores it.
    const self = await record(handle, id, assessment("self", { technical: 4, institutional: 4, financial: 4 }), true);
    expect(criterion(self?.nextGate?.criteria, "readiness")).toMatchObject({ value: 0, met: false });
    expect(self?.nextGate?.met).toBe(false);

    // An ILO assessment below the threshold: technical 2, institutional 3, financial 2 → 50·⅓ + 25·⅔ + 25·⅓ = 41.7.
    const low = await record(handle, id, assessment("ilo", { technical: 2, institutional: 3, financial: 2 }));
    expect(criterion(low?.nextGate?.criteria, "readiness")).toMatchObject({ value: 41.7, met: false });
    expect(low?.nextGate?.met).toBe(false);
    expect(await gateMetNotices(id)).toBe(0);

    // A later ILO assessment above it: technical 3, institutional 3, financial 3 → 66.7. Met, and the ILO is told once.
    const passing = assessment("ilo", { technical: 3, institutional: 3, financial: 3 }, "2026-03-20");
    const met = await record(handle, id, passing);
    expect(criterion(met?.nextGate?.criteria, "readiness")).toMatchObject({ value: 66.7, met: true });
    expect(met?.nextGate?.met).toBe(true);
    expect((await handle.query(pathwayStateQuery)).awaitingSignOff).toBe(true);
    expect(await gateMetNotices(id)).toBe(1);

    // The web app retrying the same update (same id): Temporal answers with the first outcome, nothing doubles.
    const again = await handle.executeUpdate(assessmentRecordedUpdate, {
      args: [{ assessmentId: passing.assessmentId }],
      updateId: `assessment-${passing.assessmentId}`,
    });
    expect(again).toEqual(met);
    expect(await gateMetNotices(id)).toBe(1);

    // The sign-off validator now lets the officer through.
    const signed = await handle.executeUpdate(signOffStageUpdate, {
      args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "Ready" }],
    });
    expect(signed.stageKey).toBe("tot");
  });

  it("is still blocked by the records when the ILO's assessment passes", async () => {
    const { id, handle } = await pathwayOnTemplate();
    await verifiedTot(handle, id, 3);
    const receipt = await record(handle, id, assessment("ilo", { technical: 4, institutional: 4, financial: 4 }));
    expect(criterion(receipt?.nextGate?.criteria, "readiness")).toMatchObject({ value: 100, met: true });
    expect(criterion(receipt?.nextGate?.criteria, "trained")).toMatchObject({ value: 3, met: false });
    expect(receipt?.nextGate?.met).toBe(false);
    expect(
      await refusal(handle.executeUpdate(signOffStageUpdate, { args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "" }] })),
    ).toBe("The gate to the next stage is not met");

    // Three more trainers: now both hold, and the gate is met on the decision itself.
    const afterMore = await verifiedTot(handle, id, 3);
    expect(afterMore.nextGate?.met).toBe(true);
    await eventually(async () => expect(await gateMetNotices(id)).toBe(1));
  });

  it("refuses an update without an assessment id before it enters the history", async () => {
    const { handle } = await pathwayOnTemplate();
    const updateId = `bad-${randomUUID()}`;
    expect(await refusal(handle.executeUpdate(assessmentRecordedUpdate, { args: [{ assessmentId: "" }], updateId }))).toBe(
      "An assessment id is needed",
    );
  });
});
