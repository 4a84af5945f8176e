import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Actor } from "../../platform/access.server";
import { requireAllowed } from "../../platform/guard.server";
import { templateTerms } from "../../i18n/template-labels";
import { listTemplates } from "../../../db/queries/portfolio";
import type { Database } from "../../../db/schema";

/** Every template page and action: ILO administrators only (403 for anyone else). */
export async function requireTemplateAdmin(request: Request, context: AppLoadContext): Promise<Actor> {
  return requireAllowed(request, context, "administer");
}

/**
 * The templates' words in the reader's language, for names the workflows stored inside messages
 * (a notification's `{stage}`, decision 026): each default-language stage name and criterion label
 * of the templates in use → the reader's words. From the list the list pages keep (listTemplates:
 * published and retired versions, each checked once per process), not parsed again per request.
 */
export async function templateWords(db: Kysely<Database>, locale: string) {
  const templates = await listTemplates(db);
  return {
    terms: templateTerms(
      [...templates.values()].map((t) => t.definition),
      locale,
    ),
  };
}
