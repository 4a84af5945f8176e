import {
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type WorkflowHandle,
} from "@temporalio/client";
import type { AppContext } from "./context";
import { ensurePathwayStarted, pathwayHandle } from "../features/pathway/pathway.server";

/**
 * What can go wrong when the web app asks an institution's workflow to change something, in
 * terms a page can show: never a stack trace, never a 500 for an answer the workflow gave on
 * purpose.
 */

export interface WorkflowProblem {
  status: 400 | 409 | 503;
  /** "conflict": the state moved on (a second click, another officer); "invalid": bad input. */
  kind: "invalid" | "conflict" | "unavailable";
  message: string;
}

export const UNAVAILABLE_MESSAGE = "The workflow service is unavailable; nothing was changed. Try again.";
export const SLOW_MESSAGE =
  "The workflow service did not answer in time. Sending again is safe: nothing is recorded twice.";

/** How long a page waits for the workflow before it gives up and says so. */
export const UPDATE_DEADLINE_MS = 15_000;

// Handlers throw typed ApplicationFailures; validators throw plain errors, known by their message.
const CONFLICT_TYPES = new Set(["NotPending", "StageMoved", "GateNotMet", "NoSlip"]);
const CONFLICT_MESSAGES = [
  /^The institution is no longer at /,
  /^This report is not waiting for a decision/,
  /^This report is already waiting for verification/,
  /^The gate to the next stage is not met/,
  /^The institution is at the last stage/,
  /^No slip back is waiting for a decision/,
];

// UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: the service did not take the request.
const UNAVAILABLE_CODES = new Set([14, 4, 8]);

function grpcCode(e: unknown): number | undefined {
  if (isGrpcServiceError(e)) return e.code;
  if (e instanceof ServiceError && isGrpcServiceError(e.cause)) return e.cause.code;
  return undefined;
}

/** The problem to show for an error from a workflow call, or null when it is not one we expect. */
export function workflowProblem(e: unknown): WorkflowProblem | null {
  if (e instanceof WorkflowUpdateFailedError) {
    const cause = e.cause;
    const message = cause?.message || "The workflow refused the change";
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    const conflict = (type && CONFLICT_TYPES.has(type)) || CONFLICT_MESSAGES.some((re) => re.test(message));
    return conflict ? { status: 409, kind: "conflict", message } : { status: 400, kind: "invalid", message };
  }
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { status: 503, kind: "unavailable", message: SLOW_MESSAGE };
  const code = grpcCode(e);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return { status: 503, kind: "unavailable", message: code === 4 ? SLOW_MESSAGE : UNAVAILABLE_MESSAGE };
  }
  return null;
}

export type UpdateOutcome<T> = { ok: true; value: T } | { ok: false; problem: WorkflowProblem };

/**
 * Sends one update to an institution's pathway workflow and turns expected failures into a
 * problem. A pathway that never started (the service was down when the institution was
 * created) is started and asked once more. Unexpected errors are logged and rethrown.
 */
export async function updatePathway<T>(
  ctx: Pick<AppContext, "temporal" | "config">,
  institutionId: string,
  send: (handle: WorkflowHandle) => Promise<T>,
): Promise<UpdateOutcome<T>> {
  const attempt = () =>
    ctx.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => send(pathwayHandle(ctx.temporal, institutionId)));
  try {
    try {
      return { ok: true, value: await attempt() };
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      await ensurePathwayStarted(ctx.temporal, ctx.config.TEMPORAL_TASK_QUEUE, institutionId);
      return { ok: true, value: await attempt() };
    }
  } catch (e) {
    const problem = workflowProblem(e);
    if (problem) return { ok: false, problem };
    console.error(`Update to the pathway of institution ${institutionId} failed`, e);
    throw e;
  }
}
