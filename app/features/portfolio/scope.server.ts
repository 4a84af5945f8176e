import type { Kysely } from "kysely";
import { staysFrom, type InstitutionHistory, type TransitionEvent } from "~/features/analytics/analytics";
import { portfolioPace, type PortfolioPace } from "~/features/pathway/forecast";
import type { PathwayTemplate } from "~/domain/template";
import { can, type Actor } from "~/platform/access.server";
import { transitionsFor } from "../../../db/queries/analytics";
import { INSTITUTION_ROLES, INSTITUTION_TYPES, listCountries, listInstitutions } from "../../../db/queries/institutions";
import { listTemplates } from "../../../db/queries/portfolio";
import type { Database } from "../../../db/schema";

/**
 * What the portfolio graph, the stage analytics and their CSV files share: the institutions this
 * actor may see, narrowed by the GET filters (country, type, role), with their stays. Every count
 * and every spread on those pages is computed from this list only, so an institution reporter's
 * numbers are their own institution's.
 */

export type VisibleInstitution = Awaited<ReturnType<typeof listInstitutions>>[number];

export interface PortfolioFilters {
  country?: string;
  type?: string;
  role?: string;
}

/** A filter value counts only when it names something that exists; anything else means "all". */
function pick(params: URLSearchParams, name: string, allowed: string[]): string | undefined {
  const v = params.get(name)?.trim();
  return v && allowed.includes(v) ? v : undefined;
}

/** Stages of every template in use, in pathway order; the default template's order leads. */
export function allStages(templates: Map<string, PathwayTemplate>) {
  const stages = new Map<string, string>();
  for (const t of templates.values()) for (const s of t.definition.stages) if (!stages.has(s.key)) stages.set(s.key, s.name);
  return [...stages].map(([key, name]) => ({ key, name }));
}

export async function loadScope(db: Kysely<Database>, actor: Actor, params: URLSearchParams, now: Date) {
  const [countries, templates, everything] = await Promise.all([listCountries(db), listTemplates(db), listInstitutions(db)]);
  const filters: PortfolioFilters = {
    country: pick(
      params,
      "country",
      countries.map((c) => c.code),
    ),
    type: pick(params, "type", Object.keys(INSTITUTION_TYPES)),
    role: pick(params, "role", Object.keys(INSTITUTION_ROLES)),
  };
  const visible = everything.filter((i) => can(actor, "view", i));
  const inScope = visible.filter(
    (i) =>
      (!filters.country || i.country_code === filters.country) &&
      (!filters.type || i.type === filters.type) &&
      (!filters.role || i.role === filters.role),
  );
  const transitions = await transitionsFor(
    db,
    visible.map((i) => i.id),
  );
  const historyOf = (i: VisibleInstitution): InstitutionHistory => ({
    id: i.id,
    name: i.name,
    country: i.country_name,
    stageKey: i.stage_key,
    stays: staysFrom(transitions.get(i.id) ?? [], now),
  });
  const visibleHistories = visible.map(historyOf);
  // The forecasts' fallback pace comes from everything the actor may see, whatever the filters, so
  // an institution's forecast reads the same here and on its own page.
  const pace: PortfolioPace | null = portfolioPace(visibleHistories.map((h) => h.stays));
  const inScopeIds = new Set(inScope.map((i) => i.id));
  return {
    filters,
    options: {
      countries: countries.map((c) => ({ value: c.code, label: c.name })),
      types: Object.entries(INSTITUTION_TYPES).map(([value, label]) => ({ value, label })),
      roles: Object.entries(INSTITUTION_ROLES).map(([value, label]) => ({ value, label })),
    },
    templates,
    stages: allStages(templates),
    inScope,
    histories: visibleHistories.filter((h) => inScopeIds.has(h.id)),
    transitions: inScope.flatMap((i): TransitionEvent[] => transitions.get(i.id) ?? []),
    pace,
  };
}

/** The filters as a query string, for links that keep them. */
export function filterQuery(filters: PortfolioFilters, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) p.set(k, v);
  const q = p.toString();
  return q ? `?${q}` : "";
}
