import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { DeterminismViolationError } from "@temporalio/workflow";
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { WORKFLOWS_PATH } from "../../workflows/worker";
import { installTestRuntime, readHistoryFile } from "../support/temporal";

/**
 * The gate rules will be corrected many times while pathways run for years. Since version 4 of
 * the workflow code the rules run in the `evaluatePathway` activity, whose result is recorded in
 * the history, so a correction must replay every recorded history. This test makes such a
 * correction — "trainers trained" counts one trainer fewer — in the bundled workflow code and
 * replays every history in tests/fixtures/histories/. As a control, the same correction made to the
 * frozen copy of the rules that pathways started before version 4 still replay against
 * (workflows/legacy/gate-v3.ts) does break them: the edit reaches the bundle and the replay can fail.
 */

const HISTORIES = new URL("../fixtures/histories/", import.meta.url).pathname;
const LOADER = new URL("../support/rule-change-loader.cjs", import.meta.url).pathname;
const GATE = new URL("../../app/domain/gate.ts", import.meta.url).pathname;
const LEGACY_GATE = new URL("../../workflows/legacy/gate-v3.ts", import.meta.url).pathname;
const COUNT = "const n = r.trainers.filter((t) => t.trainedOn).length;";
const COUNT_ONE_FEWER = "const n = r.trainers.filter((t) => t.trainedOn).length - 1;";

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

/** The workflow code, bundled with one rule changed in `file`. */
function bundleWithRuleChange(file: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quiet,
    webpackConfigHook: (config) => {
      config.module?.rules?.push({
        test: (resource: string) => resource === file,
        enforce: "pre",
        use: [{ loader: LOADER, options: { from: COUNT, to: COUNT_ONE_FEWER } }],
      });
      return config;
    },
  });
}

/** The project's source files webpack put in the bundle, read from its inline source map. */
function bundledSources(bundle: WorkflowBundleWithSourceMap): string[] {
  const map = JSON.parse(
    Buffer.from(bundle.code.split("sourceMappingURL=data:application/json;charset=utf-8;base64,")[1], "base64").toString("utf8"),
  );
  return (map.sources as string[]).filter((s) => !s.includes("node_modules"));
}

const historyFiles = readdirSync(HISTORIES)
  .filter((f) => f.startsWith("pathway-") && f.endsWith(".json"))
  .sort();

describe("correcting a gate rule", () => {
  let changedRules: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    installTestRuntime();
    changedRules = await bundleWithRuleChange(GATE);
  });

  it("both copies of the rule hold the line the test changes", () => {
    expect(readFileSync(GATE, "utf8")).toContain(COUNT);
    expect(readFileSync(LEGACY_GATE, "utf8")).toContain(COUNT);
  });

  it("keeps the current rules out of the workflow code: only the frozen copy is bundled", () => {
    const sources = bundledSources(changedRules);
    expect(sources).toContain(LEGACY_GATE);
    expect(sources).toContain(new URL("../../workflows/pathway.workflow.ts", import.meta.url).pathname);
    expect(sources).not.toContain(GATE);
  });

  it("finds every kind of recorded history, including one recorded since the rules moved to an activity", () => {
    expect(historyFiles).toEqual(
      expect.arrayContaining(["pathway-v0.json", "pathway-v1.json", "pathway-v2.json", "pathway-v3.json"]),
    );
    const v3 = readHistoryFile(`${HISTORIES}pathway-v3.json`).events ?? [];
    const activities = new Set(v3.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean));
    expect(activities.has("evaluatePathway")).toBe(true);
    expect(activities.has("loadRecords")).toBe(false);
  });

  it.each(historyFiles)("%s replays after the rule change", async (file) => {
    await Worker.runReplayHistory({ workflowBundle: changedRules }, readHistoryFile(`${HISTORIES}${file}`));
  });

  it("the same change in the replayed legacy rules breaks a history that ran them (control)", async () => {
    const changedLegacy = await bundleWithRuleChange(LEGACY_GATE);
    const replay = Worker.runReplayHistory({ workflowBundle: changedLegacy }, readHistoryFile(`${HISTORIES}pathway-v1.json`));
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
