import { WorkflowUpdateFailedError, type WorkflowHandle } from "@temporalio/client";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftFromDefinition, validateDraft } from "../../app/features/templates/template-validation";
import { getTemplate } from "../../db/queries/institutions";
import { createDraft, publishDraft, recordTemplateMove, saveDraft } from "../../db/queries/templates";
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import {
  decideReportUpdate,
  moveTemplateUpdate,
  pathwayStateQuery,
  reportMilestoneUpdate,
  signOffStageUpdate,
} from "../../workflows/shared";
import { createTestDb } from "../support/db";
import {
  Cleanup,
  acceptedUpdateIds,
  eventually,
  historyEvents,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  totCohortReport,
  type TemporalHandle,
} from "../support/temporal";

/**
 * Template versions on a real `temporal server start-dev` and a real database: a published
 * version reaches new institutions at once; a running institution moved to it keeps its history
 * and is judged by the new gate straight away; the move is audited and happens once.
 */

const ADMIN = "admin@ilo.example";
const OFFICER = "officer@ilo.example";
const cleanup = new Cleanup();
let temporal: TemporalHandle;
let db: Kysely<Database>;
let taskQueue: string;

beforeAll(async () => {
  temporal = await startDevTemporal(cleanup);
  const testDb = await createTestDb("pglite");
  cleanup.add("the database", () => testDb.close());
  db = testDb.db;
  ({ taskQueue } = await startPathwayWorker(cleanup, { temporal, db }));
});
afterAll(cleanup.run);

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => {
      throw new Error("Expected the workflow to refuse the update");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  return (e as WorkflowUpdateFailedError).cause?.message ?? "";
}

const templateOf = async (id: string) =>
  (await db.selectFrom("institutions").select("template_id").where("id", "=", id).executeTakeFirstOrThrow()).template_id;

function counts(institutionId: string) {
  const n = (table: "stage_transitions" | "milestone_reports" | "template_moves") =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("institution_id", "=", institutionId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const audit = db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("institution_id", "=", institutionId)
    .where("action", "=", "institution.template_moved")
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
  return Promise.all([n("stage_transitions"), n("milestone_reports"), n("template_moves"), audit]).then(
    ([transitions, reports, moves, moveAudits]) => ({
      transitions,
      reports,
      moves,
      moveAudits,
    }),
  );
}

/** An institution whose ToT cohort is verified: the gate to ToT is met under default@1. */
async function withToTGateMet(): Promise<{ id: string; handle: WorkflowHandle }> {
  const id = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
  const handle = await startPathway(temporal.client, taskQueue, id);
  const report = totCohortReport(id, { total: 6, women: 2 });
  await handle.executeUpdate(reportMilestoneUpdate, { args: [report] });
  const receipt = await handle.executeUpdate(decideReportUpdate, {
    args: [{ reportId: report.reportId, decision: "verify", comment: "", decidedBy: OFFICER }],
  });
  expect(receipt.nextGate).toMatchObject({ stageKey: "tot", met: true });
  return { id, handle };
}

describe("template versions and moves on a running pathway", () => {
  let signedOff: { id: string; handle: WorkflowHandle };
  let waiting: { id: string; handle: WorkflowHandle };

  beforeAll(async () => {
    // Two institutions on default@1 before default@2 is published: one already at ToT, one waiting for sign-off.
    signedOff = await withToTGateMet();
    await signedOff.handle.executeUpdate(signOffStageUpdate, {
      args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "Ready" }],
    });
    waiting = await withToTGateMet();
  });

  it("gives new institutions default@1 while default@2 is a draft, and default@2 as soon as it is published", async () => {
    expect(await templateOf(signedOff.id)).toBe(DEFAULT_TEMPLATE_ID);
    expect(
      (
        await db
          .selectFrom("pathway_templates")
          .select("status")
          .where("id", "=", DEFAULT_TEMPLATE_V2_ID)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("draft");

    await publishDraft(db, DEFAULT_TEMPLATE_V2_ID, ADMIN, new Date());
    const fresh = await makeInstitution(db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    expect(await templateOf(fresh)).toBe(DEFAULT_TEMPLATE_V2_ID);

    const handle = await startPathway(temporal.client, taskQueue, fresh);
    const view = await eventually(async () => {
      const v = await handle.query(pathwayStateQuery);
      if (!v.nextGate) throw new Error("The first gate evaluation has not happened yet");
      return v;
    });
    expect(view.templateId).toBe(DEFAULT_TEMPLATE_V2_ID);
    expect(view.nextGate?.criteria.map((c) => c.key)).toEqual(["mou", "portfolio", "trained", "women", "readiness"]);
    expect(view.nextGate?.criteria.find((c) => c.key === "readiness")).toMatchObject({ value: 0, threshold: 40, met: false });

    // Institutions already running stay where they were.
    expect(await templateOf(signedOff.id)).toBe(DEFAULT_TEMPLATE_ID);
  });

  it("moves a running institution without losing its stage, transitions or reports, and judges the new gate at once", async () => {
    const before = await counts(signedOff.id);
    const viewBefore = await signedOff.handle.query(pathwayStateQuery);
    expect(viewBefore.nextGate?.criteria).toHaveLength(5);

    const receipt = await signedOff.handle.executeUpdate(moveTemplateUpdate, {
      args: [
        {
          moveId: "move-1",
          templateId: DEFAULT_TEMPLATE_V2_ID,
          decidedBy: ADMIN,
          reason: "Readiness assessments start this quarter",
        },
      ],
    });
    expect(receipt).toMatchObject({ moved: true, templateId: DEFAULT_TEMPLATE_V2_ID, stageKey: "tot" });
    expect(receipt.nextGate?.criteria.map((c) => c.key)).toEqual([
      "certified",
      "m1",
      "other_modules",
      "experts",
      "active",
      "readiness",
    ]);

    expect(await templateOf(signedOff.id)).toBe(DEFAULT_TEMPLATE_V2_ID);
    const after = await counts(signedOff.id);
    expect(after).toEqual({ ...before, moves: 1, moveAudits: 1 });
    const stage = await db
      .selectFrom("institutions")
      .select("stage_key")
      .where("id", "=", signedOff.id)
      .executeTakeFirstOrThrow();
    expect(stage.stage_key).toBe("tot");
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("institution_id", "=", signedOff.id)
      .where("action", "=", "institution.template_moved")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor: ADMIN,
      before: { template: DEFAULT_TEMPLATE_ID, stage: "tot" },
      after: {
        template: DEFAULT_TEMPLATE_V2_ID,
        stage: "tot",
        reason: "Readiness assessments start this quarter",
        move: "move-1",
      },
    });
    expect(await signedOff.handle.query(pathwayStateQuery)).toMatchObject({
      templateId: DEFAULT_TEMPLATE_V2_ID,
      stageKey: "tot",
    });
  });

  it("takes a met gate back to unmet when the new version asks for more, and sign-off is refused", async () => {
    expect(await waiting.handle.query(pathwayStateQuery)).toMatchObject({ stageKey: "engaged", awaitingSignOff: true });
    const receipt = await waiting.handle.executeUpdate(moveTemplateUpdate, {
      args: [{ moveId: "move-2", templateId: DEFAULT_TEMPLATE_V2_ID, decidedBy: ADMIN, reason: "All of Ghana moves" }],
    });
    expect(receipt.nextGate).toMatchObject({ stageKey: "tot", met: false });
    expect(await waiting.handle.query(pathwayStateQuery)).toMatchObject({ awaitingSignOff: false });
    expect(
      await refusal(
        waiting.handle.executeUpdate(signOffStageUpdate, { args: [{ fromStage: "engaged", decidedBy: OFFICER, note: "" }] }),
      ),
    ).toBe("The gate to the next stage is not met");
  });

  it("changes nothing more when a move is retried", async () => {
    const before = await counts(signedOff.id);
    const again = await signedOff.handle.executeUpdate(moveTemplateUpdate, {
      args: [
        {
          moveId: "move-1",
          templateId: DEFAULT_TEMPLATE_V2_ID,
          decidedBy: ADMIN,
          reason: "Readiness assessments start this quarter",
        },
      ],
    });
    expect(again).toMatchObject({ moved: false, templateId: DEFAULT_TEMPLATE_V2_ID, stageKey: "tot" });
    // The activity itself, retried after a crash: the move id is already recorded.
    const row = await recordTemplateMove(db, {
      moveId: "move-1",
      institutionId: signedOff.id,
      fromTemplateId: DEFAULT_TEMPLATE_ID,
      toTemplateId: DEFAULT_TEMPLATE_V2_ID,
      stageKey: "tot",
      reason: "retry",
      decidedBy: ADMIN,
      at: new Date(),
    });
    expect(row).toEqual({ created: false });
    expect(await counts(signedOff.id)).toEqual(before);
    expect(await templateOf(signedOff.id)).toBe(DEFAULT_TEMPLATE_V2_ID);
  });

  it("refuses a move to a version without the institution's stage, to a draft, or without a reason", async () => {
    const draft = await createDraft(db, { fromId: DEFAULT_TEMPLATE_ID, countryCode: "GH", actor: ADMIN, now: new Date() });
    expect(draft.id).toBe("gh@1");
    const edited = draftFromDefinition((await getTemplate(db, DEFAULT_TEMPLATE_ID)).definition);
    edited.stages[1].key = "training";
    const valid = validateDraft(edited);
    if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
    await saveDraft(db, draft.id, valid.definition, "", ADMIN, new Date());

    const before = await counts(signedOff.id);
    expect(
      await refusal(
        signedOff.handle.executeUpdate(moveTemplateUpdate, {
          args: [{ moveId: "move-3", templateId: draft.id, decidedBy: ADMIN, reason: "Ghana's own" }],
        }),
      ),
    ).toBe("Template gh@1 is not published");
    await publishDraft(db, draft.id, ADMIN, new Date());
    expect(
      await refusal(
        signedOff.handle.executeUpdate(moveTemplateUpdate, {
          args: [{ moveId: "move-4", templateId: draft.id, decidedBy: ADMIN, reason: "Ghana's own" }],
        }),
      ),
    ).toBe('gh@1 has no stage "tot", where the institution is: the move is refused');
    await expect(saveDraft(db, draft.id, valid.definition, "", ADMIN, new Date())).rejects.toThrow(
      "gh@1 is published and cannot change",
    );

    const noReason = refusal(
      signedOff.handle.executeUpdate(moveTemplateUpdate, {
        args: [{ moveId: "move-5", templateId: draft.id, decidedBy: ADMIN, reason: " " }],
        updateId: "no-reason",
      }),
    );
    expect(await noReason).toBe("A move needs a reason");
    expect(acceptedUpdateIds(await historyEvents(signedOff.handle))).not.toContain("no-reason");
    expect(await counts(signedOff.id)).toEqual(before);
    expect(await templateOf(signedOff.id)).toBe(DEFAULT_TEMPLATE_V2_ID);
  });
});
