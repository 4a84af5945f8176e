import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { getInstitution } from "../../db/queries/institutions";
import { assertCan, requireActor, type Action } from "./access.server";

const NOT_FOUND = "There is no institution at this address.";

/** The signed-in actor and the institution the URL names, if the actor may do `action` to it (else 404/403). */
export async function requireInstitution(request: Request, params: { id?: string }, context: AppLoadContext, action: Action) {
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response(NOT_FOUND, { status: 404 });
  const institution = await getInstitution(context.db, id.data);
  if (!institution) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, action, institution);
  return { actor, institution };
}
