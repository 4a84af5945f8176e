import { Worker } from "@temporalio/worker";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { pathwayWorkflowBundle } from "../../workflows/worker";
import { installTestRuntime, readHistoryFile } from "../support/temporal";
import { HANDOVER_FIXTURE, HANDOVER_QUARTER_FIXTURE } from "./support";

/**
 * A handover plan's whole life (submitted, returned, resubmitted, approved, active, closed),
 * recorded from the first version of the handover workflow code: today's code must replay it.
 */
describe("recorded handover history", () => {
  beforeAll(() => installTestRuntime());

  it("v1 replays with the current workflow code", async () => {
    expect(existsSync(HANDOVER_FIXTURE)).toBe(true);
    const history = readHistoryFile(HANDOVER_FIXTURE);
    const updates = (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates.length).toBeGreaterThanOrEqual(5);
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, history);
  });

  it("v1 with a quarter checked (before the cost check was added) replays: the cost check is behind patched()", async () => {
    const history = readHistoryFile(HANDOVER_QUARTER_FIXTURE);
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).toContain("checkQuarterVariance");
    expect(scheduled).not.toContain("checkQuarterCostVariance");
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, history);
  });
});
