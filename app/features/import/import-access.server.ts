import type { AppLoadContext } from "@remix-run/node";
import type { ImportEntityName } from "~/features/import/rules/index";
import { IMPORT_ENTITIES } from "~/features/import/rules/index";
import { requireActor, type Actor } from "../../platform/access.server";
import { allows } from "../../platform/policy";

/**
 * Who may import (rows import and import_targets of the policy): ILO administrators, everything;
 * programme managers, the logframe targets they set. Everyone else (reporters included) is refused with 403 on every loader and action.
 */
export function importableEntities(actor: Actor): ImportEntityName[] {
  if (allows(actor, "import")) return IMPORT_ENTITIES;
  if (allows(actor, "import_targets")) return ["targets"];
  return [];
}

export async function requireImporter(request: Request, context: AppLoadContext, entity?: ImportEntityName): Promise<Actor> {
  const actor = await requireActor(request, context);
  const allowed = importableEntities(actor);
  if (allowed.length === 0 || (entity && !allowed.includes(entity))) throw new Response("Forbidden", { status: 403 });
  return actor;
}
