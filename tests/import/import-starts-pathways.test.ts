import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { listRunningPathways, reconcilePathways, startPathways } from "../../app/features/pathway/pathway.server";
import { pathwayStateQuery, pathwayWorkflowId } from "../../workflows/shared";
import { createTestDb, type TestDb } from "../support/db";
import { Cleanup, eventually, startDevTemporal, startPathwayWorker, type TemporalHandle } from "../support/temporal";
import { csvBytes, seedForImport } from "./support";

/**
 * An import of 200 institutions starts all their pathways, in parallel lanes, on a real
 * Temporal dev server; starting them again (a rerun, start-up's reconciler) starts nothing twice.
 */

const HEADER = ["country", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"];
const COUNT = 200;

describe("an import of 200 institutions", () => {
  const cleanup = new Cleanup();
  let t: TestDb;
  let temporal: TemporalHandle;
  let taskQueue: string;
  let seed: Awaited<ReturnType<typeof seedForImport>>;

  beforeAll(async () => {
    t = await createTestDb("postgres");
    cleanup.add("the database", () => t.close());
    seed = await seedForImport(t.db);
    temporal = await startDevTemporal(cleanup);
    ({ taskQueue } = await startPathwayWorker(cleanup, { temporal, db: t.db }));
  });
  afterAll(cleanup.run);

  it("starts every imported institution's pathway; a rerun starts none twice", { timeout: 240_000 }, async () => {
    const rows = Array.from({ length: COUNT }, (_, i) => [
      "GH",
      `Scale Test Institute ${String(i + 1).padStart(3, "0")}`,
      "private_provider",
      "implementing_partner",
      "",
      "",
      "",
    ]);
    const batchId = await dryRun(t.db, {
      entity: "institutions",
      fileName: "institutions.csv",
      bytes: csvBytes(HEADER, rows),
      actorId: seed.admin.id,
      now: new Date(),
    });
    const phases: { done: number; total: number }[] = [];
    const began = performance.now();
    const outcome = await runImport(t.db, batchId, {
      actor: seed.admin,
      now: () => new Date(),
      startPathways: (ids, onProgress) => startPathways(temporal.client, taskQueue, ids, { onProgress }),
      onProgress: (p) => void (p.phase === "pathways" && phases.push({ done: p.done, total: p.total })),
    });
    console.log(
      `  ${COUNT} institutions imported and their pathways started in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    expect(outcome).toMatchObject({ status: "done", pathwaysPending: 0 });
    expect(phases.at(-1)).toEqual({ done: COUNT, total: COUNT });

    const ids = (await t.db.selectFrom("institutions").select("id").where("import_batch_id", "=", batchId).execute()).map(
      (r) => r.id,
    );
    expect(ids).toHaveLength(COUNT);

    // Every pathway runs, once: one run per workflow id.
    const runs = new Map<string, Set<string>>();
    for (const id of ids) {
      const d = await temporal.client.workflow.getHandle(pathwayWorkflowId(id)).describe();
      expect(d.status.name).toBe("RUNNING");
      runs.set(id, new Set([d.runId]));
    }

    // Starting them all again changes nothing: same runs, no failure.
    expect(await startPathways(temporal.client, taskQueue, ids)).toEqual([]);
    for (const id of ids) {
      const d = await temporal.client.workflow.getHandle(pathwayWorkflowId(id)).describe();
      expect(runs.get(id)!.has(d.runId)).toBe(true);
    }

    // Start-up's reconciler finds them running (once visibility has caught up) and starts none.
    await eventually(async () => {
      const running = await listRunningPathways(temporal.client);
      expect(ids.every((id) => running?.has(id))).toBe(true);
    }, 30_000);
    const lines: string[] = [];
    expect(await reconcilePathways(temporal.client, taskQueue, ids, (l) => lines.push(l))).toEqual({ missing: 0, failed: [] });

    // The pathways answer: each holds its institution at its first stage (once its first
    // activity has loaded the institution; before that its state is still empty).
    await eventually(async () => {
      const sample = await temporal.client.workflow.getHandle(pathwayWorkflowId(ids[0])).query(pathwayStateQuery);
      expect(sample).toMatchObject({ institutionId: ids[0], stageKey: "engaged" });
    }, 30_000);
  });

  it("the reconciler starts the pathways that are missing, and only those", { timeout: 120_000 }, async () => {
    const missing = (await t.db.selectFrom("institutions").select("id").where("import_batch_id", "is", null).execute()).map(
      (r) => r.id,
    );
    expect(missing.length).toBeGreaterThan(0);
    const lines: string[] = [];
    const result = await reconcilePathways(temporal.client, taskQueue, missing, (l) => lines.push(l));
    expect(result).toEqual({ missing: missing.length, failed: [] });
    for (const id of missing) {
      const d = await temporal.client.workflow.getHandle(pathwayWorkflowId(id)).describe();
      expect(d.status.name).toBe("RUNNING");
    }
  });
});
