import type { Kysely } from "kysely";
import { DAY_MS } from "~/domain/dates";
import { forecastPathway } from "~/features/pathway/forecast";
import type { Actor } from "~/platform/access.server";
import { currentStatuses } from "../../../db/queries/pathway-status";
import type { Database } from "../../../db/schema";
import { filterQuery, loadScope, type VisibleInstitution } from "./scope.server";

/**
 * The portfolio graph: per stage, how many institutions sit there, how many await sign-off (their
 * next gate is met, as its pathway last evaluated and stored it; an evaluation that is missing or
 * out of date counts as not awaiting until the pathway has evaluated again), how many are flagged for slipping
 * back and how many are overdue on reporting; and, for a chosen stage, its institutions with their
 * time in stage and forecast.
 */

/** Overdue on reporting: no report (or, never reported, no registration) for the template's reminder period. */
function overdueOnReporting(i: VisibleInstitution, reminderAfterDays: number, now: Date): boolean {
  const last = new Date(i.last_report_at ?? i.created_at).getTime();
  return now.getTime() - last > reminderAfterDays * DAY_MS;
}

export async function loadPortfolioGraph(db: Kysely<Database>, actor: Actor, params: URLSearchParams, now: Date) {
  const scope = await loadScope(db, actor, params, now);
  const { inScope, templates } = scope;
  const statuses = await currentStatuses(
    db,
    inScope.map((i) => i.id),
    now,
  );
  const historyById = new Map(scope.histories.map((h) => [h.id, h]));

  const facts = inScope.map((i) => {
    const def = templates.get(i.template_id)!.definition;
    const status = statuses.get(i.id);
    const forecast =
      i.status === "discontinued"
        ? null
        : forecastPathway({
            stageKeys: def.stages.map((s) => s.key),
            stays: historyById.get(i.id)?.stays ?? [],
            now,
            portfolio: scope.pace,
          });
    return {
      institution: i,
      awaitingSignOff: !!status?.awaitingSignOff,
      gatePending:
        !!status && status.state !== "current" && def.stages.findIndex((s) => s.key === i.stage_key) < def.stages.length - 1,
      slipFlagged: !!i.slip_flag,
      overdueReporting: overdueOnReporting(i, def.timers.reminderAfterDays, now),
      daysInStage: Math.max(0, Math.floor((now.getTime() - new Date(i.stage_entered_at).getTime()) / DAY_MS)),
      forecast,
    };
  });

  const stageParam = params.get("stage");
  const selected = scope.stages.find((s) => s.key === stageParam) ?? null;
  const stages = scope.stages.map((s) => {
    const here = facts.filter((f) => f.institution.stage_key === s.key);
    return {
      key: s.key,
      name: s.name,
      count: here.length,
      awaitingSignOff: here.filter((f) => f.awaitingSignOff).length,
      slipFlagged: here.filter((f) => f.slipFlagged).length,
      overdueReporting: here.filter((f) => f.overdueReporting).length,
      href: `/portfolio${filterQuery(scope.filters, { stage: s.key })}`,
    };
  });

  const institutions = selected
    ? facts
        .filter((f) => f.institution.stage_key === selected.key)
        .map((f) => ({
          id: f.institution.id,
          name: f.institution.name,
          country: f.institution.country_name,
          discontinued: f.institution.status === "discontinued",
          daysInStage: f.daysInStage,
          awaitingSignOff: f.awaitingSignOff,
          gatePending: f.gatePending,
          slipFlagged: f.slipFlagged,
          overdueReporting: f.overdueReporting,
          forecast: f.forecast && {
            status: f.forecast.status,
            lastStage: f.forecast.lastStage,
            nextGate: f.forecast.nextGate,
            paceSource: f.forecast.pace?.source ?? null,
            daysPerStage: f.forecast.pace?.daysPerStage ?? null,
          },
        }))
    : [];

  return {
    filters: scope.filters,
    options: scope.options,
    stages,
    total: inScope.length,
    selected: selected && { ...selected, clearHref: `/portfolio${filterQuery(scope.filters)}` },
    institutions,
    pace: scope.pace,
  };
}
