import {
  ActivityFailure,
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from "@temporalio/client";
import { describe, expect, it } from "vitest";
import { render } from "../../app/i18n/render";
import { translatorFor } from "../../app/i18n/server";
import { refusalOf, sendUpdate } from "../../app/platform/workflow-update.server";
import { refusal, REFUSALS } from "../../workflows/refusal";
import refusals from "../../app/i18n/messages/refusals";

/** How a refused update reaches the client: the workflow's coded failure as the cause. */
const refusedWith = (failure: ApplicationFailure) => new WorkflowUpdateFailedError("Workflow Update failed", failure);

function grpcError(code: number, details: string) {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe("refusalOf", () => {
  it("reads the code and its parameters, never the message", () => {
    const r = refusalOf(refusedWith(refusal("WRONG_STAGE", { stage: "engaged" }, "a sentence nobody parses")));
    expect(r).toEqual({
      ok: false,
      code: "WRONG_STAGE",
      params: { stage: "engaged" },
      status: 409,
      kind: "conflict",
      message: { key: "refusal.WRONG_STAGE", params: { stage: "engaged" } },
    });
    // The same code with any wording is the same refusal.
    expect(refusalOf(refusedWith(refusal("WRONG_STAGE", { stage: "engaged" }, "anything else")))).toEqual(r);
  });

  it("gives each kind its HTTP status", () => {
    const status = (code: keyof typeof REFUSALS) => refusalOf(refusedWith(refusal(code)))!.status;
    expect(status("GATE_NOT_MET")).toBe(409);
    expect(status("ALREADY_DECIDED")).toBe(409);
    expect(status("INVALID_INPUT")).toBe(400);
    expect(status("NOT_FOUND")).toBe(404);
    expect(status("NOT_APPLICABLE")).toBe(422);
  });

  it("finds the code of a failed activity the handler let through", () => {
    const activity = new ActivityFailure(
      "failed",
      "recordPlanStep",
      "1",
      "NON_RETRYABLE_FAILURE" as never,
      "worker",
      refusal("NOT_FOUND", { planId: "p1" }),
    );
    expect(refusalOf(refusedWith(activity as unknown as ApplicationFailure))).toMatchObject({
      code: "NOT_FOUND",
      status: 404,
      params: { planId: "p1" },
    });
  });

  it("calls a failure without a known code a plain refusal (400), whatever its words", () => {
    for (const failure of [
      ApplicationFailure.nonRetryable("The institution is no longer at engaged", "Error"),
      ApplicationFailure.nonRetryable("x", "StageMoved"),
    ]) {
      expect(refusalOf(refusedWith(failure))).toMatchObject({ code: "REFUSED", kind: "invalid", status: 400 });
    }
  });

  it("says the service is unavailable (503) when it cannot be reached or is too slow", () => {
    const down = new ServiceError("Failed to start Workflow", { cause: grpcError(14, "No connection established") });
    expect(refusalOf(down)).toMatchObject({ code: "UNAVAILABLE", status: 503, message: { key: "refusal.UNAVAILABLE" } });
    expect(refusalOf(new WorkflowUpdateRPCTimeoutOrCancelledError("timeout"))).toMatchObject({
      code: "UNAVAILABLE",
      status: 503,
      message: { key: "refusal.SLOW" },
    });
  });

  it("leaves errors it does not know to the error page", () => {
    expect(refusalOf(new TypeError("x is undefined"))).toBeNull();
    expect(refusalOf(new ServiceError("Bad request", { cause: grpcError(3, "invalid argument") }))).toBeNull();
  });

  it("renders every refusal in the reader's language, plan statuses as words", () => {
    for (const code of Object.keys(REFUSALS)) expect(refusals.en).toHaveProperty(`refusal.${code}`);
    const r = refusalOf(refusedWith(refusal("OUT_OF_ORDER", { step: "review", status: "draft" })))!;
    expect(render(translatorFor("en"), r.message)).toBe("This step cannot be taken now: the plan’s status is “Draft”.");
    expect(render(translatorFor("fr"), r.message)).toBe(
      "Cette étape ne peut pas être franchie maintenant : le statut du plan est « Brouillon ».",
    );
  });
});

describe("sendUpdate", () => {
  const ctx = { temporal: { withDeadline: <T>(_: number, fn: () => Promise<T>) => fn() }, config: {} } as never;
  const handle = () => ({}) as never;

  it("answers the result, and starts a workflow that does not run before asking once more", async () => {
    let started = 0;
    let calls = 0;
    const send = async () => {
      if (calls++ === 0) throw new WorkflowNotFoundError("not found", "w", undefined);
      return "done";
    };
    const out = await sendUpdate(ctx, "test", handle, async () => void started++, send);
    expect(out).toEqual({ ok: true, result: "done" });
    expect(started).toBe(1);
  });

  it("answers a refusal as a value, and rethrows what it does not know", async () => {
    const out = await sendUpdate(
      ctx,
      "test",
      handle,
      async () => undefined,
      async () => {
        throw refusedWith(refusal("NO_SLIP"));
      },
    );
    expect(out).toMatchObject({ ok: false, code: "NO_SLIP", status: 409 });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await expect(
        sendUpdate(
          ctx,
          "test",
          handle,
          async () => undefined,
          async () => {
            throw new TypeError("bug");
          },
        ),
      ).rejects.toThrow("bug");
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });
});
