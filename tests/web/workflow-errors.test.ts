import {
  ApplicationFailure,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from "@temporalio/client";
import { describe, expect, it } from "vitest";
import { SLOW_MESSAGE, UNAVAILABLE_MESSAGE, workflowProblem } from "../../app/platform/workflow-errors.server";

/** How a rejected update arrives: the validator's plain Error becomes an ApplicationFailure of type "Error". */
const rejected = (message: string, type = "Error") => new WorkflowUpdateFailedError("Workflow Update failed", new ApplicationFailure(message, type, true));

function grpcError(code: number, details: string) {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe("workflowProblem", () => {
  it("calls a state that moved on a conflict (409), from validators and handlers alike", () => {
    for (const e of [
      rejected("The institution is no longer at engaged"),
      rejected("The gate to the next stage is not met"),
      rejected("No slip back is waiting for a decision"),
      rejected("This report is not waiting for a decision", "NotPending"),
      rejected("Something new", "StageMoved"),
    ]) {
      expect(workflowProblem(e)).toEqual({ status: 409, kind: "conflict", message: e.cause!.message });
    }
  });

  it("calls anything else the workflow refused invalid input (400), in its own words", () => {
    expect(workflowProblem(rejected("Invalid report: payload.cost: Cost must be an amount"))).toEqual({
      status: 400,
      kind: "invalid",
      message: "Invalid report: payload.cost: Cost must be an amount",
    });
    expect(workflowProblem(rejected("The report cannot be applied: it names a record this institution does not have", "ReportNotApplicable"))?.status).toBe(400);
  });

  it("says the service is unavailable (503) when it cannot be reached or is too slow", () => {
    const down = new ServiceError("Failed to start Workflow", { cause: grpcError(14, "No connection established") });
    expect(workflowProblem(down)).toEqual({ status: 503, kind: "unavailable", message: UNAVAILABLE_MESSAGE });
    expect(workflowProblem(grpcError(14, "unavailable"))?.message).toBe(UNAVAILABLE_MESSAGE);
    expect(workflowProblem(new WorkflowUpdateRPCTimeoutOrCancelledError("timeout"))).toEqual({ status: 503, kind: "unavailable", message: SLOW_MESSAGE });
  });

  it("leaves errors it does not know to the error page", () => {
    expect(workflowProblem(new TypeError("x is undefined"))).toBeNull();
    expect(workflowProblem(new ServiceError("Bad request", { cause: grpcError(3, "invalid argument") }))).toBeNull();
  });
});
