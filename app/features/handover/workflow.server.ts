import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from "@temporalio/client";
import type { AppContext } from "~/platform/context";
import { UPDATE_DEADLINE_MS, workflowProblem, type UpdateOutcome } from "~/platform/workflow-errors.server";
import {
  HANDOVER_WORKFLOW_TYPE,
  OUT_OF_ORDER_PREFIX,
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

/**
 * Sends one approval step to a plan's workflow (started on first use: a draft needs no
 * workflow) and maps failures the way updatePathway does: a step out of order is a conflict
 * (409), bad input 400, an unreachable service 503. Unexpected errors are logged and rethrown.
 */
export async function updateHandover<T>(
  ctx: Pick<AppContext, "temporal" | "config">,
  planId: string,
  send: (handle: WorkflowHandle) => Promise<T>,
): Promise<UpdateOutcome<T>> {
  try {
    await ensureHandoverStarted(ctx, planId);
    const value = await ctx.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      send(ctx.temporal.workflow.getHandle(handoverWorkflowId(planId))),
    );
    return { ok: true, value };
  } catch (e) {
    const problem = workflowProblem(e);
    if (problem) {
      if (problem.message.startsWith(OUT_OF_ORDER_PREFIX)) return { ok: false, problem: { ...problem, status: 409, kind: "conflict" } };
      return { ok: false, problem };
    }
    console.error(`Update to the handover of plan ${planId} failed`, e);
    throw e;
  }
}

export type PlanStepRequest =
  | { intent: "submit" }
  | { intent: "approve" | "return"; comment: string }
  | { intent: "activate" }
  | { intent: "close"; note: string };

/** One approval step from the plan page, as the update the workflow expects. */
export function sendPlanStep(ctx: Pick<AppContext, "temporal" | "config">, planId: string, actor: StepActor, step: PlanStepRequest) {
  return updateHandover<PlanReceipt>(ctx, planId, (h) => {
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
