import { ApplicationFailure } from "@temporalio/common";

/**
 * Why a workflow refuses a change, as a code the web app can act on and a page can translate.
 * The workflows throw `ApplicationFailure`s whose `type` is one of these codes and whose first
 * detail holds the parameters; the web app reads the code, never the message. The English
 * message beside it is for logs and the Temporal UI only.
 *
 * Kinds: `conflict` the state moved on (a second click, another officer); `invalid` the input is
 * malformed; `not-found` it names nothing; `unprocessable` well-formed but cannot be applied;
 * `unavailable` the service did not take the request.
 *
 * Codes are part of the protocol between the workflows and the web app: add codes, never rename one.
 */
export type RefusalKind = "conflict" | "invalid" | "not-found" | "unprocessable" | "unavailable";

export const REFUSALS = {
  /** The institution moved to another stage since the page was shown. */
  WRONG_STAGE: "conflict",
  /** The gate to the next stage is not met (or no longer met). */
  GATE_NOT_MET: "conflict",
  /** The institution is at the last stage: there is nothing to sign off. */
  LAST_STAGE: "conflict",
  /** The report is not waiting for a decision: decided already, or never submitted. */
  ALREADY_DECIDED: "conflict",
  /** A resubmitted report is already waiting for verification. */
  ALREADY_PENDING: "conflict",
  /** No slip back is waiting for a decision. */
  NO_SLIP: "conflict",
  /** A handover plan step out of order: the plan is at another status. */
  OUT_OF_ORDER: "conflict",
  /** The report or its id belongs to another institution. */
  OTHER_INSTITUTION: "conflict",
  /** The institution's current stage is missing from the target template version. */
  STAGE_NOT_IN_TEMPLATE: "conflict",
  /** The input is malformed: a field is missing or wrong (`field`, `issue`). */
  INVALID_INPUT: "invalid",
  /** The name of the person taking the step is missing. */
  ACTOR_REQUIRED: "invalid",
  /** The person's role may not take this step (`role`, `step`). */
  ROLE_NOT_ALLOWED: "unprocessable",
  /** A comment, note or reason is required (`field`). */
  REASON_REQUIRED: "invalid",
  /** The template version to move to is not published (`template`). */
  TEMPLATE_NOT_PUBLISHED: "unprocessable",
  /** The template version to move to is for another country (`template`). */
  TEMPLATE_OTHER_COUNTRY: "unprocessable",
  /** The data names something that cannot be applied (an activity gave up for good). */
  NOT_APPLICABLE: "unprocessable",
  /** A report, template or institution named does not exist. */
  NOT_FOUND: "not-found",
  /** The workflow service cannot be reached or did not answer in time. */
  UNAVAILABLE: "unavailable",
} as const satisfies Record<string, RefusalKind>;

export type RefusalCode = keyof typeof REFUSALS;
export type RefusalParams = Record<string, string | number>;

export function isRefusalCode(type: unknown): type is RefusalCode {
  return typeof type === "string" && Object.prototype.hasOwnProperty.call(REFUSALS, type);
}

export function refusalKind(code: RefusalCode): RefusalKind {
  return REFUSALS[code];
}

/** A non-retryable failure carrying a refusal code and its parameters. `message` is for logs. */
export function refusal(code: RefusalCode, params: RefusalParams = {}, message: string = code): ApplicationFailure {
  return ApplicationFailure.create({ message, type: code, nonRetryable: true, details: [params] });
}
