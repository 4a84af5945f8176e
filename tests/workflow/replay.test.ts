import { Worker, bundleWorkflowCode } from "@temporalio/worker";
import { DeterminismViolationError } from "@temporalio/workflow";
import { beforeAll, describe, expect, it } from "vitest";
import { pathwayWorkflowBundle, WORKFLOWS_PATH } from "../../workflows/worker";
import { installTestRuntime, readHistoryFile } from "../support/temporal";

/**
 * Guards running pathways against workflow changes that would break them. Each fixture is a
 * history recorded from a version of the workflow code (`npm run record-history`); replaying it
 * with today's code must give the same commands in the same order. A change that fails here must
 * be made behind `patched('…')` (old branch kept for old histories), never by re-recording.
 *
 * - pathway-v0.json: recorded with the first workflow code (commit ad0e7a3), before the fixes to
 *   its lock, its report receipts and its continue-as-new; pathways started by `npm start` then
 *   must keep running.
 * - pathway-v1.json: the same flow recorded with the fixed code.
 * - pathway-v2.json: the same flow, then a move to template default@2 and a retry of the move
 *   (version 3 of the workflow code, `npm run record-history -- --with-move --out …`).
 * - pathway-v3.json: the same flow with version 4 (gates evaluated by the `evaluatePathway`
 *   activity), then records changed outside the workflow and a `recordsChanged` update, retried
 *   (`npm run record-history -- --with-move --records-changed --out …`).
 * - pathway-v4.json: the same flow as v3 with version 5 (timers fire a per-pathway offset late,
 *   behind the `timer-jitter` patch, decision 019); v0–v3, recorded before it, replay without
 *   the offset (`npm run record-history -- --with-move --records-changed --out …`).
 *   tests/workflow/rule-change.test.ts replays all of them after a change to a gate rule.
 * - pathway-v5.json: the same flow with version 6 (a stage-history import moves the institution
 *   to certification and the pathway takes it through the `historyImported` update, behind the
 *   `history-import` patch, decision 023), the update retried, and a second one that finds
 *   nothing to take (`npm run record-history -- --with-move --records-changed --history-import
 *   --out …`). v0–v4, recorded before the update existed, replay unchanged.
 * - pathway-v6.json: the v5 flow recorded with version 7 (overdue timers spread from the run's
 *   start, the `overdue-timer-spread` patch, decision 041; `npm run record-history -- --with-move
 *   --records-changed --history-import --out …`). v0–v5 replay with overdue timers firing at once.
 */

const fixture = (name: string) => new URL(`../fixtures/histories/${name}`, import.meta.url).pathname;
const V1 = fixture("pathway-v1.json");
const INCOMPATIBLE = new URL("../fixtures/incompatible-pathway.workflow.ts", import.meta.url).pathname;
const LOADER = new URL("../support/rule-change-loader.cjs", import.meta.url).pathname;
const WORKFLOW_SOURCE = new URL("../../workflows/pathway.workflow.ts", import.meta.url).pathname;

describe("recorded pathway histories", () => {
  let history: ReturnType<typeof readHistoryFile>;

  beforeAll(() => {
    installTestRuntime();
    history = readHistoryFile(V1);
  });

  it("v1 is a realistic pathway: reports, decisions and a sign-off", () => {
    const events = history.events ?? [];
    const updates = events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates).toEqual([
      "reportMilestone",
      "reportMilestone",
      "decideReport",
      "signOffStage",
      "reportMilestone",
      "decideReport",
    ]);
    const activities = new Set(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect([...activities].sort()).toEqual([
      "loadPathwayStart",
      "loadRecords",
      "notify",
      "recordDecision",
      "recordReport",
      "recordTransition",
    ]);
  });

  it("v1 replays with the current workflow code", async () => {
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, history);
  });

  it("v0, recorded before the fixes, still replays with the current workflow code", async () => {
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, readHistoryFile(fixture("pathway-v0.json")));
  });

  it("v2 holds a template move and its retry, and replays with the current workflow code", async () => {
    const v2 = readHistoryFile(fixture("pathway-v2.json"));
    const events = v2.events ?? [];
    const updates = events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates.slice(-2)).toEqual(["moveTemplate", "moveTemplate"]);
    const moves = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "recordTemplateMove");
    expect(moves).toHaveLength(1);
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, v2);
  });

  it("v3 evaluates gates in an activity, takes a records-changed update once, and replays with the current workflow code", async () => {
    const v3 = readHistoryFile(fixture("pathway-v3.json"));
    const events = v3.events ?? [];
    const updates = events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates.filter((u) => u === "recordsChanged")).toHaveLength(1);
    const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activities).toContain("evaluatePathway");
    expect(activities).not.toContain("loadRecords");
    const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers).toContain("core_patch");
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, v3);
  });

  it("v4 holds the timer-jitter patch and replays with the current workflow code", async () => {
    const v4 = readHistoryFile(fixture("pathway-v4.json"));
    const patches = (v4.events ?? [])
      .flatMap((e) => e.markerRecordedEventAttributes?.details?.["patch-data"]?.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString("utf8")) as { id: string }).id);
    expect(patches).toContain("timer-jitter");
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, v4);
  });

  it("v5 takes an imported stage without a sign-off, under the history-import marker, and replays with the current workflow code", async () => {
    const v5 = readHistoryFile(fixture("pathway-v5.json"));
    const events = v5.events ?? [];
    const updates = events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    // One update per import (the retry shares its id), then one from another cause.
    expect(updates.filter((u) => u === "historyImported")).toHaveLength(2);
    expect(updates.filter((u) => u === "signOffStage")).toHaveLength(1);
    const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activities.filter((a) => a === "takeImportedStage")).toHaveLength(2);
    expect(activities.filter((a) => a === "recordTransition")).toHaveLength(1);
    const patches = events
      .flatMap((e) => e.markerRecordedEventAttributes?.details?.["patch-data"]?.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString("utf8")) as { id: string }).id);
    expect(patches).toContain("history-import");
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, v5);
  });

  it("v6 holds the overdue-timer-spread patch beside timer-jitter, and replays with the current workflow code", async () => {
    const v6 = readHistoryFile(fixture("pathway-v6.json"));
    const patches = (v6.events ?? [])
      .flatMap((e) => e.markerRecordedEventAttributes?.details?.["patch-data"]?.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString("utf8")) as { id: string }).id);
    expect(patches).toContain("timer-jitter");
    expect(patches).toContain("overdue-timer-spread");
    await Worker.runReplayHistory({ workflowBundle: await pathwayWorkflowBundle() }, v6);
  });

  it("v5 fails to replay when the historyImported handler schedules something else (control)", async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
      webpackConfigHook: (config) => {
        config.module?.rules?.push({
          test: (resource: string) => resource === WORKFLOW_SOURCE,
          enforce: "pre",
          use: [{ loader: LOADER, options: { from: ".takeImportedStage(", to: ".loadTemplate(" } }],
        });
        return config;
      },
    });
    const replay = Worker.runReplayHistory({ workflowBundle: changed }, readHistoryFile(fixture("pathway-v5.json")));
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it("v1 fails to replay with a workflow that calls its activities in another order", async () => {
    const replay = Worker.runReplayHistory({ workflowsPath: INCOMPATIBLE }, history);
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
    await expect(replay).rejects.toThrow(/[Nn]ondetermin/);
  });
});
