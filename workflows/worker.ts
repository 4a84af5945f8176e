import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import type { Database } from "../db/schema";
import { createActivities } from "./activities";
import { createHandoverActivities } from "./handover.activities";
import { createMailActivities, type MailSettings } from "./mail.activities";

export const WORKFLOWS_PATH = fileURLToPath(new URL("./index.ts", import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code, bundled once per process (about a second). */
export function pathwayWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * The worker's settings (decisions 019 and 029). The SDK's defaults size the workflow cache from
 * the machine's memory: about 2,300 pathways on this 24 GB machine, so a worker with 5,000
 * running pathways grew to 4.7 GB while still replaying most of them. A pathway spends nearly
 * all its life asleep on a timer measured in days; keeping it cached buys nothing until its next
 * report. So:
 *
 * - `maxCachedWorkflows` 250. A cached pathway holds its own instance of every module the
 *   workflow code imports (zod, the domain rules, the legacy rules: about 1.2 MB of V8 heap,
 *   measured with no state at all), so 250 is about 300 MB. With 5,000 pathways and reports
 *   spread over them, 250 or 500 cached changes the hit rate from 5 % to 10 %: nearly every
 *   report replays either way, and the histories are short (continued as new at 4,000 events).
 *   What the cache does buy — a report, its verification and a sign-off on one institution in
 *   a row — 250 covers.
 * - The workflow thread's V8 heap is capped (`workflowHeapMb`, by default 256 MB plus 2 MB per
 *   cached pathway: 756 MB). Without a cap V8 lets a heap grow lazily towards its own limit
 *   (about 4 GB here) and keeps the garbage of thousands of first runs; that, not the cache,
 *   took the worker past 3 GB.
 * - `maxConcurrentWorkflowTaskExecutions` 16: workflow tasks are CPU work on one thread; more at
 *   once only queue inside the process and hold memory (two cores here).
 * - `maxConcurrentActivityTaskExecutions` 16: activities are database round trips; the pool has
 *   10 connections, a few more keep it busy without a long queue in front of it.
 * - `stickyQueueScheduleToStartTimeout` 5 s: when a worker stops, its pathways' next tasks go to
 *   another worker after 5 s instead of the default 10 s.
 *
 * Each is an environment setting (WORKER_MAX_CACHED_WORKFLOWS, WORKER_WORKFLOW_HEAP_MB, …) for
 * machines that differ. The main thread's heap (activities, the gRPC bridge) is capped by the
 * `npm run worker` script itself (`--max-old-space-size`).
 */
export const WORKER_DEFAULTS = {
  maxCachedWorkflows: 250,
  maxConcurrentWorkflowTaskExecutions: 16,
  maxConcurrentActivityTaskExecutions: 16,
  stickyQueueScheduleToStartTimeout: "5s",
} as const;

/** The workflow thread's heap limit for a cache of `maxCachedWorkflows` pathways (decision 029). */
export function defaultWorkflowHeapMb(maxCachedWorkflows: number): number {
  return 256 + 2 * maxCachedWorkflows;
}

/**
 * V8 reads `--max-old-space-size` when it creates an isolate: a thread started after this call
 * (the SDK's workflow thread, created by Worker.create) gets the limit; the main thread's heap,
 * made at process start, keeps its own.
 */
export function capNewThreadsHeap(mb: number): void {
  v8.setFlagsFromString(`--max-old-space-size=${mb}`);
}

export interface WorkerSettings {
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  /**
   * The V8 heap limit of the thread that runs the workflows, in MB. Unset: V8's own (a quarter
   * of the machine's memory or so). Set by the production start (start.ts), not by tests, as it
   * applies to every thread the process starts afterwards.
   */
  workflowHeapMb?: number;
}

export async function createPathwayWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  settings?: WorkerSettings;
  /** E-mail: where links point and the SMTP server (none: the outbox). */
  mail?: MailSettings;
}): Promise<Worker> {
  const settings = { ...WORKER_DEFAULTS, ...opts.settings };
  if (settings.workflowHeapMb) capNewThreadsHeap(settings.workflowHeapMb);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: await pathwayWorkflowBundle(),
    activities: {
      ...createActivities({ db: opts.db }),
      ...createHandoverActivities({ db: opts.db }),
      ...createMailActivities({ db: opts.db, mail: opts.mail ?? { appUrl: "http://localhost:3000" } }),
    },
    maxCachedWorkflows: settings.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: Math.min(settings.maxConcurrentWorkflowTaskExecutions, settings.maxCachedWorkflows),
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivityTaskExecutions,
    stickyQueueScheduleToStartTimeout: settings.stickyQueueScheduleToStartTimeout,
  });
}
