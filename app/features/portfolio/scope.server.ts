import type { Kysely } from "kysely";
import type { PathwayTemplate } from "~/domain/template";
import type { Actor } from "~/platform/access.server";
import { scopeOf } from "~/platform/policy";
import type { InstitutionScope } from "../../../db/queries/aggregates";
import { INSTITUTION_ROLES, INSTITUTION_TYPES, listCountries } from "../../../db/queries/institutions";
import { listTemplates } from "../../../db/queries/portfolio";
import type { Database } from "../../../db/schema";

/**
 * What the portfolio graph, the stage analytics and their CSV files share: which institutions they
 * count, as conditions the queries apply in SQL (db/queries/aggregates.ts) — the actor's tenancy
 * from the policy's "view" row, narrowed by the GET filters (country, type, role). Every count and
 * every spread on those pages is computed over this scope only, so an institution reporter's numbers
 * are their own institution's. Nothing here loads the institutions themselves.
 */

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

/** The institutions an actor may see, as SQL conditions: the policy's "view" row (all, their countries, or their own). */
export function tenancyOf(actor: Actor): Pick<InstitutionScope, "ids" | "countries"> {
  const scope = scopeOf(actor, "view");
  if (scope === "all") return { ids: null };
  if (scope === "own") return { ids: actor.institutionId ? [actor.institutionId] : [] };
  if (scope === "country") return { ids: null, countries: actor.countries === "all" ? undefined : actor.countries };
  return { ids: [] };
}

export async function loadScope(db: Kysely<Database>, actor: Actor, params: URLSearchParams, locale?: string) {
  const [countries, templates] = await Promise.all([listCountries(db), listTemplates(db, locale)]);
  const filters: PortfolioFilters = {
    country: pick(
      params,
      "country",
      countries.map((c) => c.code),
    ),
    type: pick(params, "type", Object.keys(INSTITUTION_TYPES)),
    role: pick(params, "role", Object.keys(INSTITUTION_ROLES)),
  };
  const where: InstitutionScope = { ...tenancyOf(actor), ...filters };
  return {
    filters,
    options: {
      countries: countries.map((c) => ({ value: c.code, label: c.name })),
      types: Object.entries(INSTITUTION_TYPES).map(([value, label]) => ({ value, label })),
      roles: Object.entries(INSTITUTION_ROLES).map(([value, label]) => ({ value, label })),
    },
    templates,
    stages: allStages(templates),
    where,
  };
}

/** The filters as a query string, for links that keep them. */
export function filterQuery(filters: PortfolioFilters, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) p.set(k, v);
  const q = p.toString();
  return q ? `?${q}` : "";
}
