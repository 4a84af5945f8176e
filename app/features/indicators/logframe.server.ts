import { keyOf, readModel, NO_STATUS } from "../../../db/queries/read-model";
import { labelIn } from "~/i18n/template-labels";
import type { Kysely } from "kysely";
import { isoDate } from "~/domain/dates";
import {
  countedCell,
  exceededZero,
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
  loadTargetDetails,
  wholeTargetsOf,
  loadTargets,
  logframeCountries,
  type Phase,
} from "../../../db/queries/indicators";
import type { Actor } from "~/platform/access.server";
import { allows, scopeOf } from "~/platform/policy";
import { achievedPercent, type CountryCounts, type IndicatorDefinition } from "~/features/indicators/indicators";
import { bySex, countedPart, dimensionUnit, modulesOf, SEX_DIMENSIONS } from "~/features/indicators/dimensions";

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

/**
 * The day the logframe's actuals are counted up to: asked for (`?asAt=YYYY-MM-DD`, any day of the
 * phase), else today when it falls in the phase, else the phase's last day (a past phase, or one
 * to come, which then shows what is already dated inside it). A day outside the phase, or not a day, is refused with a message key and the
 * default day is used instead.
 */
export function chooseAsAt(phase: Phase, asked: string | null, today: string): { asAt: string; error: string | null } {
  const fallback = today >= phase.startsOn && today <= phase.endsOn ? today : phase.endsOn;
  if (asked === null || asked.trim() === "") return { asAt: fallback, error: null };
  const day = asked.trim();
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(day) &&
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    isoDate(new Date(`${day}T00:00:00Z`)) === day;
  if (!valid) return { asAt: fallback, error: "indicators.asAt.invalid" };
  if (day < phase.startsOn || day > phase.endsOn) return { asAt: fallback, error: "indicators.asAt.outside" };
  return { asAt: day, error: null };
}

export interface CellView {
  country: string;
  target: number | null;
  /** A qualitative target (text, no figure). */
  targetText: string | null;
  /** The note written with the target ("" without one). */
  targetNote: string;
  /** Manual only: a qualitative actual (text, no figure). */
  valueText: string | null;
  value: number | null;
  manual: boolean;
  /** Manual only: whether an actual has been entered. */
  entered: boolean;
  /** Manual only: entered as "unknown" (shown as such, never as 0). */
  unknown: boolean;
  /** Manual only: the evidence and note entered with the actual. */
  evidence: string | null;
  actualNote: string | null;
  /** A target of 0 with an actual above it. */
  exceeded: boolean;
  women: { count: number; percent: number | null } | null;
  perCurrency: { currency: string; percent: number }[] | null;
  achieved: number | null;
  recordCount: number;
}

export interface RowView {
  key: string;
  /** '' for the indicator as a whole; else the part this row shows (women, men, women_share, module:M1+M2). */
  dimension: string;
  source: "computed" | "manual";
  unit: IndicatorUnit;
  cells: CellView[];
}

export interface LogframeData {
  phases: Phase[];
  phase: Phase;
  /** The day actuals are counted up to (inside the phase). */
  asAt: string;
  /** The message key when the asked day was refused (the default day is shown instead). */
  asAtError: string | null;
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
  askedAsAt: string | null = null,
  /** The reader's language, for stage names (decision 026); CSV keeps the default language's. */
  locale?: string,
): Promise<LogframeData | null> {
  const access = logframeAccess(actor);
  const rm = await readModel(db);
  // The phases and what the logframe of a phase is drawn from change only when someone edits them
  // (or adds an institution in a new country): kept until then, like the counts (decision 052).
  const phases = await rm.cached(keyOf("listPhases"), () => listPhases(db), NO_STATUS);
  if (phases.length === 0) return null;
  const phase = choosePhase(phases, askedPhase, isoDate(now));
  if (!phase) throw new Response("No such programme phase", { status: 404 });
  const { asAt, error: asAtError } = chooseAsAt(phase, askedAsAt, isoDate(now));
  const [inputs, template] = await Promise.all([
    rm.cached(keyOf("logframeInputs", phase.key), () => logframeInputs(db, phase.key), NO_STATUS),
    getTemplate(db, DEFAULT_TEMPLATE_ID),
  ]);
  const { details, manual, settings } = inputs;
  const countries = inputs.countries.filter((c) => seesCountry(access, c.code));
  const targets = wholeTargetsOf(details);
  // The database counts what each computed indicator rests on, per country, from the phase's first day to the day asked.
  // Kept per change for every reader of the same countries, period and definition (decision 030).
  const codes = countries.map((c) => c.code);
  const period = { startsOn: phase.startsOn, endsOn: asAt };
  const counts = await rm.cached(
    keyOf("countIndicatorFacts", codes, period, settings),
    () => countIndicatorFacts(db, codes, period, settings),
    NO_STATUS,
  );
  const rows: RowView[] = [];
  for (const def of INDICATORS) {
    rows.push({
      key: def.key,
      dimension: "",
      source: def.source,
      unit: def.unit,
      cells: countries.map((c): CellView => {
        const k = `${def.key}|${c.code}`;
        const cell = countedCell(def, c.code, counts.get(c.code)!, targets.get(k) ?? null, manual.get(k) ?? null);
        const a = cell.actual;
        const entry = a.kind === "manual" ? a.entry : null;
        const detail = details.get(`${k}|`);
        const valueText = entry?.value === null ? (entry.text ?? null) : null;
        return {
          country: c.code,
          target: cell.target,
          targetText: detail?.text ?? null,
          targetNote: detail?.note ?? "",
          value: a.value,
          valueText,
          manual: a.kind === "manual",
          entered: a.kind === "manual" ? a.entry !== null : true,
          unknown: entry !== null && entry.value === null && valueText === null,
          evidence: entry?.evidence ?? null,
          actualNote: entry?.note ?? null,
          exceeded: exceededZero(a.value, cell.target),
          women: a.kind === "computed" ? (a.women ?? null) : null,
          perCurrency:
            a.kind === "computed" && a.perCurrency && a.perCurrency.length > 1
              ? a.perCurrency.map((p) => ({ currency: p.currency, percent: p.percent }))
              : null,
          achieved: cell.achieved,
          recordCount: a.kind === "computed" ? a.recordCount : 0,
        };
      }),
    });
    for (const dimension of partsOf(def, details))
      rows.push(partRow(def, dimension, countries, counts, (code) => details.get(`${def.key}|${code}|${dimension}`)));
  }
  return {
    phases,
    phase,
    asAt,
    asAtError,
    countries,
    settings,
    stages: template.definition.stages.map((s) => ({ key: s.key, name: locale ? labelIn(s, "name", locale) : s.name })),
    rows,
    canEdit: access.canEdit,
  };
}

/**
 * What a phase's logframe is drawn from besides the counts: its columns, its targets (one read: the
 * numeric whole-indicator ones are among the details), its manual actuals and its definitions.
 * Kept for every reader (each reader's countries are picked from the columns afterwards). The name
 * of whoever entered a manual actual is left out: `users` notes no change in the read model, so a
 * renamed user would keep the old name here, and the logframe shows no name (its records page does,
 * read afresh).
 */
export async function logframeInputs(db: Kysely<Database>, phaseKey: string) {
  const [countries, details, manual, settings] = await Promise.all([
    logframeCountries(db, phaseKey),
    loadTargetDetails(db, phaseKey),
    loadManualActuals(db, phaseKey),
    loadIndicatorSettings(db, phaseKey),
  ]);
  const unnamed = new Map([...manual].map(([key, entry]) => [key, { ...entry, enteredBy: "" }]));
  return { countries, details, manual: unnamed, settings };
}

/**
 * The parts an indicator shows under it: women, men and the share of women for the indicators
 * that count people (always: donors read them), and each module or group of modules some country
 * has a target for.
 */
function partsOf(def: IndicatorDefinition, details: Map<string, { target: number | null }>): string[] {
  const parts: string[] = bySex(def) ? [...SEX_DIMENSIONS] : [];
  const modules = new Set<string>();
  for (const key of details.keys()) {
    const [indicator, , dimension] = key.split("|");
    if (indicator === def.key && modulesOf(dimension ?? "")) modules.add(dimension);
  }
  return [...parts, ...[...modules].sort()];
}

function partRow(
  def: IndicatorDefinition,
  dimension: string,
  countries: { code: string }[],
  counts: Map<string, CountryCounts>,
  detailOf: (country: string) => { target: number | null; text: string | null; note: string } | undefined,
): RowView {
  const unit = dimensionUnit(def, dimension);
  return {
    key: def.key,
    dimension,
    source: def.source,
    unit,
    cells: countries.map((c): CellView => {
      const a = countedPart(def, dimension, counts.get(c.code)!);
      const detail = detailOf(c.code);
      const target = detail?.target ?? null;
      const value = a?.value ?? null;
      return {
        country: c.code,
        target,
        targetText: detail?.text ?? null,
        targetNote: detail?.note ?? "",
        value,
        valueText: null,
        manual: false,
        entered: true,
        unknown: false,
        evidence: null,
        actualNote: null,
        exceeded: exceededZero(value, target),
        women: null,
        perCurrency:
          a?.perCurrency && a.perCurrency.length > 1
            ? a.perCurrency.map((p) => ({ currency: p.currency, percent: p.percent }))
            : null,
        achieved: achievedPercent(value, target),
        recordCount: a?.recordCount ?? 0,
      };
    }),
  };
}

/** The records behind one actual (computed), or the manual entry: for the drill-down page. */
export async function loadActualRecords(
  db: Kysely<Database>,
  actor: Actor,
  q: { phase: string | null; country: string | null; indicator: string | null; asAt?: string | null },
  now: Date = new Date(),
): Promise<{
  phase: Phase;
  asAt: string;
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
  const { asAt, error } = chooseAsAt(phase, q.asAt ?? null, isoDate(now));
  if (error) throw new Response("The day must be inside the programme phase (YYYY-MM-DD)", { status: 400 });
  const [records, targets, manual, settings] = await Promise.all([
    loadCountryRecords(db, [country.code]),
    loadTargets(db, phase.key),
    loadManualActuals(db, phase.key),
    loadIndicatorSettings(db, phase.key),
  ]);
  const k = `${def.key}|${country.code}`;
  const cell = logframeCell(
    def,
    country.code,
    records.get(country.code)!,
    { startsOn: phase.startsOn, endsOn: asAt },
    settings,
    targets.get(k) ?? null,
    manual.get(k) ?? null,
  );
  return { phase, asAt, country, indicatorKey: def.key, refs: cell.actual.kind === "computed" ? cell.actual.records : [], cell };
}
