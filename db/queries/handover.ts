import { z } from "zod";
import { FUNDING_SOURCES } from "../../app/domain/records";
import { FundingSplitSchema, PlanLineSchema, type ActualCycle, type PlanYear, type UsdRate } from "../../app/domain/handover";
import type { HandoverPlanStatus } from "../schema";
import { appendAudit, type Db } from "./audit";
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
