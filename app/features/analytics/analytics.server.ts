import type { Kysely } from "kysely";
import { DEFAULT_STUCK_AFTER_DAYS, stuckInstitutions, timeInStage, transitionsPerQuarter } from "~/features/analytics/analytics";
import { csvText } from "~/platform/spreadsheet";
import type { Actor } from "~/platform/access.server";
import type { Database } from "../../../db/schema";
import { loadScope } from "../portfolio/scope.server";

/**
 * The stage analytics page and its CSV files: time in stage per stage and country, stuck
 * institutions and moves per quarter, over the institutions the actor may see and the filters chose.
 */

export const ANALYTICS_TABLES = ["time-in-stage", "stuck", "quarters"] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/** `stuck` in the URL: whole days, 1 to 3650; anything else means the default. */
export function stuckThreshold(params: URLSearchParams): number {
  const n = Number(params.get("stuck"));
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? n : DEFAULT_STUCK_AFTER_DAYS;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function loadAnalytics(db: Kysely<Database>, actor: Actor, params: URLSearchParams, now: Date) {
  const scope = await loadScope(db, actor, params, now);
  const stageName = new Map(scope.stages.map((s) => [s.key, s.name]));
  const stageKeys = scope.stages.map((s) => s.key);
  const threshold = stuckThreshold(params);
  const timeRows = timeInStage(scope.histories, stageKeys).map((r) => ({
    stageKey: r.stageKey,
    stage: stageName.get(r.stageKey) ?? r.stageKey,
    country: r.country,
    stays: r.stays,
    open: r.open,
    median: r.spread && round1(r.spread.median),
    p25: r.spread && round1(r.spread.p25),
    p75: r.spread && round1(r.spread.p75),
    min: r.spread && round1(r.spread.min),
    max: r.spread && round1(r.spread.max),
  }));
  return {
    filters: scope.filters,
    options: scope.options,
    institutions: scope.inScope.length,
    threshold,
    timeInStage: timeRows,
    stuck: stuckInstitutions(scope.histories, stageKeys, threshold).map((s) => ({
      ...s,
      stage: stageName.get(s.stageKey) ?? s.stageKey,
    })),
    quarters: transitionsPerQuarter(scope.transitions, now),
  };
}

export type AnalyticsData = Awaited<ReturnType<typeof loadAnalytics>>;

function csv(header: string[], rows: (string | number | null)[][]): string {
  return csvText([header, ...rows]);
}

/** One of the page's tables as CSV, the same rows the page shows. */
export function analyticsCsv(data: AnalyticsData, table: AnalyticsTable): string {
  switch (table) {
    case "time-in-stage":
      return csv(
        ["stage", "country", "stays", "still_there", "median_days", "p25_days", "p75_days", "min_days", "max_days"],
        data.timeInStage.map((r) => [
          r.stage,
          r.country ?? "All countries",
          r.stays,
          r.open,
          r.median,
          r.p25,
          r.p75,
          r.min,
          r.max,
        ]),
      );
    case "stuck":
      return csv(
        ["institution", "country", "stage", "since", "days_in_stage"],
        data.stuck.map((s) => [s.name, s.country, s.stage, s.since, s.days]),
      );
    case "quarters":
      return csv(
        ["quarter", "advances", "slips_back"],
        data.quarters.map((q) => [q.quarter, q.advances, q.slipsBack]),
      );
  }
}
