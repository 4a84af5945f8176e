import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from "@temporalio/client";
import type { AppContext } from "~/platform/context";
import { sendUpdate } from "~/platform/workflow-update.server";
import {
  HANDOVER_WORKFLOW_TYPE,
  activatePlanUpdate,
  closePlanUpdate,
  handoverWorkflowId,
  reviewPlanUpdate,
  submitPlanUpdate,
  type HandoverWorkflowInput,
  type PlanReceipt,
  type StepActor,
} from "../../../workflows/handover.shared";

/** Starts a plan's handover workflow; harmless when it already runs. */
export async function ensureHandoverStarted(ctx: Pick<AppContext, "temporal" | "config">, planId: string): Promise<void> {
  try {
    await ctx.temporal.workflow.start(HANDOVER_WORKFLOW_TYPE, {
      workflowId: handoverWorkflowId(planId),
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [{ planId } satisfies HandoverWorkflowInput],
      workflowIdConflictPolicy: "USE_EXISTING",
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

/** One update to a handover plan's workflow, started on first use (a draft needs no workflow). */
export function sendHandoverUpdate<T>(
  ctx: Pick<AppContext, "temporal" | "config">,
  planId: string,
  send: (handle: WorkflowHandle) => Promise<T>,
) {
  return sendUpdate(
    ctx,
    `the handover of plan ${planId}`,
    () => ctx.temporal.workflow.getHandle(handoverWorkflowId(planId)),
    () => ensureHandoverStarted(ctx, planId),
    send,
  );
}

export type PlanStepRequest =
  | { intent: "submit" }
  | { intent: "approve" | "return"; comment: string }
  | { intent: "activate" }
  | { intent: "close"; note: string };

/** One approval step from the plan page, as the update the workflow expects. */
export function sendPlanStep(
  ctx: Pick<AppContext, "temporal" | "config">,
  planId: string,
  actor: StepActor,
  step: PlanStepRequest,
) {
  return sendHandoverUpdate<PlanReceipt>(ctx, planId, (h) => {
    switch (step.intent) {
      case "submit":
        return h.executeUpdate(submitPlanUpdate, { args: [{ actor }] });
      case "approve":
      case "return":
        return h.executeUpdate(reviewPlanUpdate, { args: [{ actor, decision: step.intent, comment: step.comment }] });
      case "activate":
        return h.executeUpdate(activatePlanUpdate, { args: [{ actor }] });
      case "close":
        return h.executeUpdate(closePlanUpdate, { args: [{ actor, note: step.note }] });
    }
  });
}
