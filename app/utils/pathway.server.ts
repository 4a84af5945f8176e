import { WorkflowExecutionAlreadyStartedError, type Client } from "@temporalio/client";
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId, type PathwayWorkflowInput } from "../../workflows/shared";

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
