import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Actor } from "../../platform/access.server";
import { requireAllowed } from "../../platform/guard.server";
import { localiseTemplate, templateTerms } from "../../i18n/template-labels";
import { listTemplateDefinitions } from "../../../db/queries/templates";
import type { Database } from "../../../db/schema";

/** Every template page and action: ILO administrators only (403 for anyone else). */
export async function requireTemplateAdmin(request: Request, context: AppLoadContext): Promise<Actor> {
  return requireAllowed(request, context, "administer");
}

/**
 * Template data in the reader's language for pages that show several institutions' templates:
 * each version's stage names by key (`stageName(templateId, stageKey)`), its own name, and the
 * default-language words → reader's words map for names stored inside messages (decision 026).
 */
export async function templateWords(db: Kysely<Database>, locale: string) {
  const all = await listTemplateDefinitions(db);
  const byId = new Map(all.map((t) => [t.id, localiseTemplate(t, locale)]));
  return {
    terms: templateTerms(
      all.map((t) => t.definition),
      locale,
    ),
    templateName: (id: string) => byId.get(id)?.name ?? id,
    stageName: (id: string, stageKey: string) =>
      byId.get(id)?.definition.stages.find((s) => s.key === stageKey)?.name ?? stageKey,
  };
}
