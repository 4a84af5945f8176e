import type { Kysely } from "kysely";
import { DAY_MS } from "~/domain/dates";
import { forecastPathway } from "~/features/pathway/forecast";
import { programmePace, staysOfRows } from "~/features/pathway/forecast.server";
import type { Actor } from "~/platform/access.server";
import { pageWindow } from "~/platform/list-query";
import { portfolioStageCounts, stageInstitutions } from "../../../db/queries/aggregates";
import { withTemplatesOf } from "../../../db/queries/portfolio";
import { keyOf, minuteOf, readModel, NO_STATUS } from "../../../db/queries/read-model";
import type { Database } from "../../../db/schema";
import { filterQuery, loadScope } from "./scope.server";

/**
 * The portfolio graph: per stage, how many institutions sit there, how many await sign-off (their
 * next gate is met, as its pathway last evaluated and stored it; an evaluation that is missing or
 * out of date counts as not awaiting until the pathway has evaluated again), how many are flagged for slipping
 * back and how many are overdue on reporting; and, for a chosen stage, its institutions with their
 * time in stage and forecast. The counts are one grouped query over the stored status
 * (db/queries/aggregates.ts); only the chosen stage's institutions are read one by one.
 */
/** Institutions of the chosen stage shown on one page. */
export const STAGE_PAGE_SIZE = 50;

export async function loadPortfolioGraph(
  db: Kysely<Database>,
  actor: Actor,
  params: URLSearchParams,
  now: Date,
  locale?: string,
) {
  const [scope, rm] = await Promise.all([loadScope(db, actor, params, locale), readModel(db)]);
  const stageParam = params.get("stage");
  const selected = scope.stages.find((s) => s.key === stageParam) ?? null;
  // Counted once per change and minute for everyone with the same scope (decision 030); the key
  // carries the reader's tenancy and filters.
  const minute = minuteOf(now);
  const [counts, pace, listed] = await Promise.all([
    rm.cached(keyOf("portfolioStageCounts", scope.where, minute), () => portfolioStageCounts(db, scope.where, now)),
    rm.cached(keyOf("programmePace", minute), () => programmePace(db, now), NO_STATUS),
    selected
      ? rm.cached(keyOf("stageInstitutions", scope.where, selected.key, minute), () =>
          stageInstitutions(db, scope.where, selected.key, now),
        )
      : Promise.resolve([]),
  ]);
  const countOf = new Map(counts.map((c) => [c.stageKey, c]));
  const stages = scope.stages.map((s) => {
    const c = countOf.get(s.key);
    return {
      key: s.key,
      name: s.name,
      count: c?.count ?? 0,
      awaitingSignOff: c?.awaitingSignOff ?? 0,
      slipFlagged: c?.slipFlagged ?? 0,
      overdueReporting: c?.overdueReporting ?? 0,
      href: `/portfolio${filterQuery(scope.filters, { stage: s.key })}`,
    };
  });

  // The chosen stage's institutions a page at a time (the whole stage can be thousands); only the
  // page shown gets its forecast.
  const window = pageWindow(listed.length, Number(params.get("page")) || 1, STAGE_PAGE_SIZE);
  const onPage = listed.slice(window.offset, window.offset + window.per);
  const templates = await withTemplatesOf(
    db,
    scope.templates,
    onPage.map((i) => i.templateId),
    locale,
  );
  const institutions = onPage.map((i) => {
    const def = templates.get(i.templateId)!.definition;
    const stageKeys = def.stages.map((s) => s.key);
    const forecast =
      i.status === "discontinued" ? null : forecastPathway({ stageKeys, stays: staysOfRows(i.stays), now, portfolio: pace });
    return {
      id: i.id,
      name: i.name,
      country: i.country,
      discontinued: i.status === "discontinued",
      daysInStage: Math.max(0, Math.floor((now.getTime() - new Date(i.stageEnteredAt).getTime()) / DAY_MS)),
      awaitingSignOff: i.awaitingSignOff,
      gatePending: i.state !== "current" && stageKeys.indexOf(selected!.key) < stageKeys.length - 1,
      slipFlagged: i.slipFlagged,
      overdueReporting: i.overdueReporting,
      forecast: forecast && {
        status: forecast.status,
        lastStage: forecast.lastStage,
        nextGate: forecast.nextGate,
        paceSource: forecast.pace?.source ?? null,
        daysPerStage: forecast.pace?.daysPerStage ?? null,
      },
    };
  });

  return {
    filters: scope.filters,
    options: scope.options,
    stages,
    total: counts.reduce((n, c) => n + c.count, 0),
    selected: selected && { ...selected, clearHref: `/portfolio${filterQuery(scope.filters)}` },
    institutions,
    window,
    pace,
  };
}
