import { labelIn } from "~/i18n/template-labels";
import type { Kysely } from "kysely";
import { isoDate } from "~/domain/dates";
import {
  countedCell,
  INDICATORS,
  logframeCell,
  type IndicatorSettings,
  type IndicatorUnit,
  type RecordRef,
} from "~/features/indicators/indicators";
import { DEFAULT_TEMPLATE_ID } from "../../../db/reference-data";
import type { Database } from "../../../db/schema";
import { getCountry, getTemplate } from "../../../db/queries/institutions";
import {
  countIndicatorFacts,
  listPhases,
  loadCountryRecords,
  loadIndicatorSettings,
  loadManualActuals,
  loadTargets,
  logframeCountries,
  type Phase,
} from "../../../db/queries/indicators";
import type { Actor } from "~/platform/access.server";
import { allows, scopeOf } from "~/platform/policy";

/**
 * Who sees the logframe and what they may change (rows logframe_view and logframe_edit of the
 * policy, app/platform/policy.ts). ILO administrators, programme managers and
 * viewers see every country; an ILO officer the countries assigned to them; institution
 * reporters not at all (the logframe is the programme's report to donors, across institutions).
 * Administrators and managers set targets and manual actuals.
 */
export interface LogframeAccess {
  countries: "all" | string[];
  canEdit: boolean;
}

export function logframeAccess(actor: Actor): LogframeAccess {
  const scope = scopeOf(actor, "logframe_view");
  if (!scope) throw new Response("Forbidden", { status: 403 });
  return { countries: scope === "country" ? actor.countries : "all", canEdit: allows(actor, "logframe_edit") };
}

export function seesCountry(access: LogframeAccess, country: string): boolean {
  return access.countries === "all" || access.countries.includes(country);
}

/** The phase asked for, else the one running today, else the latest that has started, else the first. */
export function choosePhase(phases: Phase[], asked: string | null, today: string): Phase | null {
  if (asked) return phases.find((p) => p.key === asked) ?? null;
  return (
    phases.find((p) => p.startsOn <= today && today <= p.endsOn) ??
    [...phases].reverse().find((p) => p.startsOn <= today) ??
    phases[0] ??
    null
  );
}

export interface CellView {
  country: string;
  target: number | null;
  value: number | null;
  manual: boolean;
  /** Manual only: whether an actual has been entered. */
  entered: boolean;
  women: { count: number; percent: number | null } | null;
  perCurrency: { currency: string; percent: number }[] | null;
  achieved: number | null;
  recordCount: number;
}

export interface RowView {
  key: string;
  source: "computed" | "manual";
  unit: IndicatorUnit;
  cells: CellView[];
}

export interface LogframeData {
  phases: Phase[];
  phase: Phase;
  countries: { code: string; name: string }[];
  settings: IndicatorSettings;
  stages: { key: string; name: string }[];
  rows: RowView[];
  canEdit: boolean;
}

/** The whole logframe of a phase for this actor: 404 for an unknown phase, null when no phase exists. */
export async function loadLogframe(
  db: Kysely<Database>,
  actor: Actor,
  askedPhase: string | null,
  now: Date,
  /** The reader's language, for stage names (decision 026); CSV keeps the default language's. */
  locale?: string,
): Promise<LogframeData | null> {
  const access = logframeAccess(actor);
  const phases = await listPhases(db);
  if (phases.length === 0) return null;
  const phase = choosePhase(phases, askedPhase, isoDate(now));
  if (!phase) throw new Response("No such programme phase", { status: 404 });
  const countries = (await logframeCountries(db, phase.key)).filter((c) => seesCountry(access, c.code));
  const [targets, manual, settings, template] = await Promise.all([
    loadTargets(db, phase.key),
    loadManualActuals(db, phase.key),
    loadIndicatorSettings(db),
    getTemplate(db, DEFAULT_TEMPLATE_ID),
  ]);
  // The database counts what each computed indicator rests on, per country: one grouped query.
  const counts = await countIndicatorFacts(
    db,
    countries.map((c) => c.code),
    phase,
    settings,
  );
  const rows = INDICATORS.map((def) => ({
    key: def.key,
    source: def.source,
    unit: def.unit,
    cells: countries.map((c): CellView => {
      const k = `${def.key}|${c.code}`;
      const cell = countedCell(def, c.code, counts.get(c.code)!, targets.get(k) ?? null, manual.get(k) ?? null);
      const a = cell.actual;
      return {
        country: c.code,
        target: cell.target,
        value: a.value,
        manual: a.kind === "manual",
        entered: a.kind === "manual" ? a.entry !== null : true,
        women: a.kind === "computed" ? (a.women ?? null) : null,
        perCurrency:
          a.kind === "computed" && a.perCurrency && a.perCurrency.length > 1
            ? a.perCurrency.map((p) => ({ currency: p.currency, percent: p.percent }))
            : null,
        achieved: cell.achieved,
        recordCount: a.kind === "computed" ? a.recordCount : 0,
      };
    }),
  }));
  return {
    phases,
    phase,
    countries,
    settings,
    stages: template.definition.stages.map((s) => ({ key: s.key, name: locale ? labelIn(s, "name", locale) : s.name })),
    rows,
    canEdit: access.canEdit,
  };
}

/** The records behind one actual (computed), or the manual entry: for the drill-down page. */
export async function loadActualRecords(
  db: Kysely<Database>,
  actor: Actor,
  q: { phase: string | null; country: string | null; indicator: string | null },
): Promise<{
  phase: Phase;
  country: { code: string; name: string };
  indicatorKey: string;
  refs: RecordRef[];
  cell: ReturnType<typeof logframeCell>;
}> {
  const access = logframeAccess(actor);
  const def = INDICATORS.find((d) => d.key === q.indicator);
  const phase = (await listPhases(db)).find((p) => p.key === q.phase);
  const country = q.country ? await getCountry(db, q.country) : undefined;
  if (!def || !phase || !country || !seesCountry(access, country.code)) throw new Response("Not found", { status: 404 });
  const [records, targets, manual, settings] = await Promise.all([
    loadCountryRecords(db, [country.code]),
    loadTargets(db, phase.key),
    loadManualActuals(db, phase.key),
    loadIndicatorSettings(db),
  ]);
  const k = `${def.key}|${country.code}`;
  const cell = logframeCell(
    def,
    country.code,
    records.get(country.code)!,
    phase,
    settings,
    targets.get(k) ?? null,
    manual.get(k) ?? null,
  );
  return { phase, country, indicatorKey: def.key, refs: cell.actual.kind === "computed" ? cell.actual.records : [], cell };
}
