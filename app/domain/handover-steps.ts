/**
 * The approval steps of a handover plan: who may take each, which status it starts from and
 * where it leads. Shared by the workflow (which enforces them) and the pages (which offer only
 * the steps that can succeed, and refuse a repeated click without asking the workflow).
 */

export type PlanStatus = "draft" | "submitted" | "returned" | "approved" | "active" | "closed";
export type PlanStepName = "submit" | "review" | "activate" | "close";

/** Roles allowed to take each step; the web app checks the institution and country scope too. */
export const STEP_ROLES: Record<PlanStepName, readonly string[]> = {
  submit: ["institution_reporter", "programme_manager", "ilo_admin"],
  review: ["ilo_officer", "ilo_admin"],
  activate: ["programme_manager", "ilo_officer", "ilo_admin"],
  close: ["programme_manager", "ilo_officer", "ilo_admin"],
};

export const STEP_FROM: Record<PlanStepName, readonly PlanStatus[]> = {
  submit: ["draft", "returned"],
  review: ["submitted"],
  activate: ["approved"],
  close: ["active"],
};

export function stepTarget(step: PlanStepName, decision?: "approve" | "return"): PlanStatus {
  if (step === "review") return decision === "approve" ? "approved" : "returned";
  return ({ submit: "submitted", activate: "active", close: "closed" } as const)[step];
}

/** The start of every refusal a page shows as a conflict (409): the plan is not at that step. */
export const OUT_OF_ORDER_PREFIX = "Out of order: ";

const WHAT: Record<PlanStepName, string> = {
  submit: "Only a draft or returned plan can be submitted",
  review: "Only a submitted plan can be reviewed",
  activate: "Only an approved plan can be activated",
  close: "Only an active plan can be closed at handover",
};

export function outOfOrderMessage(step: PlanStepName, status: PlanStatus): string | null {
  return STEP_FROM[step].includes(status) ? null : `${OUT_OF_ORDER_PREFIX}${WHAT[step]}; this plan is ${status}.`;
}
