import { refusal } from "./refusal";
import { message } from "../app/i18n/message";
import type { Kysely } from "kysely";
import {
  costVariance,
  COST_VARIANCE_PCT,
  formatMinor,
  formatShareBp,
  quarterActuals,
  quarterDays,
  quarterKey,
  shareVariance,
  type CostVariance,
  type Quarter,
  type Variance,
} from "../app/domain/handover";
import { addNotification, resolveNotifications } from "../db/queries/notifications";
import { render } from "../app/i18n/render";
import { translatorFor } from "../app/i18n/server";
import { addVarianceNotification, getPlan, loadActualCycles, setPlanStatus } from "../db/queries/handover";
import type { Database, HandoverPlanStatus } from "../db/schema";

/**
 * Every piece of I/O the handover workflow does. Each step is one transaction with its audit
 * entry; ids come from the workflow, so a retry writes nothing twice.
 */

export interface PlanStepInput {
  planId: string;
  from: HandoverPlanStatus[];
  to: HandoverPlanStatus;
  actor: string;
  comment: string | null;
  at: number;
}

export interface VarianceCheck {
  quarter: string;
  variance: Variance | null;
  notified: boolean;
}

export function varianceNotificationId(planId: string, quarter: Quarter): string {
  return `handover-variance-${planId}-${quarterKey(quarter)}`;
}

export function costVarianceNotificationId(planId: string, quarter: Quarter): string {
  return `handover-cost-variance-${planId}-${quarterKey(quarter)}`;
}

const english = translatorFor("en");

export function createHandoverActivities(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  return {
    async loadPlanStatus(planId: string): Promise<HandoverPlanStatus> {
      const plan = await getPlan(db, planId);
      if (!plan) throw refusal("NOT_FOUND", { planId }, `Handover plan ${planId} does not exist`);
      return plan.status;
    },

    /**
     * A step and what it tells: a submitted plan notifies the officers who review it; a review
     * resolves that notification. One transaction, so a retry neither doubles nor loses it.
     */
    async recordPlanStep(step: PlanStepInput): Promise<{ applied: boolean; status: HandoverPlanStatus }> {
      return db.transaction().execute(async (trx) => {
        const at = new Date(step.at);
        const result = await setPlanStatus(trx, { ...step, at });
        if (!result.applied) return result;
        if (step.to === "submitted") {
          const plan = await getPlan(trx, step.planId);
          if (plan) {
            const note = message("notice.planToReview", { plan: plan.name });
            await addNotification(trx, {
              id: `plan-review-${step.planId}-${step.at}`,
              institutionId: plan.institutionId,
              kind: "plan_to_review",
              audience: "ilo",
              subjectId: step.planId,
              link: `/institutions/${plan.institutionId}/plans/${step.planId}`,
              message: render(english, note),
              note,
              at,
            });
          }
        } else {
          await resolveNotifications(trx, { kinds: ["plan_to_review"], subjectId: step.planId, at });
        }
        return result;
      });
    },

    /** Compares the quarter's recorded cycles with the plan; past the plan's threshold, alerts the ILO once. */
    async checkQuarterVariance(planId: string, quarter: Quarter, at: number): Promise<VarianceCheck> {
      const plan = await getPlan(db, planId);
      if (!plan) throw refusal("NOT_FOUND", { planId }, `Handover plan ${planId} does not exist`);
      const { from, to } = quarterDays(quarter);
      const actual = quarterActuals(await loadActualCycles(db, plan.institutionId, from, to), quarter);
      const variance = shareVariance(plan, actual, quarter, plan.varianceThresholdPp);
      if (!variance?.exceeded) return { quarter: actual.quarter, variance, notified: false };
      const pp = (variance.varianceBp / 100).toFixed(2);
      const text =
        `Handover plan "${plan.name}": in ${actual.quarter} non-ILO funding covered ${formatShareBp(variance.actualShareBp)} of cost ` +
        `against ${formatShareBp(variance.plannedShareBp)} planned (${variance.varianceBp > 0 ? "+" : ""}${pp} points; ` +
        `threshold ${plan.varianceThresholdPp}).`;
      const note = message("notice.shareVariance", {
        plan: plan.name,
        quarter: actual.quarter,
        actual: variance.actualShareBp / 100,
        planned: variance.plannedShareBp / 100,
        points: variance.varianceBp / 100,
        threshold: plan.varianceThresholdPp,
      });
      const notified = await addVarianceNotification(db, {
        id: varianceNotificationId(planId, quarter),
        institutionId: plan.institutionId,
        message: text,
        note,
        at: new Date(at),
      });
      return { quarter: actual.quarter, variance, notified };
    },

    /** The quarter's delivery cost against a quarter of the year's planned cost; beyond COST_VARIANCE_PCT, alerts the ILO once. */
    async checkQuarterCostVariance(
      planId: string,
      quarter: Quarter,
      at: number,
    ): Promise<{ quarter: string; variance: CostVariance | null; notified: boolean }> {
      const plan = await getPlan(db, planId);
      if (!plan) throw refusal("NOT_FOUND", { planId }, `Handover plan ${planId} does not exist`);
      const { from, to } = quarterDays(quarter);
      const actual = quarterActuals(await loadActualCycles(db, plan.institutionId, from, to), quarter);
      const variance = costVariance(plan, actual, quarter);
      if (!variance?.exceeded) return { quarter: actual.quarter, variance, notified: false };
      const text =
        `Handover plan "${plan.name}": in ${actual.quarter} delivery cost ${plan.currency} ${formatMinor(variance.actualMinor)} ` +
        `against ${formatMinor(variance.plannedMinor)} planned for the quarter (${variance.varianceBp > 0 ? "+" : ""}${formatShareBp(variance.varianceBp)}; ` +
        `threshold ${COST_VARIANCE_PCT} %).`;
      const note = message("notice.costVariance", {
        plan: plan.name,
        quarter: actual.quarter,
        currency: plan.currency,
        actual: variance.actualMinor / 100,
        planned: variance.plannedMinor / 100,
        percent: variance.varianceBp / 100,
        threshold: COST_VARIANCE_PCT,
      });
      const notified = await addVarianceNotification(db, {
        id: costVarianceNotificationId(planId, quarter),
        institutionId: plan.institutionId,
        message: text,
        note,
        at: new Date(at),
      });
      return { quarter: actual.quarter, variance, notified };
    },
  };
}

export type HandoverActivities = ReturnType<typeof createHandoverActivities>;
