import type { AppLoadContext } from "@remix-run/node";
import { WorkflowUpdateFailedError } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as importBatchAction } from "../../app/routes/import.batch";
import { loader as institutionLoader } from "../../app/routes/institutions.$id._index";
import { parseConfig } from "../../app/platform/config";
import { dryRun } from "../../app/features/import/import.server";
import { getBatch } from "../../db/queries/imports";
import { getInstitutionWithStatus } from "../../db/queries/pathway-status";
import { pathwayStateQuery, pathwayWorkflowId, signOffStageUpdate } from "../../workflows/shared";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";
import {
  Cleanup,
  eventually,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  type TemporalHandle,
} from "../support/temporal";
import { csvBytes } from "../import/support";

/**
 * Stage history reaches running pathways, end to end on a real Temporal dev server and
 * PostgreSQL: two institutions at Engaged with their pathways running, and a third whose pathway
 * has not started. An administrator imports their history through the import page's own action;
 * each pathway then stands at its imported stage without any sign-off (no transition but the
 * imported ones), refuses a sign-off from the stage it left, and the institution page counts the
 * time in stage from the imported day.
 */

const HEADER = ["country", "institution", "stage", "reached_on", "decided_by", "note"];
const DAY_MS = 86_400_000;

const cleanup = new Cleanup();
let t: TestDb;
let temporal: TemporalHandle;
let taskQueue: string;
let context: AppLoadContext;
let admin: TestSession;
const inst: { id: string; name: string }[] = [];

beforeAll(async () => {
  t = await createTestDb("postgres");
  cleanup.add("the test database", () => t.close());
  temporal = await startDevTemporal(cleanup);
  ({ taskQueue } = await startPathwayWorker(cleanup, { temporal, db: t.db }));
  context = {
    db: t.db,
    temporal: temporal.client,
    config: parseConfig({ TEMPORAL_TASK_QUEUE: taskQueue }),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
  admin = await signInAs(t.db, "ilo_admin", { name: "History Admin" });
  for (let i = 0; i < 3; i++) {
    const id = await makeInstitution(t.db, { mouSignedOn: "2013-01-15", scoreInPortfolio: true });
    const { name } = await t.db.selectFrom("institutions").select("name").where("id", "=", id).executeTakeFirstOrThrow();
    inst.push({ id, name });
  }
  for (const { id } of inst.slice(0, 2)) {
    await startPathway(temporal.client, taskQueue, id);
    await eventually(async () => expect((await getInstitutionWithStatus(t.db, id))?.pathwayStatus.state).toBe("current"));
  }
}, 120_000);

afterAll(() => cleanup.run(), 60_000);

async function runFromImportPage(rows: string[][]): Promise<string> {
  const batchId = await dryRun(t.db, {
    entity: "stage_history",
    fileName: "history.csv",
    bytes: csvBytes(HEADER, rows),
    actorId: admin.userId,
    now: new Date(),
  });
  expect((await getBatch(t.db, batchId))!.status).toBe("checked");
  const request = await asSession(
    new Request("http://test/import/batch", {
      method: "POST",
      body: new URLSearchParams({ csrf: admin.csrf, id: batchId, intent: "import" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
    admin,
  );
  const res = await importBatchAction({ request, params: {}, context }).catch((e: unknown) => e as Response);
  expect(res.status).toBe(302);
  await eventually(async () => expect((await getBatch(t.db, batchId))!.status).toBe("done"), 30_000);
  return batchId;
}

const view = (id: string) => temporal.client.workflow.getHandle(pathwayWorkflowId(id)).query(pathwayStateQuery);

describe("stage history brought into running pathways", () => {
  it("each pathway takes its imported stage without a sign-off; the page counts time in stage from the imported day", async () => {
    const [a, b, c] = inst;
    const batchId = await runFromImportPage([
      ["GH", a.name, "engaged", "2013-02-01", "officer@ilo.org", "MoU with the ILO"],
      ["GH", a.name, "tot", "2014-03-20", "officer@ilo.org", ""],
      ["GH", a.name, "certification", "2015-09-30", "officer@ilo.org", ""],
      ["GH", b.name, "engaged", "2016-01-10", "officer@ilo.org", ""],
      ["GH", b.name, "tot", "2017-06-01", "officer@ilo.org", ""],
      ["GH", c.name, "engaged", "2018-04-04", "officer@ilo.org", ""],
      ["GH", c.name, "tot", "2019-05-05", "officer@ilo.org", ""],
    ]);
    // Every pathway was told: none is left pending.
    expect((await getBatch(t.db, batchId))!.error).toBeNull();

    // The running pathways stand at the imported stage; the one not running was started and
    // began there.
    await eventually(async () => {
      expect((await view(a.id)).stageKey).toBe("certification");
      expect((await view(b.id)).stageKey).toBe("tot");
      expect((await view(c.id)).stageKey).toBe("tot");
    }, 30_000);

    // No sign-off: the only transitions are the imported ones (the start re-dated among them).
    for (const { id } of inst) {
      const moves = await t.db
        .selectFrom("stage_transitions")
        .select(["kind", "import_batch_id"])
        .where("institution_id", "=", id)
        .execute();
      expect(moves.every((m) => m.import_batch_id === batchId)).toBe(true);
    }
    // The running pathways said, in the audit log, that they took the imported stage.
    const taken = await t.db
      .selectFrom("audit_log")
      .select(["entity_id", "actor"])
      .where("action", "=", "pathway.stage_imported")
      .execute();
    expect(taken.map((e) => e.entity_id).sort()).toEqual([a.id, b.id].sort());
    expect(taken.every((e) => e.actor === "pathway-workflow")).toBe(true);

    // The gate the pathway evaluated and stored is the one after the imported stage.
    await eventually(async () => {
      const row = await getInstitutionWithStatus(t.db, a.id);
      expect(row!.pathwayStatus.state).toBe("current");
      expect(row!.pathwayStatus.nextGate).toMatchObject({ stageKey: "cost_recovery" });
    }, 20_000);

    // A sign-off from the stage the pathway left is refused: the pathway is not there any more.
    const stale = temporal.client.workflow
      .getHandle(pathwayWorkflowId(a.id))
      .executeUpdate(signOffStageUpdate, { args: [{ fromStage: "engaged", decidedBy: "officer@ilo.org", note: "late" }] });
    await expect(stale).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    // The institution page counts the time in stage from the imported day.
    const before = Date.now();
    const request = await asSession(new Request(`http://test/institutions/${a.id}`), admin);
    const page = await (await institutionLoader({ request, params: { id: a.id }, context })).json();
    const after = Date.now();
    expect(page.stageEnteredOn).toBe("2015-09-30");
    const entered = Date.parse("2015-09-30T00:00:00Z");
    expect(page.daysInStage).toBeGreaterThanOrEqual(Math.floor((before - entered) / DAY_MS));
    expect(page.daysInStage).toBeLessThanOrEqual(Math.floor((after - entered) / DAY_MS));
    expect(page.reachedOn).toMatchObject({ engaged: "2013-02-01", tot: "2014-03-20", certification: "2015-09-30" });
    // Its stage history marks every move as imported.
    expect(page.transitions.map((m: { to: string; imported: boolean }) => [m.to, m.imported])).toEqual([
      ["Certification", true],
      ["Training of Trainers", true],
      ["Engaged", true],
    ]);
  });
});
