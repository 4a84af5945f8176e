import { sql, type RawBuilder } from "kysely";
import { z } from "zod";
import { FUNDING_SOURCES } from "../../app/domain/records";
import {
  FundingSplitSchema,
  PlanLineSchema,
  shareBp,
  type ActualCycle,
  type PlanYear,
  type RollUpYear,
  type UsdRate,
} from "../../app/domain/handover";
import type { HandoverPlanStatus } from "../schema";
import { appendAudit, type Db } from "./audit";
import { containsPattern } from "./list";
import type { Message } from "../../app/i18n/message";

/** Handover plans and their years. Callers open the transaction; every change writes its audit entry. */

export interface HandoverPlan {
  id: string;
  institutionId: string;
  name: string;
  currency: string;
  usdRate: UsdRate;
  exitYear: number;
  varianceThresholdPp: number;
  status: HandoverPlanStatus;
  scenarioOf: string | null;
  reviewComment: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  years: PlanYear[];
}

export type NewHandoverPlan = Omit<HandoverPlan, "status" | "reviewComment" | "createdAt" | "updatedAt" | "createdBy">;

const LinesColumn = z.array(PlanLineSchema);

type PlanRow = {
  id: string;
  institution_id: string;
  name: string;
  currency: string;
  usd_rate_num: number | string;
  usd_rate_den: number | string;
  exit_year: number;
  variance_threshold_pp: number;
  status: HandoverPlanStatus;
  scenario_of: string | null;
  review_comment: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
};

function toPlan(r: PlanRow, years: { year: number; lines: unknown; funding: unknown }[]): HandoverPlan {
  return {
    id: r.id,
    institutionId: r.institution_id,
    name: r.name,
    currency: r.currency,
    usdRate: { num: Number(r.usd_rate_num), den: Number(r.usd_rate_den) },
    exitYear: r.exit_year,
    varianceThresholdPp: r.variance_threshold_pp,
    status: r.status,
    scenarioOf: r.scenario_of,
    reviewComment: r.review_comment,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    // JSON columns are checked on the way back in: a bad row fails loudly here, not in a total.
    years: years.map((y) => ({ year: y.year, lines: LinesColumn.parse(y.lines), funding: FundingSplitSchema.parse(y.funding) })),
  };
}

export async function insertPlan(db: Db, p: NewHandoverPlan, actor: string, at: Date): Promise<void> {
  await db
    .insertInto("handover_plans")
    .values({
      id: p.id,
      institution_id: p.institutionId,
      name: p.name,
      currency: p.currency,
      usd_rate_num: p.usdRate.num,
      usd_rate_den: p.usdRate.den,
      exit_year: p.exitYear,
      variance_threshold_pp: p.varianceThresholdPp,
      scenario_of: p.scenarioOf,
      created_by: actor,
      created_at: at,
      updated_at: at,
    })
    .execute();
  if (p.years.length > 0) {
    const rows = p.years.map((y) => ({
      plan_id: p.id,
      year: y.year,
      lines: JSON.stringify(y.lines),
      funding: JSON.stringify(y.funding),
    }));
    await db.insertInto("handover_plan_years").values(rows).execute();
  }
  const action = p.scenarioOf ? "handover_plan.scenario_copied" : "handover_plan.created";
  await appendAudit(db, {
    actor,
    action,
    entityType: "handover_plan",
    entityId: p.id,
    institutionId: p.institutionId,
    after: p,
    at,
  });
}

export async function getPlan(db: Db, planId: string): Promise<HandoverPlan | undefined> {
  const row = await db.selectFrom("handover_plans").selectAll().where("id", "=", planId).executeTakeFirst();
  if (!row) return undefined;
  const years = await db.selectFrom("handover_plan_years").selectAll().where("plan_id", "=", planId).orderBy("year").execute();
  return toPlan(row, years);
}

/** The plans of one institution, newest first, without their years. */
export async function listPlans(db: Db, institutionId: string) {
  return db
    .selectFrom("handover_plans")
    .select(["id", "name", "currency", "exit_year", "status", "scenario_of", "created_by", "created_at", "updated_at"])
    .where("institution_id", "=", institutionId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
}

export interface PlanStep {
  planId: string;
  /** The statuses the step may start from; the status it finds is checked in the same statement. */
  from: HandoverPlanStatus[];
  to: HandoverPlanStatus;
  actor: string;
  comment: string | null;
  at: Date;
}

/**
 * Moves a plan to its next status and audits it. Idempotent: a retry that finds the plan
 * already moved applies nothing and reports the status it found.
 */
export async function setPlanStatus(db: Db, s: PlanStep): Promise<{ applied: boolean; status: HandoverPlanStatus }> {
  const before = await db
    .selectFrom("handover_plans")
    .select(["status", "institution_id"])
    .where("id", "=", s.planId)
    .executeTakeFirstOrThrow();
  if (!s.from.includes(before.status)) return { applied: false, status: before.status };
  // Only a review writes the comment: it is the ILO's latest word on the plan (cleared by an approval without one).
  const review = s.to === "approved" || s.to === "returned";
  const res = await db
    .updateTable("handover_plans")
    .set({ status: s.to, updated_at: s.at, ...(review ? { review_comment: s.comment } : {}) })
    .where("id", "=", s.planId)
    .where("status", "in", s.from)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return setPlanStatus(db, s); // moved in between: look again
  await appendAudit(db, {
    actor: s.actor,
    action: `handover_plan.${s.to}`,
    entityType: "handover_plan",
    entityId: s.planId,
    institutionId: before.institution_id,
    before: { status: before.status },
    after: { status: s.to, comment: s.comment },
    at: s.at,
  });
  return { applied: true, status: s.to };
}

/** The cycles an institution recorded between two ISO days (inclusive), as the plan compares them. */
export async function loadActualCycles(db: Db, institutionId: string, from: string, to: string): Promise<ActualCycle[]> {
  const rows = await db
    .selectFrom("training_cycles")
    .selectAll()
    .where("institution_id", "=", institutionId)
    .where("ended_on", ">=", from)
    .where("ended_on", "<=", to)
    .orderBy("ended_on")
    .execute();
  return rows.map((c) => ({
    endedOn: c.ended_on,
    costMinor: Number(c.cost_minor),
    funding: Object.fromEntries(FUNDING_SOURCES.map((s) => [s, Number(c[`fund_${s}`])])) as ActualCycle["funding"],
  }));
}

export interface HandoverNotification {
  id: string;
  institutionId: string;
  /** The English text, for the record. */
  message: string;
  /** What pages show, in the reader's language. */
  note?: Message;
  at: Date;
}

/** A variance alert for the ILO; the id is deterministic per plan and quarter, so it is written once. */
export async function addVarianceNotification(db: Db, n: HandoverNotification): Promise<boolean> {
  const res = await db
    .insertInto("notifications")
    .values({
      id: n.id,
      institution_id: n.institutionId,
      kind: "handover_variance",
      audience: "ilo",
      message: n.message,
      message_key: n.note?.key ?? null,
      message_params: n.note ? JSON.stringify(n.note.params ?? {}) : null,
      created_at: n.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type PlanContent = Pick<HandoverPlan, "name" | "currency" | "usdRate" | "exitYear" | "varianceThresholdPp" | "years">;

/**
 * Replaces what a draft or returned plan says. The status is checked in the update itself, so a
 * submit that lands first wins and this changes nothing (false).
 */
export async function updatePlanContent(db: Db, planId: string, c: PlanContent, actor: string, at: Date): Promise<boolean> {
  const before = await getPlan(db, planId);
  const res = await db
    .updateTable("handover_plans")
    .set({
      name: c.name,
      currency: c.currency,
      usd_rate_num: c.usdRate.num,
      usd_rate_den: c.usdRate.den,
      exit_year: c.exitYear,
      variance_threshold_pp: c.varianceThresholdPp,
      updated_at: at,
    })
    .where("id", "=", planId)
    .where("status", "in", ["draft", "returned"])
    .executeTakeFirst();
  if (!before || Number(res.numUpdatedRows) === 0) return false;
  await db.deleteFrom("handover_plan_years").where("plan_id", "=", planId).execute();
  if (c.years.length > 0) {
    const rows = c.years.map((y) => ({
      plan_id: planId,
      year: y.year,
      lines: JSON.stringify(y.lines),
      funding: JSON.stringify(y.funding),
    }));
    await db.insertInto("handover_plan_years").values(rows).execute();
  }
  await appendAudit(db, {
    actor,
    action: "handover_plan.edited",
    entityType: "handover_plan",
    entityId: planId,
    institutionId: before.institutionId,
    before,
    after: c,
    at,
  });
  return true;
}

/**
 * The plans of one country's institutions, for a roll-up in USD (rollUpUsd): by default only
 * the agreed ones (approved or active), never scenarios.
 */
export async function listCountryPlans(
  db: Db,
  countryCode: string,
  statuses: HandoverPlanStatus[] = ["approved", "active"],
): Promise<(HandoverPlan & { institutionName: string })[]> {
  const rows = await db
    .selectFrom("handover_plans as p")
    .innerJoin("institutions as i", "i.id", "p.institution_id")
    .select(["p.id", "i.name as institution_name"])
    .where("i.country_code", "=", countryCode)
    .where("p.status", "in", statuses)
    .where("p.scenario_of", "is", null)
    .orderBy("i.name")
    .execute();
  const plans = await Promise.all(rows.map((r) => getPlan(db, r.id)));
  return plans.map((p, i) => ({ ...p!, institutionName: rows[i].institution_name }));
}

// ---- The country roll-up (/plans), counted and paged by PostgreSQL ------------------------------

/** The agreed plans: approved and active, never a scenario. */
export const AGREED_STATUSES = ["approved", "active"] as const satisfies readonly HandoverPlanStatus[];
export type AgreedStatus = (typeof AGREED_STATUSES)[number];
export const COUNTRY_PLAN_SORTS = ["institution", "plan", "exit"] as const;
export type CountryPlanSort = (typeof COUNTRY_PLAN_SORTS)[number];

function countryPlansQuery(db: Db, countryCode: string, statuses: readonly HandoverPlanStatus[], q?: string) {
  let query = db
    .selectFrom("handover_plans as p")
    .innerJoin("institutions as i", "i.id", "p.institution_id")
    .where("i.country_code", "=", countryCode)
    .where("p.status", "in", statuses.length ? [...statuses] : ["--" as HandoverPlanStatus])
    .where("p.scenario_of", "is", null);
  if (q) {
    const pattern = containsPattern(q);
    query = query.where((eb) => eb.or([eb("i.name", "ilike", pattern), eb("p.name", "ilike", pattern)]));
  }
  return query;
}

export async function countCountryPlans(
  db: Db,
  countryCode: string,
  statuses: readonly HandoverPlanStatus[],
  q?: string,
): Promise<number> {
  const row = await countryPlansQuery(db, countryCode, statuses, q)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of a country's plans, without their years (the roll-up has the figures). */
export async function pageCountryPlans(
  db: Db,
  countryCode: string,
  p: {
    statuses: readonly HandoverPlanStatus[];
    q?: string;
    sort: CountryPlanSort;
    dir: "asc" | "desc";
    limit: number;
    offset: number;
  },
) {
  const dir = p.dir === "desc" ? sql`desc` : sql`asc`;
  const order = {
    institution: sql`i.name ${dir}, p.name, p.id`,
    plan: sql`p.name ${dir}, i.name, p.id`,
    exit: sql`p.exit_year ${dir}, i.name, p.id`,
  }[p.sort];
  const rows = await countryPlansQuery(db, countryCode, p.statuses, p.q)
    .select([
      "p.id",
      "p.institution_id",
      "i.name as institution_name",
      "p.name",
      "p.currency",
      "p.status",
      "p.usd_rate_num",
      "p.usd_rate_den",
      "p.exit_year",
    ])
    .orderBy(order)
    .limit(p.limit)
    .offset(p.offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    institutionId: r.institution_id,
    institutionName: r.institution_name,
    name: r.name,
    currency: r.currency,
    status: r.status,
    usdRate: { num: Number(r.usd_rate_num), den: Number(r.usd_rate_den) },
    exitYear: r.exit_year,
  }));
}

/**
 * `round(v / d)` to the nearest integer, halves to even, for numeric `v` and `d > 0`: the SQL of
 * `divRoundHalfEven` (app/domain/handover.ts). `div`/`mod` are exact on numeric (no decimal
 * division that could round near an integer); the floor is made from the truncation.
 */
function halfEvenSql(v: RawBuilder<unknown>, d: RawBuilder<unknown>) {
  const q = sql`(div(${v}, ${d}) - case when mod(${v}, ${d}) < 0 then 1 else 0 end)`;
  const r = sql`(mod(${v}, ${d}) + case when mod(${v}, ${d}) < 0 then ${d} else 0 end)`;
  return sql`(case when 2 * ${r} > ${d} then ${q} + 1 when 2 * ${r} = ${d} then ${q} + abs(mod(${q}, 2)) else ${q} end)`;
}

/**
 * A country's agreed plans rolled up in USD per year, by PostgreSQL: `rollUpUsd` over every plan,
 * in one statement that returns a row per year. Each plan-year's cost (its lines' cycles × unit
 * cost), non-ILO funding and gap in the plan's currency are converted once at the plan's rate,
 * rounded half to even, then summed — exactly as `rollUpUsd` does.
 */
export async function countryRollUpUsd(
  db: Db,
  countryCode: string,
  statuses: readonly HandoverPlanStatus[],
): Promise<RollUpYear[]> {
  if (statuses.length === 0) return [];
  const sources = FUNDING_SOURCES.map((f) => sql`coalesce((y.funding ->> ${sql.lit(f)})::numeric, 0)`);
  const num = sql`p.usd_rate_num::numeric`;
  const den = sql`p.usd_rate_den::numeric`;
  const { rows } = await sql<{
    year: number;
    cost: string | number;
    non_ilo: string | number;
    gap: string | number;
    plans: string | number;
  }>`
    with minor as (
      select y.year, p.usd_rate_num, p.usd_rate_den,
        coalesce((select sum((l ->> 'cycles')::numeric * (l ->> 'unitCostMinor')::numeric)
                  from jsonb_array_elements(y.lines) l), 0) as cost,
        (${sql.join(sources, sql` + `)}) as funded,
        coalesce((y.funding ->> 'ilo')::numeric, 0) as ilo
      from handover_plans p
      join institutions i on i.id = p.institution_id
      join handover_plan_years y on y.plan_id = p.id
      where i.country_code = ${countryCode}
        and p.status in (${sql.join([...statuses])})
        and p.scenario_of is null
    )
    select year,
      sum(${halfEvenSql(sql`cost * ${num}`, den)})::text as cost,
      sum(${halfEvenSql(sql`(funded - ilo) * ${num}`, den)})::text as non_ilo,
      sum(${halfEvenSql(sql`(cost - funded) * ${num}`, den)})::text as gap,
      count(*) as plans
    from minor p
    group by year
    order by year`.execute(db);
  return rows.map((r) => {
    const costUsdCents = Number(r.cost);
    const nonIloUsdCents = Number(r.non_ilo);
    return {
      year: Number(r.year),
      costUsdCents,
      nonIloUsdCents,
      gapUsdCents: Number(r.gap),
      nonIloShareBp: shareBp(nonIloUsdCents, costUsdCents),
      plans: Number(r.plans),
    };
  });
}
