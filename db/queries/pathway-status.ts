import { sql } from "kysely";
import type { FloorFailure, GateResult } from "../../app/domain/gate";
import type { InstitutionFilter } from "./institutions";
import type { InstitutionType } from "../schema";
import type { Db } from "./audit";
import { containsPattern } from "./list";

/**
 * Pages read each institution's pathway status from the read model (`institution_status`), as
 * the pathway workflow's evaluation activity last stored it; they never evaluate gates
 * themselves. Each row carries what is needed to tell whether that stored verdict still
 * describes the institution (`statusOf`).
 */

export type StatusState = "current" | "missing" | "stale";

/** What `statusOf` looks at: the institution as it is, and the stored evaluation (null columns when none). */
export interface StatusFacts {
  stage_key: string;
  template_id: string;
  status_stage_key: string | null;
  status_template_id: string | null;
  evaluated_at: Date | string | null;
  next_expiry_on: string | null;
  /** The latest change to the records the gate reads that triggers an evaluation (null when none is known). */
  records_changed_at: Date | string | null;
}

const time = (d: Date | string) => new Date(d).getTime();

/**
 * Whether the stored evaluation can be shown as the institution's status:
 * - missing: never evaluated (a new institution, or a pathway from before the read model);
 * - stale: evaluated at another stage or on another template (version) than the institution is
 *   at now, or before its records last changed (a verified report, an import, an ILO
 *   assessment), or before a certification it counted expired (the workflow evaluates again
 *   on that day);
 * - current otherwise.
 * Each stale case is one the workflow evaluates again on its own, so "being re-evaluated" is true.
 */
export function statusOf(row: StatusFacts, now: Date = new Date()): StatusState {
  if (row.evaluated_at == null || row.status_stage_key == null) return "missing";
  if (row.status_stage_key !== row.stage_key || row.status_template_id !== row.template_id) return "stale";
  const evaluatedAt = time(row.evaluated_at);
  if (row.records_changed_at != null && time(row.records_changed_at) > evaluatedAt) return "stale";
  if (row.next_expiry_on != null) {
    const expiry = time(`${row.next_expiry_on}T00:00:00Z`);
    if (expiry <= now.getTime() && evaluatedAt < expiry) return "stale";
  }
  return "current";
}

/**
 * The latest time a gate-relevant record of institution `i` changed in a way that makes its
 * pathway evaluate again: a report verified, an import that wrote its row, trainers or cycles,
 * an ILO readiness assessment. PostgreSQL's `greatest` skips nulls.
 */
const recordsChangedAt = sql<Date | null>`greatest(
  (select max(r.decided_at) from milestone_reports r where r.institution_id = i.id and r.status = 'verified'),
  (select max(b.finished_at) from import_batches b where b.status = 'done' and (
     b.id = i.import_batch_id
     or b.id in (select t.import_batch_id from trainers t where t.institution_id = i.id and t.import_batch_id is not null)
     or b.id in (select c.import_batch_id from training_cycles c where c.institution_id = i.id and c.import_batch_id is not null))),
  (select max(a.created_at) from readiness_assessments a where a.institution_id = i.id and a.kind = 'ilo')
)`;

function baseQuery(db: Db) {
  return db
    .selectFrom("institutions as i")
    .innerJoin("countries as c", "c.code", "i.country_code")
    .leftJoin("institution_status as s", "s.institution_id", "i.id")
    .selectAll("i")
    .select([
      "c.name as country_name",
      "s.stage_key as status_stage_key",
      "s.template_id as status_template_id",
      "s.next_stage_key",
      "s.next_gate",
      "s.criteria_met",
      "s.criteria_total",
      "s.progress",
      "s.awaiting_sign_off",
      "s.failing_floors",
      "s.next_expiry_on",
      "s.evaluated_at",
      recordsChangedAt.as("records_changed_at"),
    ]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

/** The stored evaluation of one institution, with whether it still holds. */
export interface StoredStatus {
  state: StatusState;
  /** The stored next gate (null when missing, or at the last stage). Shown only when `state` is current. */
  nextGate: GateResult | null;
  criteriaMet: number;
  criteriaTotal: number;
  progress: number;
  /** The stored gate is met: awaiting sign-off. Only meaningful when `state` is current. */
  awaitingSignOff: boolean;
  failingFloors: FloorFailure[];
  evaluatedAt: string | null;
}

function parseJson<T>(v: unknown, fallback: T): T {
  if (v == null) return fallback;
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

function toStored(r: RawRow, now: Date): StoredStatus {
  const state = statusOf(r as unknown as StatusFacts, now);
  return {
    state,
    nextGate: state === "missing" ? null : parseJson<GateResult | null>(r.next_gate, null),
    criteriaMet: r.criteria_met ?? 0,
    criteriaTotal: r.criteria_total ?? 0,
    progress: r.progress ?? 0,
    awaitingSignOff: state === "current" && !!r.awaiting_sign_off,
    failingFloors: parseJson<FloorFailure[]>(r.failing_floors, []),
    evaluatedAt: r.evaluated_at ? new Date(r.evaluated_at).toISOString() : null,
  };
}

function institutionOf(r: RawRow) {
  const {
    status_stage_key: _a,
    status_template_id: _b,
    next_stage_key: _c,
    next_gate: _d,
    criteria_met: _e,
    criteria_total: _f,
    progress: _g,
    awaiting_sign_off: _h,
    failing_floors: _i,
    next_expiry_on: _j,
    evaluated_at: _k,
    records_changed_at: _l,
    ...institution
  } = r;
  return institution;
}

export type InstitutionWithStatus = ReturnType<typeof institutionOf> & { pathwayStatus: StoredStatus };

/** Institutions (as `listInstitutions` lists them, same order and filters) each with its stored pathway status. */
export async function listInstitutionsWithStatus(
  db: Db,
  f: InstitutionFilter = {},
  now = new Date(),
): Promise<InstitutionWithStatus[]> {
  let q = baseQuery(db).orderBy("c.name").orderBy("i.name");
  if (f.country) q = q.where("i.country_code", "=", f.country);
  if (f.type) q = q.where("i.type", "=", f.type as InstitutionType);
  if (f.stage) q = q.where("i.stage_key", "=", f.stage);
  const rows = await q.execute();
  return rows.map((r) => ({ ...institutionOf(r), pathwayStatus: toStored(r, now) }));
}

/** One institution with its stored pathway status, or undefined when it does not exist. */
export async function getInstitutionWithStatus(db: Db, id: string, now = new Date()): Promise<InstitutionWithStatus | undefined> {
  const r = await baseQuery(db).where("i.id", "=", id).executeTakeFirst();
  return r && { ...institutionOf(r), pathwayStatus: toStored(r, now) };
}

/** The stored pathway status of each given institution, keyed by id (every id present). */
export async function currentStatuses(db: Db, institutionIds: string[], now = new Date()): Promise<Map<string, StoredStatus>> {
  const out = new Map<string, StoredStatus>();
  if (institutionIds.length === 0) return out;
  const rows = await baseQuery(db)
    .where("i.id", "in", [...new Set(institutionIds)])
    .execute();
  for (const r of rows) out.set(r.id, toStored(r, now));
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* The institutions list, one page at a time: filters, search, sort and paging all in SQL.     */
/* ------------------------------------------------------------------------------------------ */

export const INSTITUTION_SORTS = ["name", "country", "stage", "time"] as const;
export type InstitutionSort = (typeof INSTITUTION_SORTS)[number];
export const INSTITUTION_FLAGS = ["awaiting", "slipping", "overdue", "discontinued"] as const;
export type InstitutionFlag = (typeof INSTITUTION_FLAGS)[number];

/** Which institutions an actor's list may ever contain, decided by the access policy (null: all). */
export interface InstitutionListScope {
  institutionIds: string[] | null;
  countries: string[] | null;
}

export interface InstitutionListFilter {
  scope: InstitutionListScope;
  country?: string;
  type?: string;
  stage?: string;
  flag?: InstitutionFlag;
  /** Search text: a part of the institution's or its country's name, any case. */
  q?: string;
}

export interface InstitutionPageQuery extends InstitutionListFilter {
  sort: InstitutionSort;
  dir: "asc" | "desc";
  /** Stage keys in pathway order, for sorting by stage. */
  stageOrder: string[];
  limit: number;
  offset: number;
}

/** The stored evaluation still holds (the SQL form of `statusOf(...) === "current"`). */
function storedIsCurrent(now: Date) {
  return sql<boolean>`(s.evaluated_at is not null
    and s.stage_key = i.stage_key and s.template_id = i.template_id
    and coalesce(${recordsChangedAt} <= s.evaluated_at, true)
    and not (s.next_expiry_on is not null
      and (s.next_expiry_on::timestamp at time zone 'UTC') <= ${now}
      and s.evaluated_at < (s.next_expiry_on::timestamp at time zone 'UTC')))`;
}

function flagCondition(flag: InstitutionFlag, now: Date) {
  switch (flag) {
    case "awaiting":
      return sql<boolean>`(s.awaiting_sign_off and ${storedIsCurrent(now)})`;
    case "slipping":
      return sql<boolean>`(i.slip_flag is not null and i.slip_flag <> 'null'::jsonb)`;
    case "discontinued":
      return sql<boolean>`i.status = 'discontinued'`;
    case "overdue":
      return sql<boolean>`(i.status = 'active' and s.reminder_after_days is not null
        and coalesce(i.last_report_at, i.created_at) < ${now}::timestamptz - make_interval(days => s.reminder_after_days))`;
  }
}

/** Institutions narrowed by scope and filters (all but `stage` when `withStage` is false). */
function filteredInstitutions(db: Db, f: InstitutionListFilter, now: Date, withStage: boolean) {
  let q = db
    .selectFrom("institutions as i")
    .innerJoin("countries as c", "c.code", "i.country_code")
    .leftJoin("institution_status as s", "s.institution_id", "i.id");
  if (f.scope.institutionIds) {
    const ids = f.scope.institutionIds;
    q = ids.length ? q.where("i.id", "in", ids) : q.where(sql<boolean>`false`);
  }
  if (f.scope.countries) {
    const cs = f.scope.countries;
    q = cs.length ? q.where("i.country_code", "in", cs) : q.where(sql<boolean>`false`);
  }
  if (f.country) q = q.where("i.country_code", "=", f.country);
  if (f.type) q = q.where("i.type", "=", f.type as InstitutionType);
  if (withStage && f.stage) q = q.where("i.stage_key", "=", f.stage);
  if (f.flag) q = q.where(flagCondition(f.flag, now));
  if (f.q) {
    const pattern = containsPattern(f.q);
    q = q.where((eb) => eb.or([eb("i.name", "ilike", pattern), eb("c.name", "ilike", pattern)]));
  }
  return q;
}

/**
 * How many institutions match the scope and every filter but the stage, per stage: one
 * statement gives both the stage counts and (summed, or the chosen stage's) the list's total.
 */
export async function countInstitutionsPerStage(
  db: Db,
  f: InstitutionListFilter,
  now = new Date(),
): Promise<Map<string, number>> {
  const rows = await filteredInstitutions(db, f, now, false)
    .select(["i.stage_key", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("i.stage_key")
    .execute();
  return new Map(rows.map((r) => [r.stage_key, Number(r.n)]));
}

/** One page of the institutions list, each with its stored status. */
export async function pageInstitutionsWithStatus(
  db: Db,
  p: InstitutionPageQuery,
  now = new Date(),
): Promise<InstitutionWithStatus[]> {
  const desc = p.dir === "desc";
  const stageOrder = p.stageOrder.length ? p.stageOrder : ["_"];
  // The first sort key, then the name, then the id: a total order, so pages never overlap.
  const first = {
    name: sql`i.name`,
    country: sql`c.name`,
    stage: sql`coalesce(array_position(array[${sql.join(stageOrder)}]::text[], i.stage_key), ${stageOrder.length + 1})`,
    // Longest time in stage first is "descending": the earliest entry.
    time: sql`i.stage_entered_at`,
  }[p.sort];
  const firstDir = (p.sort === "time" ? !desc : desc) ? sql`desc` : sql`asc`;
  const restDir = p.sort === "name" && desc ? sql`desc` : sql`asc`;
  const page = filteredInstitutions(db, p, now, true)
    .select(["i.id", first.as("k1"), "i.name as k2"])
    .orderBy(sql`${first} ${firstDir}, i.name ${restDir}, i.id ${restDir}`)
    .limit(p.limit)
    .offset(p.offset);
  // Only the page's rows get the status columns and the records-changed look-ups.
  const rows = await baseQuery(db)
    .innerJoin(page.as("p"), "p.id", "i.id")
    .orderBy(sql`p.k1 ${firstDir}, p.k2 ${restDir}, p.id ${restDir}`)
    .execute();
  return rows.map((r) => ({ ...institutionOf(r), pathwayStatus: toStored(r, now) }));
}
