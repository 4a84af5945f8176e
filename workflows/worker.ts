import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { fileURLToPath } from "node:url";
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
 * The worker's settings (decision 019). The SDK's defaults size the workflow cache from the
 * machine's memory: about 2,300 pathways on this 24 GB machine, each cached pathway costing
 * some 2 MB of V8 heap, so a worker with 5,000 running pathways grew to 4.7 GB while still
 * replaying most of them. A pathway spends nearly all its life asleep on a timer measured in
 * days; keeping it cached buys nothing until its next report. So:
 *
 * - `maxCachedWorkflows` 500: about 1 GB of cached pathways at most, whatever the number of
 *   institutions; a report to a pathway not in the cache replays its (short, continued-as-new
 *   at 4,000 events) history first.
 * - `maxConcurrentWorkflowTaskExecutions` 16: workflow tasks are CPU work on one thread; more at
 *   once only queue inside the process and hold memory (two cores here).
 * - `maxConcurrentActivityTaskExecutions` 16: activities are database round trips; the pool has
 *   10 connections, a few more keep it busy without a long queue in front of it.
 * - `stickyQueueScheduleToStartTimeout` 5 s: when a worker stops, its pathways' next tasks go to
 *   another worker after 5 s instead of the default 10 s.
 *
 * Each is an environment setting (WORKER_MAX_CACHED_WORKFLOWS, …) for machines that differ.
 */
export const WORKER_DEFAULTS = {
  maxCachedWorkflows: 500,
  maxConcurrentWorkflowTaskExecutions: 16,
  maxConcurrentActivityTaskExecutions: 16,
  stickyQueueScheduleToStartTimeout: "5s",
} as const;

export interface WorkerSettings {
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
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
