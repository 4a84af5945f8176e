import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import { capNewThreadsHeap, defaultWorkflowHeapMb, WORKER_DEFAULTS } from "./worker";

function threadHeapLimitMb(): Promise<number> {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     parentPort.postMessage(require("node:v8").getHeapStatistics().heap_size_limit);`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once("message", (bytes: number) => resolve(bytes / 2 ** 20));
    worker.once("error", reject);
  }).finally(() => void worker.terminate()) as Promise<number>;
}

describe("the worker's memory bound (decision 029)", () => {
  it("a thread started after the cap (the SDK's workflow thread) gets that heap limit; the main thread keeps its own", async () => {
    const mainBefore = v8.getHeapStatistics().heap_size_limit;
    const uncapped = await threadHeapLimitMb();
    const mb = defaultWorkflowHeapMb(WORKER_DEFAULTS.maxCachedWorkflows);
    expect(uncapped).toBeGreaterThan(mb + 100);
    capNewThreadsHeap(mb);
    const capped = await threadHeapLimitMb();
    // V8 adds its young generation to the old-space limit it is given.
    expect(capped).toBeGreaterThanOrEqual(mb);
    expect(capped).toBeLessThan(mb + 100);
    expect(v8.getHeapStatistics().heap_size_limit).toBe(mainBefore);
  });

  it("the default cache and the workflow heap leave room under 2 GB for the main thread that npm run worker caps", async () => {
    const { readFileSync } = await import("node:fs");
    const script: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts.worker;
    const main = Number(script.match(/--max-old-space-size=(\d+)/)?.[1]);
    expect(main).toBeGreaterThan(0);
    expect(defaultWorkflowHeapMb(WORKER_DEFAULTS.maxCachedWorkflows) + main).toBeLessThanOrEqual(1_600);
  });
});
