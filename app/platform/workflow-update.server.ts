import {
  ActivityFailure,
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type WorkflowHandle,
} from "@temporalio/client";
import { message, type Message, type MessageParam } from "~/i18n/message";
import type { AppContext } from "./context";
import { isRefusalCode, refusalKind, type RefusalCode, type RefusalKind, type RefusalParams } from "../../workflows/refusal";
import { ensurePathwayStarted, pathwayHandle } from "../features/pathway/pathway.server";

/**
 * The one way the web app sends an update to a workflow. A refusal comes back as its code
 * (workflows/refusal.ts), its parameters, the HTTP status its kind calls for and a message key
 * for the page: never a sentence to be matched, never a 500 for an answer given on purpose.
 */

/** What a page does with a refusal of each kind. */
export const STATUS_BY_KIND: Record<RefusalKind, 400 | 404 | 409 | 422 | 503> = {
  conflict: 409,
  invalid: 400,
  "not-found": 404,
  unprocessable: 422,
  unavailable: 503,
};

export type Refused = {
  ok: false;
  /** A refusal code, or REFUSED for a failure the workflow gave without one. */
  code: RefusalCode | "REFUSED";
  params: RefusalParams;
  status: 400 | 404 | 409 | 422 | 503;
  kind: RefusalKind;
  /** What to tell the user: render it in their language. */
  message: Message;
};

export type UpdateResult<T> = { ok: true; result: T } | Refused;

/** How long a page waits for the workflow before it gives up and says so. */
export const UPDATE_DEADLINE_MS = 15_000;

// UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: the service did not take the request.
const UNAVAILABLE_CODES = new Set([14, 4, 8]);

function grpcCode(e: unknown): number | undefined {
  if (isGrpcServiceError(e)) return e.code;
  if (e instanceof ServiceError && isGrpcServiceError(e.cause)) return e.cause.code;
  return undefined;
}

/** Parameters a page shows as words of its own language. */
function messageParams(code: RefusalCode, params: RefusalParams): Record<string, MessageParam> {
  if (code === "OUT_OF_ORDER" && typeof params.status === "string") {
    return { ...params, status: message(`handover.status.${params.status}`) };
  }
  return params;
}

export function refused(code: RefusalCode | "REFUSED", params: RefusalParams = {}, key?: string): Refused {
  const kind = code === "REFUSED" ? "invalid" : refusalKind(code);
  const shown = code === "REFUSED" ? params : messageParams(code, params);
  return { ok: false, code, params, status: STATUS_BY_KIND[kind], kind, message: message(key ?? `refusal.${code}`, shown) };
}

function paramsOf(failure: ApplicationFailure): RefusalParams {
  const first = failure.details?.[0];
  return typeof first === "object" && first !== null && !Array.isArray(first) ? (first as RefusalParams) : {};
}

/** The refusal for an error from a workflow call, or null when it is not one we expect. */
export function refusalOf(e: unknown): Refused | null {
  if (e instanceof WorkflowUpdateFailedError) {
    // A failed activity the handler let through (the handover's plan step) carries the code inside.
    const cause = e.cause instanceof ActivityFailure ? e.cause.cause : e.cause;
    if (cause instanceof ApplicationFailure && isRefusalCode(cause.type)) return refused(cause.type, paramsOf(cause));
    return refused("REFUSED");
  }
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return refused("UNAVAILABLE", { slow: 1 }, "refusal.SLOW");
  const code = grpcCode(e);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return code === 4 ? refused("UNAVAILABLE", { slow: 1 }, "refusal.SLOW") : refused("UNAVAILABLE");
  }
  return null;
}

type Ctx = Pick<AppContext, "temporal" | "config">;

/**
 * Sends one update through `send` within the page's deadline. `start` starts the workflow when
 * it does not run (then the update is sent once more). Unexpected errors are logged and rethrown.
 */
export async function sendUpdate<T>(
  ctx: Ctx,
  what: string,
  handle: () => WorkflowHandle,
  start: () => Promise<void>,
  send: (handle: WorkflowHandle) => Promise<T>,
): Promise<UpdateResult<T>> {
  const attempt = () => ctx.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => send(handle()));
  try {
    try {
      return { ok: true, result: await attempt() };
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      await start();
      return { ok: true, result: await attempt() };
    }
  } catch (e) {
    const refusal = refusalOf(e);
    if (refusal) return refusal;
    console.error(`Update to ${what} failed`, e);
    throw e;
  }
}

/**
 * One update to an institution's pathway workflow. A pathway that never started (the service
 * was down when the institution was created) is started and asked once more.
 */
export function sendPathwayUpdate<T>(ctx: Ctx, institutionId: string, send: (handle: WorkflowHandle) => Promise<T>) {
  return sendUpdate(
    ctx,
    `the pathway of institution ${institutionId}`,
    () => pathwayHandle(ctx.temporal, institutionId),
    () => ensurePathwayStarted(ctx.temporal, ctx.config.TEMPORAL_TASK_QUEUE, institutionId),
    send,
  );
}
