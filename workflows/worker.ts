import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { fileURLToPath } from "node:url";
import type { Database } from "../db/schema";
import { createActivities } from "./activities";
import { createHandoverActivities } from "./handover.activities";

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

export async function createPathwayWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: await pathwayWorkflowBundle(),
    activities: { ...createActivities({ db: opts.db }), ...createHandoverActivities({ db: opts.db }) },
  });
}
