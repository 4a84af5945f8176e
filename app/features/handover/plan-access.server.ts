import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { assertCan, requireActor, type Actor } from "~/platform/access.server";
import { getPlan, type HandoverPlan } from "../../../db/queries/handover";
import { getInstitution } from "../../../db/queries/institutions";
import { STEP_ROLES, type PlanStepName } from "~/domain/handover-steps";

/**
 * Who may do what with handover plans. Seeing them follows the institution (a reporter of
 * another institution gets a 404, as for every institution page); beyond that:
 * reporters edit and submit their own institution's plans, programme managers and admins all,
 * ILO officers review (and activate, close) in their countries, viewers read.
 */

export type PlanAction = "edit" | PlanStepName;

type Scoped = { id: string; country_code: string };

export function canPlan(actor: Actor, action: PlanAction, institution: Scoped): boolean {
  const inCountry = actor.countries === "all" || actor.countries.includes(institution.country_code);
  const roles: readonly string[] = action === "edit" ? STEP_ROLES.submit : STEP_ROLES[action];
  if (!roles.includes(actor.role)) return false;
  if (actor.role === "institution_reporter") return actor.institutionId === institution.id;
  if (actor.role === "ilo_officer") return inCountry;
  return true;
}

export function assertCanPlan(actor: Actor, action: PlanAction, institution: Scoped): void {
  if (!canPlan(actor, action, institution)) throw new Response("Forbidden", { status: 403 });
}

const NOT_FOUND = "There is no handover plan at this address.";

/** The actor and the institution of a plans page; 404 for an institution the actor may not see. */
export async function requireInstitution(request: Request, params: { id?: string }, context: AppLoadContext) {
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response(NOT_FOUND, { status: 404 });
  const institution = await getInstitution(context.db, id.data);
  if (!institution) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, "view", institution);
  return { actor, institution };
}

/** As requireInstitution, plus a plan of that institution (another institution's plan is a 404). */
export async function requirePlan(request: Request, params: { id?: string; planId?: string }, context: AppLoadContext) {
  const found = await requireInstitution(request, params, context);
  const plan = await loadPlanOf(context, found.institution.id, params.planId);
  return { ...found, plan };
}

export async function loadPlanOf(context: AppLoadContext, institutionId: string, planId: string | null | undefined): Promise<HandoverPlan> {
  const id = z.uuid().safeParse(planId);
  const plan = id.success ? await getPlan(context.db, id.data) : undefined;
  if (!plan || plan.institutionId !== institutionId) throw new Response(NOT_FOUND, { status: 404 });
  return plan;
}
