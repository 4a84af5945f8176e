import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { getInstitution } from "../../db/queries/institutions";
import { requireActor } from "./access.server";
import { allows, assertAllowed, type Action, type Actor, type InstitutionAction } from "./policy";

const NOT_FOUND = "There is no institution at this address.";

export interface InstitutionGuardOptions {
  /** The 404 message for an institution that does not exist or that the actor may not see. */
  notFound?: string;
}

/**
 * The guard of every page under /institutions/:id: the signed-in actor and the institution the
 * URL names, if the policy lets the actor take `action` on it. 404 when the id is malformed, the
 * institution does not exist or the actor may not see it; 403 when they see it but may not act.
 */
export async function requireInstitution(
  request: Request,
  params: { id?: string },
  context: AppLoadContext,
  action: InstitutionAction | Action = "view",
  opts: InstitutionGuardOptions = {},
) {
  const actor = await requireActor(request, context);
  const notFound = opts.notFound ?? NOT_FOUND;
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response(notFound, { status: 404 });
  const institution = await getInstitution(context.db, id.data);
  if (!institution) throw new Response(notFound, { status: 404 });
  assertAllowed(actor, action, institution);
  return { actor, institution };
}

/** The guard of every page and action that is not about one institution: the actor, if the policy allows the action (else 403). */
export async function requireAllowed(request: Request, context: AppLoadContext, action: Action): Promise<Actor> {
  const actor = await requireActor(request, context);
  if (!allows(actor, action)) throw new Response("Forbidden", { status: 403 });
  return actor;
}
