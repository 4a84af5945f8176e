import { sql, type RawBuilder } from "kysely";
import type { InstitutionRole, InstitutionType } from "../schema";
import type { Db } from "./audit";

/**
 * The portfolio graph, the stage analytics and the forecasts' portfolio pace, counted by
 * PostgreSQL: each function is one statement that returns aggregated rows (per stage, per
 * country, per quarter), never one row per institution or per record. Why: decision 018.
 *
 * A stay is one uninterrupted time at a stage: every transition opens one at its `to_stage`, the
 * next transition of the same institution (by time, then id) closes it, and the last stays open
 * until `now`. Durations are counted in milliseconds (as JavaScript dates have them) and given in
 * fractional days, so the figures are those `staysFrom` (app/features/analytics/analytics.ts) gives.
 */

/** Which institutions a page counts: the actor's tenancy (`ids`, null for all) and the page's filters. */
export interface InstitutionScope {
  /** Only these institutions (an institution reporter's own); null: every institution. */
  ids: string[] | null;
  /** Only institutions of these countries (an officer's, were the policy to narrow what they see). */
  countries?: string[];
  country?: string;
  type?: string;
  role?: string;
  /** Only institutions at this stage now. */
  stage?: string;
}

/** `true`, or the scope's conditions on `institutions as i`. */
function scopeWhere(s: InstitutionScope): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (s.ids) parts.push(s.ids.length ? sql`i.id in (${sql.join(s.ids)})` : sql`false`);
  if (s.countries) parts.push(s.countries.length ? sql`i.country_code in (${sql.join(s.countries)})` : sql`false`);
  if (s.country) parts.push(sql`i.country_code = ${s.country}`);
  if (s.type) parts.push(sql`i.type = ${s.type as InstitutionType}`);
  if (s.role) parts.push(sql`i.role = ${s.role as InstitutionRole}`);
  if (s.stage) parts.push(sql`i.stage_key = ${s.stage}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** Milliseconds since the epoch of a timestamp, truncated as a JavaScript Date holds it. */
const msOf = (ts: RawBuilder<unknown>) => sql`floor(extract(epoch from ${ts}) * 1000)`;

/**
 * The stays of the institutions in scope, as a common table expression `stays` with
 * institution_id, seq (1 for its first), stage_key, entered_ms, left_ms (null while open), exit ('advance', 'slip_back'
 * or null) and days (fractional, ≥ 0; an open stay counts until `now`).
 */
function staysCte(scope: InstitutionScope, now: Date) {
  const nowMs = now.getTime();
  return sql`stays as (
    select x.institution_id, x.seq, x.to_stage as stage_key, x.entered_ms, x.left_ms,
      case when x.left_ms is null then null when x.next_kind = 'slip_back' then 'slip_back' else 'advance' end as exit,
      greatest(0, (coalesce(x.left_ms, ${nowMs}::numeric) - x.entered_ms)::float8 / 86400000) as days
    from (
      select t.institution_id, t.to_stage, ${msOf(sql`t.occurred_at`)} as entered_ms, row_number() over w as seq,
        lead(${msOf(sql`t.occurred_at`)}) over w as left_ms,
        lead(t.kind) over w as next_kind
      from stage_transitions t
      join institutions i on i.id = t.institution_id
      where ${scopeWhere(scope)}
      window w as (partition by t.institution_id order by t.occurred_at, t.id)
    ) x
  )`;
}

export interface PaceRow {
  /** Median days of a completed stay, and its 25th and 75th percentiles. */
  daysPerStage: number;
  low: number;
  high: number;
  stays: number;
}

/**
 * The portfolio's pace: the median and quartiles of every completed stay (one that ended with an
 * advance) of every institution, whoever asks. Null when no stage was ever completed.
 */
export async function portfolioPaceRow(db: Db, now: Date): Promise<PaceRow | null> {
  return (await forecastFacts(db, null, now)).pace;
}

type PaceColumns = { n: number | string; p25: number | null; p50: number | null; p75: number | null };

function paceOf(r: PaceColumns | undefined): PaceRow | null {
  const n = Number(r?.n ?? 0);
  if (!r || n === 0) return null;
  return { daysPerStage: Number(r.p50), low: Number(r.p25), high: Number(r.p75), stays: n };
}

type StayTuple = [string, number, number | null, "advance" | "slip_back" | null, number];

function stayTuples(v: unknown): StayTuple[] {
  const list = (typeof v === "string" ? JSON.parse(v) : (v ?? [])) as [
    string,
    number | string,
    number | string | null,
    StayTuple[3],
    number,
  ][];
  return list.map(([k, e, l, x, d]) => [k, Number(e), l === null ? null : Number(l), x, Number(d)]);
}

/**
 * What a forecast needs, in one statement: the stays of one institution (none when `institutionId`
 * is null) and the portfolio's pace — the median and quartiles of every completed stay (one that
 * ended with an advance) of every institution, whoever asks; null when no stage was ever completed.
 */
export async function forecastFacts(
  db: Db,
  institutionId: string | null,
  now: Date,
): Promise<{ stays: StayTuple[]; pace: PaceRow | null }> {
  const { rows } = await sql<PaceColumns & { own: unknown }>`
    with ${staysCte({ ids: null }, now)}
    select count(*) as n,
      percentile_cont(0.25) within group (order by days) as p25,
      percentile_cont(0.5) within group (order by days) as p50,
      percentile_cont(0.75) within group (order by days) as p75,
      (select json_agg(json_build_array(o.stage_key, o.entered_ms, o.left_ms, o.exit, o.days) order by o.seq)
         from stays o where o.institution_id = ${institutionId}) as own
    from stays where exit = 'advance'`.execute(db);
  return { stays: stayTuples(rows[0]?.own), pace: paceOf(rows[0]) };
}

/** One institution's stays, oldest first (as `forecastFacts` gives them), without the portfolio's pace. */
export async function institutionStays(db: Db, institutionId: string, now: Date): Promise<StayTuple[]> {
  const { rows } = await sql<{ own: unknown }>`
    with ${staysCte({ ids: [institutionId] }, now)}
    select json_agg(json_build_array(stage_key, entered_ms, left_ms, exit, days) order by seq) as own from stays`.execute(db);
  return stayTuples(rows[0]?.own);
}

/**
 * Whether the stored evaluation (`institution_status as s`) still describes institution `i`, in
 * SQL: the rule `statusOf` (db/queries/pathway-status.ts) states. 'missing', 'stale' or 'current'.
 */
export function statusStateSql(now: Date): RawBuilder<"missing" | "stale" | "current"> {
  return sql<"missing" | "stale" | "current">`case
    when s.evaluated_at is null or s.stage_key is null then 'missing'
    when s.stage_key <> i.stage_key or s.template_id <> i.template_id then 'stale'
    when s.next_expiry_on is not null and (s.next_expiry_on::timestamp at time zone 'UTC') <= ${now}
      and s.evaluated_at < (s.next_expiry_on::timestamp at time zone 'UTC') then 'stale'
    when exists (select 1 from milestone_reports r where r.institution_id = i.id and r.status = 'verified'
        and r.decided_at > s.evaluated_at)
      or exists (select 1 from readiness_assessments a where a.institution_id = i.id and a.kind = 'ilo'
        and a.created_at > s.evaluated_at)
      or exists (select 1 from import_batches b where b.status = 'done' and b.finished_at > s.evaluated_at and (
        b.id = i.import_batch_id
        or b.id in (select t.import_batch_id from trainers t where t.institution_id = i.id and t.import_batch_id is not null)
        or b.id in (select c.import_batch_id from training_cycles c where c.institution_id = i.id and c.import_batch_id is not null)))
      then 'stale'
    else 'current' end`;
}

/** Overdue on reporting: no report (or, never reported, no registration) for the template's reminder period. */
const overdueSql = (now: Date) =>
  sql<boolean>`coalesce(i.last_report_at, i.created_at) < ${now}::timestamptz - make_interval(days => tp.reminder_days)`;

/**
 * Each template's reminder period, read from its definition once (materialised: joined as a plain
 * table, the definition's JSON would be unpacked again for every institution row, 7× slower).
 */
const templatesCte = sql`tpl as materialized (
    select id, (definition -> 'timers' ->> 'reminderAfterDays')::int as reminder_days from pathway_templates
  )`;

export interface StageCountRow {
  stageKey: string;
  count: number;
  awaitingSignOff: number;
  slipFlagged: number;
  overdueReporting: number;
}

/**
 * Per stage, the institutions in scope: how many, how many await sign-off (their stored next gate
 * is met and the stored evaluation is current), how many are flagged for slipping back, how many
 * are overdue on reporting. The stored status is read, never evaluated.
 */
export async function portfolioStageCounts(db: Db, scope: InstitutionScope, now: Date): Promise<StageCountRow[]> {
  const { rows } = await sql<{ stage_key: string; n: number; awaiting: number; slip: number; overdue: number }>`
    with ${templatesCte}
    select i.stage_key, count(*) as n,
      count(*) filter (where s.awaiting_sign_off and ${statusStateSql(now)} = 'current') as awaiting,
      count(*) filter (where i.slip_flag is not null) as slip,
      count(*) filter (where ${overdueSql(now)}) as overdue
    from institutions i
    join tpl tp on tp.id = i.template_id
    left join institution_status s on s.institution_id = i.id
    where ${scopeWhere(scope)}
    group by i.stage_key`.execute(db);
  return rows.map((r) => ({
    stageKey: r.stage_key,
    count: Number(r.n),
    awaitingSignOff: Number(r.awaiting),
    slipFlagged: Number(r.slip),
    overdueReporting: Number(r.overdue),
  }));
}

export interface StageInstitutionRow {
  id: string;
  name: string;
  country: string;
  status: "active" | "discontinued";
  templateId: string;
  stageEnteredAt: string;
  state: "missing" | "stale" | "current";
  awaitingSignOff: boolean;
  slipFlagged: boolean;
  overdueReporting: boolean;
  /** Its stays, oldest first (for its forecast): [stage, entered ms, left ms | null, exit | null, days]. */
  stays: StayTuple[];
}

/** The institutions in scope at one stage, by country and name, each with its flags and its own stays. */
export async function stageInstitutions(
  db: Db,
  scope: InstitutionScope,
  stageKey: string,
  now: Date,
): Promise<StageInstitutionRow[]> {
  const staged: InstitutionScope = { ...scope, stage: stageKey };
  const { rows } = await sql<{
    id: string;
    name: string;
    country: string;
    status: "active" | "discontinued";
    template_id: string;
    stage_entered_at: Date | string;
    state: "missing" | "stale" | "current";
    awaiting: boolean;
    slip: boolean;
    overdue: boolean;
    stays: [string, number | string, number | string | null, "advance" | "slip_back" | null, number][] | string | null;
  }>`
    with ${staysCte(staged, now)}, ${templatesCte},
    own as (
      select institution_id,
        json_agg(json_build_array(stage_key, entered_ms, left_ms, exit, days) order by seq) as stays
      from stays group by institution_id
    )
    select i.id, i.name, c.name as country, i.status, i.template_id, i.stage_entered_at,
      ${statusStateSql(now)} as state,
      coalesce(s.awaiting_sign_off, false) as awaiting,
      i.slip_flag is not null as slip,
      ${overdueSql(now)} as overdue,
      own.stays
    from institutions i
    join countries c on c.code = i.country_code
    join tpl tp on tp.id = i.template_id
    left join institution_status s on s.institution_id = i.id
    left join own on own.institution_id = i.id
    where ${scopeWhere(staged)}
    order by c.name, i.name`.execute(db);
  return rows.map((r) => {
    return {
      id: r.id,
      name: r.name,
      country: r.country,
      status: r.status,
      templateId: r.template_id,
      stageEnteredAt: new Date(r.stage_entered_at).toISOString(),
      state: r.state,
      awaitingSignOff: r.state === "current" && !!r.awaiting,
      slipFlagged: !!r.slip,
      overdueReporting: !!r.overdue,
      stays: stayTuples(r.stays),
    };
  });
}

export interface TimeInStageRow {
  stageKey: string;
  /** null: every country together. */
  country: string | null;
  stays: number;
  open: number;
  median: number | null;
  p25: number | null;
  p75: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Time in each stage over the institutions in scope, for all their countries together and for each
 * country: stays counted (open ones until `now`), how many are open, and the spread of their days.
 */
export async function timeInStageRows(db: Db, scope: InstitutionScope, now: Date): Promise<TimeInStageRow[]> {
  const { rows } = await sql<{
    stage_key: string;
    country: string | null;
    by_country: number;
    n: number;
    open: number;
    p25: number;
    p50: number;
    p75: number;
    lo: number;
    hi: number;
  }>`
    with ${staysCte(scope, now)}
    select st.stage_key, c.name as country, grouping(c.name) as by_country, count(*) as n,
      count(*) filter (where st.left_ms is null) as open,
      percentile_cont(0.25) within group (order by st.days) as p25,
      percentile_cont(0.5) within group (order by st.days) as p50,
      percentile_cont(0.75) within group (order by st.days) as p75,
      min(st.days) as lo, max(st.days) as hi
    from stays st
    join institutions i on i.id = st.institution_id
    join countries c on c.code = i.country_code
    group by grouping sets ((st.stage_key), (st.stage_key, c.name))`.execute(db);
  return rows.map((r) => ({
    stageKey: r.stage_key,
    country: Number(r.by_country) === 1 ? null : r.country,
    stays: Number(r.n),
    open: Number(r.open),
    median: Number(r.p50),
    p25: Number(r.p25),
    p75: Number(r.p75),
    min: Number(r.lo),
    max: Number(r.hi),
  }));
}

export interface StuckRow {
  id: string;
  name: string;
  country: string;
  stageKey: string;
  enteredMs: number;
  days: number;
}

/** Institutions in scope whose open stay has lasted more than `thresholdDays`, not at `lastStage`. */
export async function stuckRows(
  db: Db,
  scope: InstitutionScope,
  lastStage: string | undefined,
  thresholdDays: number,
  now: Date,
): Promise<StuckRow[]> {
  const { rows } = await sql<{ id: string; name: string; country: string; stage_key: string; entered_ms: number; days: number }>`
    with ${staysCte(scope, now)}
    select i.id, i.name, c.name as country, st.stage_key, st.entered_ms, st.days
    from stays st
    join institutions i on i.id = st.institution_id
    join countries c on c.code = i.country_code
    where st.left_ms is null and st.days > ${thresholdDays} and st.stage_key is distinct from ${lastStage ?? null}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    country: r.country,
    stageKey: r.stage_key,
    enteredMs: Number(r.entered_ms),
    days: Number(r.days),
  }));
}

export interface QuarterRow {
  quarter: string;
  advances: number;
  slipsBack: number;
}

/** Advances and slips back per calendar quarter (UTC) of the institutions in scope; quarters without a move are absent. */
export async function movesPerQuarter(db: Db, scope: InstitutionScope): Promise<QuarterRow[]> {
  const { rows } = await sql<{ quarter: string; advances: number; slips: number }>`
    select to_char(t.occurred_at at time zone 'UTC', 'YYYY-"Q"Q') as quarter,
      count(*) filter (where t.kind = 'advance') as advances,
      count(*) filter (where t.kind = 'slip_back') as slips
    from stage_transitions t
    join institutions i on i.id = t.institution_id
    where ${scopeWhere(scope)} and t.kind <> 'start'
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ quarter: r.quarter, advances: Number(r.advances), slipsBack: Number(r.slips) }));
}

/** How many institutions are in scope. */
export async function countInScope(db: Db, scope: InstitutionScope): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from institutions i where ${scopeWhere(scope)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
