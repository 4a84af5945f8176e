import type { TestWorkflowEnvironment } from "@temporalio/testing";
import type { WorkflowHandle } from "@temporalio/client";
import { Worker } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../app/domain/dates";
import { nextQuarter, quarterDays, quarterKey, quarterOf, quarterStartMs } from "../../app/domain/handover";
import type { Database } from "../../db/schema";
import { costVarianceNotificationId, varianceNotificationId } from "../../workflows/handover.activities";
import { activatePlanUpdate, handoverStateQuery, reviewPlanUpdate, submitPlanUpdate } from "../../workflows/handover.shared";
import { pathwayWorkflowBundle } from "../../workflows/worker";
import { createTestDb } from "../support/db";
import { Cleanup, eventually, makeInstitution, startTimeSkippingTemporal, type TemporalHandle } from "../support/temporal";
import { MANAGER, OFFICER, REPORTER, makePlan, recordCycle, startHandover, startHandoverWorker } from "./support";

/**
 * The quarterly check of an active plan, on Temporal's time-skipping test server: at the end of
 * each calendar quarter the quarter's recorded cycles are compared with the plan, and a share
 * that strays beyond the plan's threshold alerts the ILO once. The plan (see support.ts) puts
 * the non-ILO share at 36.36 % in its first year, with a threshold of 10 points.
 */

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
  taskQueue = await startHandoverWorker(cleanup, env, db);
});
afterAll(cleanup.run);
afterEach(async () => {
  for (const h of started.splice(0)) await h.terminate("test finished").catch(() => {});
});

function varianceNotices(institutionId: string) {
  return db
    .selectFrom("notifications")
    .select(["id", "audience", "message"])
    .where("institution_id", "=", institutionId)
    .where("kind", "=", "handover_variance")
    .execute();
}

/** An institution with an active plan whose first year is the server's current year. */
async function activePlan(t0: number) {
  const institutionId = await makeInstitution(db, { at: new Date(t0) });
  const planId = await makePlan(db, institutionId, quarterOf(t0).year);
  const handle = await startHandover(env, taskQueue, planId);
  started.push(handle);
  await eventually(async () => expect((await handle.query(handoverStateQuery)).status).toBe("draft"));
  await handle.executeUpdate(submitPlanUpdate, { args: [{ actor: REPORTER }] });
  await handle.executeUpdate(reviewPlanUpdate, { args: [{ actor: OFFICER, decision: "approve", comment: "" }] });
  await handle.executeUpdate(activatePlanUpdate, { args: [{ actor: MANAGER }] });
  return { institutionId, planId, handle };
}

describe("quarterly variance against an active plan", () => {
  it("alerts the ILO once when the quarter's non-ILO share is more than 10 points off the plan, and once for its cost", async () => {
    const t0 = await env.currentTimeMs();
    const quarter = quarterOf(t0);
    const { institutionId, planId, handle } = await activePlan(t0);
    // Two cycles this quarter: GHS 16,000.00 cost, GHS 2,000.00 non-ILO → 12.50 %, 23.86 points under the plan;
    // and 16,000.00 against 11,000.00 planned for the quarter (44,000.00 a year): 45.45 % over, beyond 25 %.
    const day = quarterDays(quarter).from;
    await recordCycle(db, institutionId, day, 800_000, { enterprise_fee: 200_000, ilo: 600_000 });
    await recordCycle(db, institutionId, day, 800_000, { ilo: 800_000 });

    // Nothing before the quarter ends.
    const untilEnd = quarterStartMs(nextQuarter(quarter)) - t0;
    await env.sleep(Math.max(untilEnd - DAY_MS, 1));
    expect(await varianceNotices(institutionId)).toEqual([]);

    await env.sleep(2 * DAY_MS);
    const notices = await eventually(async () => {
      const rows = await varianceNotices(institutionId);
      expect(rows).toHaveLength(2);
      return rows;
    });
    const share = notices.find((n) => n.id === varianceNotificationId(planId, quarter))!;
    expect(share.audience).toBe("ilo");
    expect(share.message).toContain(
      `in ${quarterKey(quarter)} non-ILO funding covered 12.50 % of cost against 36.36 % planned (-23.86 points`,
    );
    const cost = notices.find((n) => n.id === costVarianceNotificationId(planId, quarter))!;
    expect(cost.audience).toBe("ilo");
    expect(cost.message).toContain(
      `in ${quarterKey(quarter)} delivery cost GHS 16,000.00 against 11,000.00 planned for the quarter (+45.45 %; threshold 25 %)`,
    );
    expect((await handle.query(handoverStateQuery)).quartersChecked).toEqual([quarterKey(quarter)]);

    // The next quarter has no cycles: it is checked, and nothing more is said.
    await env.sleep(95 * DAY_MS);
    await eventually(async () => expect((await handle.query(handoverStateQuery)).quartersChecked).toHaveLength(2));
    expect(await varianceNotices(institutionId)).toHaveLength(2);
    // Timers and quarter arithmetic are deterministic: the history so far replays.
    await Worker.runReplayHistory(
      { workflowBundle: await pathwayWorkflowBundle() },
      await handle.fetchHistory(),
      handle.workflowId,
    );
  });

  it("stays quiet when the quarter is within both thresholds", async () => {
    const t0 = await env.currentTimeMs();
    const quarter = quarterOf(t0);
    const { institutionId, handle } = await activePlan(t0);
    // GHS 10,000.00 cost, GHS 3,700.00 non-ILO → 37.00 %: 0.64 points over the plan; 9.09 % under the quarter's 11,000.00.
    await recordCycle(db, institutionId, quarterDays(quarter).to, 1_000_000, { government: 370_000, ilo: 630_000 });

    await env.sleep(quarterStartMs(nextQuarter(quarter)) - t0 + DAY_MS);
    await eventually(async () => expect((await handle.query(handoverStateQuery)).quartersChecked).toEqual([quarterKey(quarter)]));
    expect(await varianceNotices(institutionId)).toEqual([]);
  });
});
