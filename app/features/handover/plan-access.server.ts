import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { allows, type Actor, type PlanAction } from "~/platform/policy";
import { requireInstitution } from "~/platform/guard.server";
import { getPlan, type HandoverPlan } from "../../../db/queries/handover";

/**
 * Who may do what with handover plans: rows plan_<step> of the policy (app/platform/policy.ts).
 * Seeing them follows the institution (a reporter of another institution gets a 404, as for
 * every institution page); beyond that reporters edit and submit their own institution's plans,
 * programme managers and admins all, ILO officers review (and activate, close) in their
 * countries, viewers read.
 */

export type { PlanAction };

type Scoped = { id: string; country_code: string };

export function canPlan(actor: Actor, action: PlanAction, institution: Scoped): boolean {
  return allows(actor, `plan_${action}`, institution);
}

export function assertCanPlan(actor: Actor, action: PlanAction, institution: Scoped): void {
  if (!canPlan(actor, action, institution)) throw new Response("Forbidden", { status: 403 });
}

export const PLAN_NOT_FOUND = "There is no handover plan at this address.";
const NOT_FOUND = PLAN_NOT_FOUND;

/** As requireInstitution, plus a plan of that institution (another institution's plan is a 404). */
export async function requirePlan(request: Request, params: { id?: string; planId?: string }, context: AppLoadContext) {
  const found = await requireInstitution(request, params, context, "view", { notFound: PLAN_NOT_FOUND });
  const plan = await loadPlanOf(context, found.institution.id, params.planId);
  return { ...found, plan };
}

export async function loadPlanOf(
  context: AppLoadContext,
  institutionId: string,
  planId: string | null | undefined,
): Promise<HandoverPlan> {
  const id = z.uuid().safeParse(planId);
  const plan = id.success ? await getPlan(context.db, id.data) : undefined;
  if (!plan || plan.institutionId !== institutionId) throw new Response(NOT_FOUND, { status: 404 });
  return plan;
}
