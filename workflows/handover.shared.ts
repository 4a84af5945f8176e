import { defineQuery, defineUpdate } from "@temporalio/workflow";
import type { HandoverPlanStatus } from "../db/schema";

/**
 * Names shared by the handover workflow, its worker and the web app. Part of every recorded
 * history: never rename one once deployed.
 */

export const HANDOVER_WORKFLOW_TYPE = "handoverWorkflow";

export function handoverWorkflowId(planId: string): string {
  return `handover-${planId}`;
}

export interface HandoverWorkflowInput {
  planId: string;
}

/** Who takes a step, as the web app's session knows them; the name goes into the record. */
export interface StepActor {
  id: string;
  name: string;
  role: string;
}

export interface SubmitPlanInput {
  actor: StepActor;
}

export interface ReviewPlanInput {
  actor: StepActor;
  decision: "return" | "approve";
  comment: string;
}

export interface ActivatePlanInput {
  actor: StepActor;
}

export interface ClosePlanInput {
  actor: StepActor;
  note: string;
}

export interface PlanReceipt {
  planId: string;
  status: HandoverPlanStatus;
}

export interface HandoverView {
  planId: string;
  status: HandoverPlanStatus | null;
  /** The quarters checked against the plan while active, oldest first. */
  quartersChecked: string[];
}

export { OUT_OF_ORDER_PREFIX, STEP_ROLES, type PlanStepName } from "../app/domain/handover-steps";

export const submitPlanUpdate = defineUpdate<PlanReceipt, [SubmitPlanInput]>("submitPlan");
export const reviewPlanUpdate = defineUpdate<PlanReceipt, [ReviewPlanInput]>("reviewPlan");
export const activatePlanUpdate = defineUpdate<PlanReceipt, [ActivatePlanInput]>("activatePlan");
export const closePlanUpdate = defineUpdate<PlanReceipt, [ClosePlanInput]>("closePlan");
export const handoverStateQuery = defineQuery<HandoverView>("handoverState");
