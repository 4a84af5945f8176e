import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from "@temporalio/client";
import {
  PATHWAY_WORKFLOW_TYPE,
  pathwayWorkflowId,
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
export async function tellRecordsChanged(
  client: Client,
  taskQueue: string,
  institutionIds: readonly string[],
  cause: string,
  onProgress: (done: number) => void = () => undefined,
): Promise<string[]> {
  const failed: string[] = [];
  let next = 0;
  let done = 0;
  async function tell(id: string) {
    try {
      await pathwayHandle(client, id).executeUpdate(recordsChangedUpdate, { args: [{ cause }], updateId: `records-${cause}` });
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      await ensurePathwayStarted(client, taskQueue, id);
    }
  }
  async function lane() {
    while (next < institutionIds.length) {
      const id = institutionIds[next++];
      try {
        await tell(id);
      } catch (e) {
        failed.push(id);
        console.warn(`The pathway of institution ${id} was not told that its records changed (${cause}):`, e);
      }
      onProgress(++done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(RECORDS_CHANGED_CONCURRENCY, institutionIds.length) }, lane));
  return failed;
}
