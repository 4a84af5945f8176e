import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from "@temporalio/client";
import {
  PATHWAY_WORKFLOW_TYPE,
  pathwayWorkflowId,
  historyImportedUpdate,
  recordsChangedUpdate,
  type PathwayWorkflowInput,
} from "../../../workflows/shared";

/** Starts an institution's pathway workflow; harmless when it already runs. */
export async function ensurePathwayStarted(client: Client, taskQueue: string, institutionId: string): Promise<void> {
  try {
    await client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
      workflowId: pathwayWorkflowId(institutionId),
      taskQueue,
      args: [{ institutionId } satisfies PathwayWorkflowInput],
      workflowIdConflictPolicy: "USE_EXISTING",
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

/** How many pathways are started at once: enough to hide round trips, few enough not to swamp the server. */
export const START_CONCURRENCY = 48;

/**
 * Runs `fn` for each item, `concurrency` at a time; returns the items whose call threw (each
 * reported through `onError`). Progress counts every item, done or failed.
 */
export async function inLanes<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
  opts: { onProgress?: (done: number) => void; onError?: (item: T, e: unknown) => void } = {},
): Promise<T[]> {
  const failed: T[] = [];
  let next = 0;
  let done = 0;
  async function lane() {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        failed.push(item);
        opts.onError?.(item, e);
      }
      opts.onProgress?.(++done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, lane));
  return failed;
}

/**
 * Starts many institutions' pathways, a bounded number at a time. Idempotent: a pathway that
 * already runs counts as started. Returns the institutions whose pathway could not be started.
 */
export async function startPathways(
  client: Client,
  taskQueue: string,
  institutionIds: readonly string[],
  opts: { concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<string[]> {
  return inLanes(institutionIds, opts.concurrency ?? START_CONCURRENCY, (id) => ensurePathwayStarted(client, taskQueue, id), {
    onProgress: opts.onProgress,
    onError: (id, e) => console.warn(`The pathway of institution ${id} did not start:`, e),
  });
}

/**
 * The institutions whose pathway runs, as Temporal's visibility store lists them (one call per
 * thousand, instead of one describe per institution). Null when the list cannot be had (a
 * server without visibility): the caller then starts every pathway, which is harmless.
 */
export async function listRunningPathways(client: Client): Promise<Set<string> | null> {
  try {
    const running = new Set<string>();
    const query = `WorkflowType = '${PATHWAY_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
    for await (const wf of client.workflow.list({ query, pageSize: 1000 })) {
      if (wf.workflowId.startsWith("pathway-")) running.add(wf.workflowId.slice("pathway-".length));
    }
    return running;
  } catch (e) {
    console.warn("Temporal did not list the running pathways; every pathway is started (harmless):", e);
    return null;
  }
}

/**
 * Start-up's reconciler: every active institution has its pathway running. Runs in the
 * background after the web has opened; lists the running pathways once and starts only the
 * missing ones, in parallel lanes. Returns how many it started and how many failed.
 */
export async function reconcilePathways(
  client: Client,
  taskQueue: string,
  activeInstitutionIds: readonly string[],
  log: (line: string) => void = (line) => console.log(line),
): Promise<{ missing: number; failed: string[] }> {
  const running = await listRunningPathways(client);
  const missing = running ? activeInstitutionIds.filter((id) => !running.has(id)) : [...activeInstitutionIds];
  if (missing.length === 0) return { missing: 0, failed: [] };
  const began = performance.now();
  log(`  Starting the pathways of ${missing.length} institutions in the background…`);
  let lastLog = began;
  const failed = await startPathways(client, taskQueue, missing, {
    onProgress: (done) => {
      const now = performance.now();
      if (now - lastLog > 5_000 && done < missing.length) {
        lastLog = now;
        log(`  … ${done} of ${missing.length} pathways started`);
      }
    },
  });
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  log(
    `  ${missing.length - failed.length} pathways started in ${seconds} s` +
      (failed.length ? `; ${failed.length} did not start (they start at the next start-up or on their next report)` : ""),
  );
  return { missing: missing.length, failed };
}

export function pathwayHandle(client: Client, institutionId: string) {
  return client.workflow.getHandle(pathwayWorkflowId(institutionId));
}

/** How many pathways are told of changed records at once. */
const RECORDS_CHANGED_CONCURRENCY = 8;

/**
 * Tells each institution's pathway that its records changed (an import, an upgrade), so it
 * evaluates its gate again and stores the result: pages and sign-off then agree with the
 * records. A few at a time; one keyed update per institution and cause, so telling twice
 * evaluates once. A pathway that is not running is started (its start evaluates). Returns the
 * institutions that could not be told now.
 */
export function tellRecordsChanged(
  client: Client,
  taskQueue: string,
  institutionIds: readonly string[],
  cause: string,
  onProgress: (done: number) => void = () => undefined,
): Promise<string[]> {
  return tellPathways(client, taskQueue, institutionIds, onProgress, {
    tell: (id) =>
      pathwayHandle(client, id).executeUpdate(recordsChangedUpdate, { args: [{ cause }], updateId: `records-${cause}` }),
    what: `that its records changed (${cause})`,
  });
}

/**
 * Tells each institution's pathway that a stage-history import moved it (decision 023): the
 * pathway takes the stored stage as its current one, without a sign-off, and evaluates its new
 * gate. One keyed update per institution and cause, so telling twice moves once. A pathway that
 * is not running is started (its start reads the stored stage). Returns those not told now.
 */
export function tellHistoryImported(
  client: Client,
  taskQueue: string,
  institutionIds: readonly string[],
  cause: string,
  onProgress: (done: number) => void = () => undefined,
): Promise<string[]> {
  return tellPathways(client, taskQueue, institutionIds, onProgress, {
    tell: (id) =>
      pathwayHandle(client, id).executeUpdate(historyImportedUpdate, { args: [{ cause }], updateId: `history-${cause}` }),
    what: `of its imported stage (${cause})`,
  });
}

/** One keyed update per institution, a few at a time; a pathway not running is started instead. */
async function tellPathways(
  client: Client,
  taskQueue: string,
  institutionIds: readonly string[],
  onProgress: (done: number) => void,
  { tell, what }: { tell: (id: string) => Promise<unknown>; what: string },
): Promise<string[]> {
  return inLanes(
    institutionIds,
    RECORDS_CHANGED_CONCURRENCY,
    async (id) => {
      try {
        await tell(id);
      } catch (e) {
        if (!(e instanceof WorkflowNotFoundError)) throw e;
        await ensurePathwayStarted(client, taskQueue, id);
      }
    },
    {
      onProgress,
      onError: (id, e) => console.warn(`The pathway of institution ${id} was not told ${what}:`, e),
    },
  );
}
