import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler } from "@temporalio/workflow";
import { nextQuarter, quarterKey, quarterOf, quarterStartMs } from "../app/domain/handover";
import type { HandoverPlanStatus } from "../db/schema";
import type { HandoverActivities } from "./handover.activities";
import { STEP_FROM, STEP_ROLES, outOfOrderMessage, stepTarget } from "../app/domain/handover-steps";
import {
  activatePlanUpdate,
  closePlanUpdate,
  handoverStateQuery,
  reviewPlanUpdate,
  submitPlanUpdate,
  type HandoverWorkflowInput,
  type PlanReceipt,
  type PlanStepName,
  type StepActor,
} from "./handover.shared";
import { refusal } from "./refusal";

// Inside the workflow sandbox Date.now() is Temporal's deterministic clock (the time of the
// current workflow task), the same on every replay.

const acts = proxyActivities<HandoverActivities>({
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "1 minute" },
});

/**
 * Refusals from the step handler carry a code (workflows/refusal.ts) instead of a sentence. A
 * failed update's outcome is recorded in history, so the change is a patch.
 */
export const HANDOVER_REFUSAL_CODES_PATCH = "handover-refusal-codes";

function checkActor(step: PlanStepName, actor: StepActor | undefined): void {
  if (!actor?.name) throw refusal("ACTOR_REQUIRED", {}, "A step needs the name of the person taking it");
  if (!STEP_ROLES[step].includes(actor.role)) {
    throw refusal(
      "ROLE_NOT_ALLOWED",
      { role: actor.role, step },
      `A ${actor.role.replaceAll("_", " ")} cannot ${step} a handover plan`,
    );
  }
}

/** A step out of order, refused by the handler: coded, or as the first workflow code threw it. */
function outOfOrder(step: PlanStepName, status: HandoverPlanStatus): ApplicationFailure {
  const message = outOfOrderMessage(step, status) ?? "The plan moved on";
  if (patched(HANDOVER_REFUSAL_CODES_PATCH)) return refusal("OUT_OF_ORDER", { step, status }, message);
  return ApplicationFailure.nonRetryable(message, "OutOfOrder");
}

/**
 * One handover plan's approval and follow-up: submit → review (return | approve) → activate →
 * close at handover. While active, a timer wakes at the end of each calendar quarter and the
 * quarter's recorded cycles are compared with the plan. Lives a few years at most (4 timers a
 * year), so it never needs to continue as new.
 */
export async function handoverWorkflow(input: HandoverWorkflowInput): Promise<void> {
  const { planId } = input;
  let status: HandoverPlanStatus | undefined;
  let busy = false;
  const quartersChecked: string[] = [];

  function claimLock(): boolean {
    if (status === undefined || busy) return false;
    busy = true;
    return true;
  }

  async function step(
    name: PlanStepName,
    actor: StepActor,
    comment: string | null,
    decision?: "approve" | "return",
  ): Promise<PlanReceipt> {
    await condition(claimLock);
    try {
      if (outOfOrderMessage(name, status!)) throw outOfOrder(name, status!);
      const to = stepTarget(name, decision);
      const res = await acts.recordPlanStep({
        planId,
        from: [...STEP_FROM[name]],
        to,
        actor: actor.name,
        comment,
        at: Date.now(),
      });
      status = res.status;
      // The records moved on without this workflow (an edit by hand): follow them, and say so.
      if (!res.applied && res.status !== to) throw outOfOrder(name, res.status);
      return { planId, status: status! };
    } finally {
      busy = false;
    }
  }

  /** Validators refuse before anything enters history; the handler checks again under the lock. */
  function validate(name: PlanStepName, actor: StepActor | undefined) {
    checkActor(name, actor);
    const refused = status === undefined ? null : outOfOrderMessage(name, status);
    if (refused) throw refusal("OUT_OF_ORDER", { step: name, status: status! }, refused);
  }

  setHandler(handoverStateQuery, () => ({ planId, status: status ?? null, quartersChecked: [...quartersChecked] }));
  setHandler(submitPlanUpdate, (i) => step("submit", i.actor, null), { validator: (i) => validate("submit", i?.actor) });
  setHandler(reviewPlanUpdate, (i) => step("review", i.actor, i.comment.trim() || null, i.decision), {
    validator: (i) => {
      validate("review", i?.actor);
      if (i.decision !== "approve" && i.decision !== "return") {
        throw refusal("INVALID_INPUT", { field: "decision" }, "A review either returns or approves the plan");
      }
      if (i.decision === "return" && !i.comment?.trim()) {
        throw refusal("REASON_REQUIRED", { field: "comment" }, "Say what to change when returning a plan");
      }
    },
  });
  setHandler(activatePlanUpdate, (i) => step("activate", i.actor, null), { validator: (i) => validate("activate", i?.actor) });
  setHandler(closePlanUpdate, (i) => step("close", i.actor, i.note.trim() || null), {
    validator: (i) => validate("close", i?.actor),
  });

  status = await acts.loadPlanStatus(planId);

  for (;;) {
    await condition(() => status === "active" || status === "closed");
    if (status === "closed") {
      // The close update answers its caller before the workflow completes.
      await condition(allHandlersFinished);
      return;
    }
    // Active: sleep to the end of the current quarter, then check it; closing wakes the loop.
    const quarter = quarterOf(Date.now());
    const untilEnd = quarterStartMs(nextQuarter(quarter)) - Date.now();
    const stopped = await condition(() => status !== "active", Math.max(untilEnd, 1));
    if (stopped) continue;
    await acts.checkQuarterVariance(planId, quarter, Date.now());
    // Added after handover-v1 was recorded: histories without the marker replay without it.
    if (patched("handover-cost-variance")) await acts.checkQuarterCostVariance(planId, quarter, Date.now());
    quartersChecked.push(quarterKey(quarter));
  }
}
