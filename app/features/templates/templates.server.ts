import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "../../platform/access.server";
import { requireAllowed } from "../../platform/guard.server";

/** Every template page and action: ILO administrators only (403 for anyone else). */
export async function requireTemplateAdmin(request: Request, context: AppLoadContext): Promise<Actor> {
  return requireAllowed(request, context, "administer");
}
