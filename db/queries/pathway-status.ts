import { sql } from "kysely";
import type { FloorFailure, GateResult } from "../../app/domain/gate";
import type { InstitutionFilter } from "./institutions";
import type { InstitutionType } from "../schema";
import type { Db } from "./audit";

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
