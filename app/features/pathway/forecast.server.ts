import type { Kysely } from "kysely";
import { staysFrom } from "~/features/analytics/analytics";
import { forecastPathway, portfolioPace, type Forecast } from "~/features/pathway/forecast";
import { can, type Actor } from "~/platform/access.server";
import { transitionsFor } from "../../../db/queries/analytics";
import { getInstitution, getTemplate, listInstitutions } from "../../../db/queries/institutions";
import type { Database } from "../../../db/schema";

/**
 * One institution's forecast, for its own page: its stays from the read model and, when it has too
 * few completed stages of its own, the portfolio's pace (see app/features/pathway/forecast.ts for the rule).
 *
 * The caller has already checked the actor may see the institution. Pass `actor` so the fallback
 * pace rests only on institutions that actor may see (an institution reporter's is their own
 * institution's, and the /portfolio page gives the same dates); without it, on every institution.
 * Returns null for an unknown id.
 */
export async function forecastFor(
  db: Kysely<Database>,
  institutionId: string,
  now: Date,
  opts: { actor?: Actor } = {},
): Promise<Forecast | null> {
  const institution = await getInstitution(db, institutionId);
  if (!institution) return null;
  const [template, all] = await Promise.all([getTemplate(db, institution.template_id), listInstitutions(db)]);
  const basis = opts.actor ? all.filter((i) => can(opts.actor!, "view", i)) : all;
  const transitions = await transitionsFor(db, [...new Set([institutionId, ...basis.map((i) => i.id)])]);
  const pace = portfolioPace(basis.map((i) => staysFrom(transitions.get(i.id) ?? [], now)));
  return forecastPathway({
    stageKeys: template.definition.stages.map((s) => s.key),
    stays: staysFrom(transitions.get(institutionId) ?? [], now),
    now,
    portfolio: pace,
  });
}
