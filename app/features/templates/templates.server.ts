import type { AppLoadContext } from "@remix-run/node";
import { assertCan, requireActor, type Actor } from "../../platform/access.server";

/** Every template page and action: ILO administrators only (403 for anyone else). */
export async function requireTemplateAdmin(request: Request, context: AppLoadContext): Promise<Actor> {
  const actor = await requireActor(request, context);
  assertCan(actor, "administer");
  if (actor.role !== "ilo_admin") throw new Response("Forbidden", { status: 403 });
  return actor;
}
