import type { Kysely } from "kysely";
import { DEFAULT_STUCK_AFTER_DAYS, quarterSeries, type StuckInstitution } from "~/features/analytics/analytics";
import { isoDate } from "~/domain/dates";
import { csvText } from "~/platform/spreadsheet";
import { pageWindow } from "~/platform/list-query";
import type { Actor } from "~/platform/access.server";
import {
  countInScope,
  movesPerQuarter,
  stuckRows,
  timeInStageRows,
  type StuckRow,
  type TimeInStageRow,
} from "../../../db/queries/aggregates";
import { keyOf, minuteOf, readModel, NO_STATUS } from "../../../db/queries/read-model";
import type { Database } from "../../../db/schema";
import { loadScope } from "../portfolio/scope.server";

/**
 * The stage analytics page and its CSV files: time in stage per stage and country, stuck
 * institutions and moves per quarter, over the institutions the actor may see and the filters chose.
 * PostgreSQL counts them (db/queries/aggregates.ts: window functions over the stage transitions,
 * percentiles per stage and country); this module puts the rows in the page's order.
 */

export const ANALYTICS_TABLES = ["time-in-stage", "stuck", "quarters"] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/** `stuck` in the URL: whole days, 1 to 3650; anything else means the default. */
export function stuckThreshold(params: URLSearchParams): number {
  const n = Number(params.get("stuck"));
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? n : DEFAULT_STUCK_AFTER_DAYS;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Each stage in order: every country together first (even with no stay), then each country with stays, by name. */
function orderTimeRows(rows: TimeInStageRow[], stageKeys: string[]): TimeInStageRow[] {
  return stageKeys.flatMap((stageKey) => {
    const here = rows.filter((r) => r.stageKey === stageKey);
    const all = here.find((r) => r.country === null) ?? {
      stageKey,
      country: null,
      stays: 0,
      open: 0,
      median: null,
      p25: null,
      p75: null,
      min: null,
      max: null,
    };
    const countries = here.filter((r) => r.country !== null).sort((a, b) => byCodeUnits(a.country!, b.country!));
    return [all, ...countries];
  });
}

/** Stuck institutions as the page lists them: longest first, then by name. */
function sortStuck(stuck: StuckRow[]): StuckInstitution[] {
  return stuck
    .map((s) => ({
      id: s.id,
      name: s.name,
      country: s.country,
      stageKey: s.stageKey,
      since: isoDate(s.enteredMs),
      days: Math.floor(s.days),
    }))
    .sort((a, b) => b.days - a.days || a.name.localeCompare(b.name));
}

/**
 * The analytics for a reader. `stuckPage`: only that page of the stuck list is named and returned
 * (the page shows 50 of thousands, decision 035); without it, all of them (the CSV file).
 */
export async function loadAnalytics(
  db: Kysely<Database>,
  actor: Actor,
  params: URLSearchParams,
  now: Date,
  locale?: string,
  stuckPage?: { page: number; per: number },
) {
  const [scope, rm] = await Promise.all([loadScope(db, actor, params, locale), readModel(db)]);
  const stageName = new Map(scope.stages.map((s) => [s.key, s.name]));
  const stageKeys = scope.stages.map((s) => s.key);
  const threshold = stuckThreshold(params);
  // Counted once per change (and minute, for the ones that count until now) for everyone with the
  // same scope (decision 030); the keys carry the reader's tenancy and filters.
  const where = scope.where;
  const minute = minuteOf(now);
  const [institutions, time, stuck, quarters] = await Promise.all([
    rm.cached(keyOf("countInScope", where), () => countInScope(db, where), NO_STATUS),
    rm.cached(keyOf("timeInStageRows", where, minute), () => timeInStageRows(db, where, now), NO_STATUS),
    // Kept in the page's order, so a request only slices and names them.
    rm.cached(
      keyOf("stuckList", where, stageKeys.at(-1), threshold, minute),
      async () => sortStuck(await stuckRows(db, where, stageKeys.at(-1), threshold, now)),
      NO_STATUS,
    ),
    rm.cached(keyOf("movesPerQuarter", where), () => movesPerQuarter(db, where), NO_STATUS),
  ]);
  const timeRows = orderTimeRows(time, stageKeys).map((r) => ({
    stageKey: r.stageKey,
    stage: stageName.get(r.stageKey) ?? r.stageKey,
    country: r.country,
    stays: r.stays,
    open: r.open,
    median: r.median === null ? null : round1(r.median),
    p25: r.p25 === null ? null : round1(r.p25),
    p75: r.p75 === null ? null : round1(r.p75),
    min: r.min === null ? null : round1(r.min),
    max: r.max === null ? null : round1(r.max),
  }));
  const stuckWindow = pageWindow(stuck.length, stuckPage?.page ?? 1, stuckPage?.per ?? Math.max(1, stuck.length));
  return {
    filters: scope.filters,
    options: scope.options,
    institutions,
    threshold,
    timeInStage: timeRows,
    stuck: stuck
      .slice(stuckWindow.offset, stuckWindow.offset + stuckWindow.per)
      .map((s) => ({ ...s, stage: stageName.get(s.stageKey) ?? s.stageKey })),
    stuckWindow,
    quarters: quarterSeries(quarters, now),
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
