import { WorkflowExecutionAlreadyStartedError, type Client } from "@temporalio/client";
import { MAIL_WORKFLOW_ID, MAIL_WORKFLOW_TYPE, wakeMailSignal, type MailWorkflowInput } from "../../../workflows/mail.workflow";

/**
 * Starts the mailer workflow unless it runs already (one per Temporal namespace, whatever the
 * number of workers). Returns whether this call started it.
 */
export async function ensureMailer(temporal: Client, taskQueue: string, input: MailWorkflowInput = {}): Promise<boolean> {
  try {
    await temporal.workflow.start(MAIL_WORKFLOW_TYPE, { workflowId: MAIL_WORKFLOW_ID, taskQueue, args: [input] });
    return true;
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw e;
  }
}

/** Asks the mailer for a round now (after something that notifies); harmless when it is not running. */
export async function wakeMailer(temporal: Client): Promise<void> {
  try {
    await temporal.workflow.getHandle(MAIL_WORKFLOW_ID).signal(wakeMailSignal);
  } catch {
    // No mailer running (tests, a web process before any worker): its next round sends the mail.
  }
}
