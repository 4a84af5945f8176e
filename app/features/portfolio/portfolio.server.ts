import { keyOf, minuteOf, readModel } from "../../../db/queries/read-model";
import type { Kysely } from "kysely";
import { DAY_MS } from "~/domain/dates";
import { stageIndex, type PathwayTemplate } from "~/domain/template";
import { can, type Actor } from "~/platform/access.server";
import { parseListQuery, pageWindow } from "~/platform/list-query";
import { listScope } from "~/platform/policy";
import type { Database } from "../../../db/schema";
import { INSTITUTION_TYPES, listCountries } from "../../../db/queries/institutions";
import {
  countInstitutionsPerStage,
  INSTITUTION_FLAGS,
  INSTITUTION_SORTS,
  pageInstitutionsWithStatus,
  type InstitutionFlag,
} from "../../../db/queries/pathway-status";
import { countInstitutions, listTemplates, withTemplatesOf } from "../../../db/queries/portfolio";

/**
 * What the portfolio page shows, from the database: each institution's next gate as its pathway
 * last evaluated and stored it (never evaluated here). Server-only (the
 * `.server` name keeps zod and the queries out of the browser bundle).
 */

/** Stages of every template in use, in pathway order; the default template's order leads. */
function allStages(templates: Map<string, PathwayTemplate>) {
  const stages = new Map<string, string>();
  for (const t of templates.values()) for (const s of t.definition.stages) if (!stages.has(s.key)) stages.set(s.key, s.name);
  return [...stages].map(([key, name]) => ({ key, name }));
}

/** A filter value counts only when it names something that exists; anything else means "all". */
function pick(params: URLSearchParams, name: string, allowed: string[]): string | undefined {
  const v = params.get(name)?.trim();
  return v && allowed.includes(v) ? v : undefined;
}

export async function loadPortfolio(db: Kysely<Database>, actor: Actor, params: URLSearchParams, now: Date, locale?: string) {
  const [countries, templates, rm] = await Promise.all([listCountries(db), listTemplates(db, locale), readModel(db)]);
  const stages = allStages(templates);
  const filters = {
    country: pick(
      params,
      "country",
      countries.map((c) => c.code),
    ),
    type: pick(params, "type", Object.keys(INSTITUTION_TYPES)),
    stage: pick(
      params,
      "stage",
      stages.map((s) => s.key),
    ),
    flag: pick(params, "flag", [...INSTITUTION_FLAGS]) as InstitutionFlag | undefined,
  };
  const list = parseListQuery(params, {
    sorts: INSTITUTION_SORTS,
    defaultSort: "country",
    defaultDir: { time: "desc" },
  });
  const where = { scope: listScope(actor, "view"), ...filters, q: list.q || undefined };

  // Counts per stage follow every filter but the stage, so they still show where everything
  // else sits once a stage is chosen; the list's total is read off them (one statement).
  // Kept per change and minute for every reader with the same scope and filters (decision 030).
  const perStage = await rm.cached(keyOf("countInstitutionsPerStage", where, minuteOf(now)), () =>
    countInstitutionsPerStage(db, where, now),
  );
  const stageCounts = stages.map((s) => ({ ...s, count: perStage.get(s.key) ?? 0 }));
  const inScopeCount = [...perStage.values()].reduce((a, b) => a + b, 0);
  const total = filters.stage ? (perStage.get(filters.stage) ?? 0) : inScopeCount;
  const page = pageWindow(total, list.page, list.per);
  const shown =
    total === 0
      ? []
      : await (() => {
          const query = {
            ...where,
            sort: list.sort,
            dir: list.dir,
            stageOrder: stages.map((s) => s.key),
            limit: page.per,
            offset: page.offset,
          };
          return rm.cached(keyOf("pageInstitutionsWithStatus", query, minuteOf(now)), () =>
            pageInstitutionsWithStatus(db, query, now),
          );
        })();

  const shownTemplates = await withTemplatesOf(
    db,
    templates,
    shown.map((i) => i.template_id),
    locale,
  );
  const institutions = shown.map((i) => {
    const def = shownTemplates.get(i.template_id)!.definition;
    const index = stageIndex(def, i.stage_key);
    const status = i.pathwayStatus;
    const next = def.stages[index + 1];
    const slip = i.slip_flag;
    return {
      id: i.id,
      name: i.name,
      country: i.country_name,
      type: INSTITUTION_TYPES[i.type],
      typeCode: i.type,
      discontinued: i.status === "discontinued",
      stage: def.stages[index].name,
      stageKey: i.stage_key,
      stageOrder: index + 1,
      stageTotal: def.stages.length,
      daysInStage: Math.max(0, Math.floor((now.getTime() - new Date(i.stage_entered_at).getTime()) / DAY_MS)),
      // Null at the last stage; `pending` when the stored evaluation is missing or out of date
      // (the pathway evaluates again on its own): no figures are shown then.
      nextGate: next
        ? status.state === "current"
          ? {
              stage: next.name,
              pending: false,
              met: status.criteriaMet,
              total: status.criteriaTotal,
              progress: status.progress,
              awaitingSignOff: status.awaitingSignOff,
            }
          : { stage: next.name, pending: true, met: 0, total: 0, progress: 0, awaitingSignOff: false }
        : null,
      slipFlag: slip && {
        toStage: def.stages.find((s) => s.key === slip.toStage)?.name ?? slip.toStage,
        reason: slip.reason,
        reasonMessage: slip.reasonMessage ?? null,
      },
    };
  });

  return {
    filters,
    countries: countries.map((c) => ({ code: c.code, name: c.name })),
    types: Object.entries(INSTITUTION_TYPES).map(([value, label]) => ({ value, label })),
    stageCounts,
    inScopeCount,
    list: { sort: list.sort, dir: list.dir, q: list.q },
    page,
    institutions,
    anyInstitutions: total > 0 || (await countInstitutions(db)) > 0,
    canCreate: can(actor, "create_institution"),
  };
}
