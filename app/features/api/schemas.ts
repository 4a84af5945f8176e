import { z } from "zod";
import { REPORT_KIND_KEYS, ReportBodySchema } from "~/domain/reports";
import { PER_DEFAULT, PER_MAX, PER_MIN } from "~/platform/list-query";

/**
 * The API's shapes, one zod schema each: the handlers parse with them and the OpenAPI document
 * (openapi.server.ts) is generated from them, so the two cannot disagree. `.meta({ id })` names a
 * schema's component in the document.
 */

const uuid = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const day = z.iso.date();

export const ProblemSchema = z
  .object({
    type: z.string().describe("A URI naming the kind of problem"),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional().describe("For a refused body or query: field path → message"),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

// ------------------------------------------------------------------ parameters

export const IdParams = z.object({ id: uuid.describe("The institution's id") });
export const ReportParams = z.object({ reportId: uuid.describe("The report's id (made by the client)") });
export const PlanParams = z.object({ id: uuid.describe("The institution's id"), planId: uuid.describe("The plan's id") });

const pageParam = z.coerce.number().int().min(1).max(100_000).default(1).describe("1-based page");
const perParam = z.coerce.number().int().min(PER_MIN).max(PER_MAX).default(PER_DEFAULT).describe("Rows per page");

export const InstitutionListQuery = z.object({
  page: pageParam,
  per: perParam,
  sort: z.enum(["name", "country", "stage", "progress", "time"]).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  q: z.string().max(100).optional().describe("Words in the institution's name"),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional()
    .describe("ISO 3166 country code"),
  type: z.enum(["government_training", "employers_organisation", "industry_association", "private_provider"]).optional(),
  stage: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .describe("A stage key: engaged, tot, certification…"),
  flag: z.enum(["awaiting", "flagged", "overdue"]).optional(),
});

export const PagingQuery = z.object({ page: pageParam, per: perParam });

export const IndicatorsQuery = z.object({
  phase: z
    .string()
    .regex(/^[a-z0-9_-]{1,60}$/)
    .optional()
    .describe("A programme phase key; the current phase when absent"),
  asAt: day.optional().describe("The logframe as at this date (YYYY-MM-DD); today when absent"),
});

// ------------------------------------------------------------------ bodies

const Evidence = z.object({ label: z.string().trim().min(1).max(200), reference: z.string().trim().max(500) });

/** A report as sent: the client makes its id, so sending it again is the same report. */
export const SubmitReportSchema = z
  .discriminatedUnion(
    "kind",
    ReportBodySchema.options.map((o) =>
      o.extend({ reportId: uuid, evidence: z.array(Evidence).max(20).default([]) }),
    ) as unknown as typeof ReportBodySchema.options,
  )
  .meta({
    id: "ReportSubmission",
    description:
      "A milestone report. `reportId` is made by the client (a UUID): sending the same id again returns the first outcome and stores nothing twice.",
  });

export const DecisionSchema = z
  .object({
    decision: z.enum(["verify", "return", "reject"]),
    comment: z.string().trim().max(2000).default("").describe("Required to return or reject"),
  })
  .meta({ id: "Decision" });

// ------------------------------------------------------------------ responses

const Paging = {
  page: z.int().min(1),
  per: z.int().min(1),
  pages: z.int().min(1),
  total: z.int().min(0),
};

export const InstitutionSummarySchema = z
  .object({
    id: uuid,
    name: z.string(),
    countryName: z.string(),
    type: z.string(),
    discontinued: z.boolean(),
    stage: z.object({ key: z.string(), name: z.string(), order: z.int(), of: z.int() }),
    daysInStage: z.int().min(0),
    nextGate: z
      .object({
        stageName: z.string(),
        pending: z.boolean().describe("The stored evaluation is being brought up to date: no figures yet"),
        met: z.int().min(0),
        total: z.int().min(0),
        progress: z.number().min(0).max(100),
        awaitingSignOff: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: "InstitutionSummary" });

export const InstitutionPageSchema = z
  .object({ items: z.array(InstitutionSummarySchema), ...Paging })
  .meta({ id: "InstitutionPage" });

const CriterionSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number(),
  threshold: z.number(),
  unit: z.string(),
  met: z.boolean(),
  basis: z.string(),
});

export const InstitutionSchema = z
  .object({
    id: uuid,
    name: z.string(),
    countryCode: z.string(),
    countryName: z.string(),
    type: z.string(),
    role: z.string(),
    currency: z.string(),
    status: z.enum(["active", "discontinued"]),
    stage: z.object({ key: z.string(), name: z.string(), enteredAt: dateTime }),
    nextGate: z
      .object({
        stageKey: z.string(),
        stageName: z.string(),
        met: z.boolean(),
        progress: z.number(),
        criteria: z.array(CriterionSchema),
        evaluatedAt: dateTime,
      })
      .nullable()
      .describe("The next gate as the pathway last evaluated it; null at the last stage or before its first evaluation"),
  })
  .meta({ id: "Institution" });

export const ReportSchema = z
  .object({
    id: uuid,
    institutionId: uuid,
    kind: z.enum(REPORT_KIND_KEYS),
    status: z.enum(["submitted", "verified", "returned", "rejected"]),
    revision: z.int().min(1),
    payload: z.record(z.string(), z.unknown()),
    evidence: z.array(z.object({ label: z.string(), reference: z.string() })),
    submittedBy: z.string(),
    submittedAt: dateTime,
    decidedBy: z.string().nullable(),
    decidedAt: dateTime.nullable(),
    comment: z.string().nullable(),
  })
  .meta({ id: "Report" });

export const ReportListSchema = z.object({ items: z.array(ReportSchema) }).meta({ id: "ReportList" });

export const TrainerSchema = z
  .object({
    id: uuid,
    name: z.string(),
    sex: z.enum(["female", "male"]),
    nationalExpert: z.boolean(),
    trainedOn: day.nullable(),
    lastActiveOn: day.nullable(),
  })
  .meta({ id: "Trainer" });
export const TrainerListSchema = z.object({ items: z.array(TrainerSchema) }).meta({ id: "TrainerList" });

export const TrainingCycleSchema = z
  .object({
    id: uuid,
    module: z.string(),
    enterpriseName: z.string(),
    startedOn: day,
    endedOn: day,
    visits: z.int(),
    participants: z.object({
      managersFemale: z.int(),
      managersMale: z.int(),
      workersFemale: z.int(),
      workersMale: z.int(),
    }),
    currency: z.string(),
    costMinor: z.int().describe("Hundredths of the currency"),
    fundingMinor: z.record(z.string(), z.int()).describe("Hundredths of the currency, by source"),
    iloStaffInvolved: z.boolean(),
  })
  .meta({ id: "TrainingCycle" });
export const TrainingCyclePageSchema = z
  .object({ items: z.array(TrainingCycleSchema), ...Paging })
  .meta({ id: "TrainingCyclePage" });

export const LogframeSchema = z
  .object({
    phase: z.object({ key: z.string(), name: z.string(), startsOn: day, endsOn: day }),
    asAt: day,
    countries: z.array(z.object({ code: z.string(), name: z.string() })),
    indicators: z.array(
      z.object({
        key: z.string(),
        unit: z.string(),
        source: z.string(),
        cells: z.array(
          z.object({
            country: z.string(),
            target: z.number().nullable(),
            actual: z.number().nullable(),
            women: z.number().nullable().describe("Of the actual, women, where the indicator records sex"),
            achievedPercent: z.number().nullable(),
            manual: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "Logframe" });

export const PlanSummarySchema = z
  .object({
    id: uuid,
    name: z.string(),
    currency: z.string(),
    exitYear: z.int(),
    status: z.enum(["draft", "submitted", "returned", "approved", "active", "closed"]),
    scenarioOf: uuid.nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "HandoverPlanSummary" });
export const PlanListSchema = z.object({ items: z.array(PlanSummarySchema) }).meta({ id: "HandoverPlanList" });

export const PlanSchema = PlanSummarySchema.extend({
  institutionId: uuid,
  varianceThresholdPp: z.number(),
  reviewComment: z.string().nullable(),
  years: z.array(z.record(z.string(), z.unknown())).describe("Each year's planned funding lines and delivery"),
}).meta({ id: "HandoverPlan" });
