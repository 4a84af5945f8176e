import { iso, z } from "zod";
import { applyReportEffects, reportEffects, type ReportEffectRules } from "./report-effects";
import { REPORT_KIND_LABELS } from "./report-kinds";
import type { PathwayRecords } from "./records";
import { FUNDING_SOURCES } from "./records";

/**
 * Milestone reports: what an institution says happened. Each carries a client-made id so a
 * retry or a double click is one report. One schema validates the form, the server action and
 * the workflow's update validator.
 */

// `iso.date`, not `z.iso.date`: the workflow bundler rewrites the latter into `z.date()` (a Date object schema).
const isoDay = iso.date({ message: "Enter a date as YYYY-MM-DD" });
const count = (label: string) =>
  z
    .number({ message: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(0, `${label} cannot be negative`);
const money = (label: string) =>
  z
    .number({ message: `${label} must be an amount` })
    .int(`${label} must be an amount`)
    .min(0, `${label} cannot be negative`);
const moduleCode = z.string().min(1, "Choose a module").max(20);
const sex = z.enum(["female", "male"], { message: "Choose female or male" });

export const TotCohortSchema = z
  .object({
    module: moduleCode,
    startedOn: isoDay,
    endedOn: isoDay,
    trainers: z
      .array(z.object({ name: z.string().trim().min(2, "Enter the trainer's name").max(120), sex }))
      .min(1, "List at least one trainer who completed the ToT")
      .max(60, "A cohort has at most 60 trainers"),
  })
  .refine((v) => v.endedOn >= v.startedOn, { message: "The ToT cannot end before it starts", path: ["endedOn"] });

export const TrainerCertifiedSchema = z.object({
  trainerId: z.string().uuid("Choose a trainer"),
  module: moduleCode,
  certifiedOn: isoDay,
  nationalExpert: z.boolean().default(false),
});

export const TrainerLapsedSchema = z.object({
  trainerId: z.string().uuid("Choose a trainer"),
  module: moduleCode,
  lapsedOn: isoDay,
});

export const FundingSplitSchema = z.object(
  Object.fromEntries(FUNDING_SOURCES.map((s) => [s, money("Each funding amount")])) as Record<
    (typeof FUNDING_SOURCES)[number],
    ReturnType<typeof money>
  >,
);

export const TrainingCycleSchema = z
  .object({
    module: moduleCode,
    enterpriseName: z.string().trim().min(2, "Enter the enterprise's name").max(160),
    enterpriseSize: z.enum(["micro", "small", "medium", "large"], { message: "Choose the enterprise's size" }),
    startedOn: isoDay,
    endedOn: isoDay,
    visits: count("Visits").max(20, "At most 20 visits in one cycle"),
    participants: z.object({
      managersFemale: count("Women managers"),
      managersMale: count("Men managers"),
      workersFemale: count("Women workers"),
      workersMale: count("Men workers"),
    }),
    /** Minor units (cents) of the institution's currency. */
    cost: money("Cost").positive("Cost must be more than zero"),
    funding: FundingSplitSchema,
    iloStaffInvolved: z.boolean(),
  })
  .refine((v) => v.endedOn >= v.startedOn, { message: "The cycle cannot end before it starts", path: ["endedOn"] })
  .refine((v) => FUNDING_SOURCES.reduce((sum, s) => sum + v.funding[s], 0) === v.cost, {
    message: "The funding split must add up to the cost",
    path: ["funding"],
  });

export const EnterpriseReachedSchema = z.object({
  name: z.string().trim().min(2, "Enter the enterprise's name").max(160),
  size: z.enum(["micro", "small", "medium", "large"], { message: "Choose the enterprise's size" }),
  sector: z.string().trim().min(2, "Enter a sector").max(80),
  workersFemale: count("Women workers"),
  workersMale: count("Men workers"),
});

export const MouSignedSchema = z.object({ signedOn: isoDay });
export const PortfolioListedSchema = z.object({ listedOn: isoDay });
export const BusinessPlanSchema = z.object({ adoptedOn: isoDay });
export const FundingSecuredSchema = z
  .object({
    kind: z.enum(["government_budget_line", "multi_year_sponsor"], { message: "Choose the kind of funding" }),
    funder: z.string().trim().min(2, "Name the funder").max(160),
    startsOn: isoDay,
    endsOn: isoDay.nullable(),
  })
  .refine((v) => !v.endsOn || v.endsOn >= v.startsOn, { message: "It cannot end before it starts", path: ["endsOn"] });

export const REPORT_KINDS = {
  tot_cohort: { label: REPORT_KIND_LABELS.tot_cohort, schema: TotCohortSchema },
  trainer_certified: { label: REPORT_KIND_LABELS.trainer_certified, schema: TrainerCertifiedSchema },
  trainer_lapsed: { label: REPORT_KIND_LABELS.trainer_lapsed, schema: TrainerLapsedSchema },
  training_cycle: { label: REPORT_KIND_LABELS.training_cycle, schema: TrainingCycleSchema },
  enterprise_reached: { label: REPORT_KIND_LABELS.enterprise_reached, schema: EnterpriseReachedSchema },
  mou_signed: { label: REPORT_KIND_LABELS.mou_signed, schema: MouSignedSchema },
  score_in_portfolio: { label: REPORT_KIND_LABELS.score_in_portfolio, schema: PortfolioListedSchema },
  business_plan_adopted: { label: REPORT_KIND_LABELS.business_plan_adopted, schema: BusinessPlanSchema },
  funding_secured: { label: REPORT_KIND_LABELS.funding_secured, schema: FundingSecuredSchema },
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;
export const REPORT_KIND_KEYS = Object.keys(REPORT_KINDS) as [ReportKind, ...ReportKind[]];

export const ReportBodySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tot_cohort"), payload: TotCohortSchema }),
  z.object({ kind: z.literal("trainer_certified"), payload: TrainerCertifiedSchema }),
  z.object({ kind: z.literal("trainer_lapsed"), payload: TrainerLapsedSchema }),
  z.object({ kind: z.literal("training_cycle"), payload: TrainingCycleSchema }),
  z.object({ kind: z.literal("enterprise_reached"), payload: EnterpriseReachedSchema }),
  z.object({ kind: z.literal("mou_signed"), payload: MouSignedSchema }),
  z.object({ kind: z.literal("score_in_portfolio"), payload: PortfolioListedSchema }),
  z.object({ kind: z.literal("business_plan_adopted"), payload: BusinessPlanSchema }),
  z.object({ kind: z.literal("funding_secured"), payload: FundingSecuredSchema }),
]);
export type ReportBody = z.infer<typeof ReportBodySchema>;

export const MilestoneReportSchema = z.intersection(
  z.object({
    reportId: z.string().uuid("Every report needs its own id"),
    institutionId: z.string().uuid(),
    submittedBy: z.string().min(1).max(200),
    evidence: z
      .array(z.object({ label: z.string().trim().min(1).max(200), reference: z.string().trim().max(500) }))
      .max(20)
      .default([]),
  }),
  ReportBodySchema,
);
export type MilestoneReport = z.infer<typeof MilestoneReportSchema>;

export const ReportDecisionSchema = z
  .object({
    reportId: z.string().uuid(),
    decision: z.enum(["verify", "return", "reject"]),
    comment: z.string().trim().max(2000).default(""),
    decidedBy: z.string().min(1).max(200),
  })
  .refine((d) => d.decision === "verify" || d.comment.length > 0, {
    message: "Say why the report goes back to the institution",
    path: ["comment"],
  });
export type ReportDecision = z.infer<typeof ReportDecisionSchema>;

/** Flattens zod issues to `{ "payload.cost": "message" }` for showing next to fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * The records as they would be if this report were verified: used to preview a report's effect
 * on the next gate. The same effects verification writes (report-effects.ts), applied in memory.
 */
export function recordsAfterReport(
  records: PathwayRecords,
  report: Pick<MilestoneReport, "reportId" | "institutionId"> & ReportBody,
  rules: Omit<ReportEffectRules, "idFor">,
): PathwayRecords {
  return applyReportEffects(records, reportEffects(report, records, rules));
}
