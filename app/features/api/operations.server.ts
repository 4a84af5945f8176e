import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import { z } from "zod";
import { isoDate } from "~/domain/dates";
import { MilestoneReportSchema, ReportDecisionSchema, type MilestoneReport } from "~/domain/reports";
import { stageName } from "~/domain/template";
import { reportMilestoneUpdate, resubmitReportUpdate, decideReportUpdate } from "~/features/pathway/pathway-messages.server";
import { loadLogframe } from "~/features/indicators/logframe.server";
import { loadPortfolio } from "~/features/portfolio/portfolio.server";
import { render } from "~/i18n/render";
import { getTranslator } from "~/i18n/server";
import { allows, type Actor, type InstitutionAction } from "~/platform/policy";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { pageWindow } from "~/platform/list-query";
import type { Database, MilestoneReportRow } from "../../../db/schema";
import { getInstitution, getTemplate, listModules, listTrainers } from "../../../db/queries/institutions";
import { getReport, listReports } from "../../../db/queries/reports";
import { getStatus } from "../../../db/queries/status";
import { getPlan, listPlans } from "../../../db/queries/handover";
import { countTrainingCycles, pageTrainingCycles } from "../../../db/queries/api";
import { ApiProblem, forbidden, invalid, notFound } from "./problem";
import {
  DecisionSchema,
  IdParams,
  IndicatorsQuery,
  InstitutionListQuery,
  InstitutionPageSchema,
  InstitutionSchema,
  LogframeSchema,
  PagingQuery,
  PlanListSchema,
  PlanParams,
  PlanSchema,
  ReportListSchema,
  ReportParams,
  ReportSchema,
  SubmitReportSchema,
  TrainerListSchema,
  TrainingCyclePageSchema,
} from "./schemas";

/**
 * The API's operations: each with its path, its zod schemas (the OpenAPI document is generated
 * from this list, openapi.server.ts) and a handler over the same queries, services and workflow
 * updates the pages use, asking the same policy (app/platform/policy.ts).
 */

export interface OperationContext {
  request: Request;
  context: AppLoadContext;
  actor: Actor;
  tokenId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface Operation {
  id: string;
  method: "get" | "post";
  /** OpenAPI style: /institutions/{id} */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success statuses and their schema. */
  responses: Record<number, { description: string; schema: z.ZodType }>;
  /** Whether the operation changes anything (audited per use). */
  writes?: boolean;
  handle(o: OperationContext): Promise<Reply>;
}

type Db = Kysely<Database>;
const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** The institution, if the actor may see it (else 404) and take the action (else 403). */
async function institutionFor(db: Db, actor: Actor, id: string, action: InstitutionAction = "view") {
  const institution = await getInstitution(db, id);
  if (!institution || !allows(actor, "view", institution))
    throw notFound("There is no institution with this id that this token may see.");
  if (!allows(actor, action, institution)) throw forbidden();
  return institution;
}

function reportJson(r: MilestoneReportRow) {
  return {
    id: r.id,
    institutionId: r.institution_id,
    kind: r.kind,
    status: r.status,
    revision: r.revision,
    payload: (r.payload ?? {}) as Record<string, unknown>,
    evidence: r.evidence ?? [],
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    comment: r.decision_comment,
  };
}

/** A report the actor may see (through its institution), else 404. */
async function reportFor(db: Db, actor: Actor, reportId: string) {
  const report = await getReport(db, reportId);
  const institution = report ? await getInstitution(db, report.institution_id) : undefined;
  if (!report || !institution || !allows(actor, "view", institution))
    throw notFound("There is no report with this id that this token may see.");
  return { report, institution };
}

/** What the schema cannot know: the module exists, the trainer is one of this institution's. */
async function checkReferences(db: Db, report: MilestoneReport): Promise<void> {
  const errors: Record<string, string> = {};
  const p = report.payload as { module?: string; trainerId?: string };
  if (p.module !== undefined && !(await listModules(db)).some((m) => m.code === p.module))
    errors["payload.module"] = "Choose one of the SCORE modules";
  if (p.trainerId !== undefined && !(await listTrainers(db, report.institutionId)).some((t) => t.id === p.trainerId))
    errors["payload.trainerId"] = "Choose one of this institution's trainers";
  if (Object.keys(errors).length > 0) throw invalid(errors);
}

function refusal(request: Request, actor: Actor, sent: { status: number; code: string; message: Parameters<typeof render>[1] }) {
  return new ApiProblem(sent.status, {
    type: `refused/${sent.code.toLowerCase()}`,
    title: "Refused by the pathway",
    detail: render(getTranslator(request, actor), sent.message),
    headers: sent.status === 503 ? { "Retry-After": "5" } : undefined,
  });
}

export const OPERATIONS: Operation[] = [
  {
    id: "listInstitutions",
    method: "get",
    path: "/institutions",
    tag: "Institutions",
    summary: "List the institutions this token may see",
    description: "A page at a time, with the filters of the institutions page. A reporter's token lists its one institution.",
    query: InstitutionListQuery,
    responses: { 200: { description: "One page of institutions", schema: InstitutionPageSchema } },
    async handle({ context, actor, query }) {
      const q = query as z.infer<typeof InstitutionListQuery>;
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
      const data = await loadPortfolio(context.db, actor, params, new Date());
      // A filter naming nothing that exists matches nothing (the page would ignore it).
      const unknownFilter = (q.country && data.filters.country !== q.country) || (q.stage && data.filters.stage !== q.stage);
      const items = unknownFilter ? [] : data.institutions;
      const page = unknownFilter ? pageWindow(0, 1, q.per) : data.page;
      return ok({
        items: items.map((i) => ({
          id: i.id,
          name: i.name,
          countryName: i.country,
          type: i.typeCode,
          discontinued: i.discontinued,
          stage: { key: i.stageKey, name: i.stage, order: i.stageOrder, of: i.stageTotal },
          daysInStage: i.daysInStage,
          nextGate: i.nextGate && {
            stageName: i.nextGate.stage,
            pending: i.nextGate.pending,
            met: i.nextGate.met,
            total: i.nextGate.total,
            progress: i.nextGate.progress,
            awaitingSignOff: i.nextGate.awaitingSignOff,
          },
        })),
        page: page.page,
        per: page.per,
        pages: page.pages,
        total: page.total,
      });
    },
  },
  {
    id: "getInstitution",
    method: "get",
    path: "/institutions/{id}",
    tag: "Institutions",
    summary: "One institution: its stage and its next gate",
    params: IdParams,
    responses: { 200: { description: "The institution", schema: InstitutionSchema } },
    async handle({ context, actor, params }) {
      const i = await institutionFor(context.db, actor, params.id);
      const [template, status] = await Promise.all([getTemplate(context.db, i.template_id), getStatus(context.db, i.id)]);
      const gate = status && status.stage_key === i.stage_key ? status.next_gate : null;
      return ok({
        id: i.id,
        name: i.name,
        countryCode: i.country_code,
        countryName: i.country_name,
        type: i.type,
        role: i.role,
        currency: i.currency,
        status: i.status,
        stage: {
          key: i.stage_key,
          name: stageName(template.definition, i.stage_key),
          enteredAt: i.stage_entered_at.toISOString(),
        },
        nextGate:
          gate && status
            ? {
                stageKey: gate.stageKey,
                stageName: gate.stageName,
                met: gate.met,
                progress: gate.progress,
                criteria: gate.criteria.map((c) => ({
                  key: c.key,
                  label: c.label,
                  value: c.value,
                  threshold: c.threshold,
                  unit: c.unit,
                  met: c.met,
                  basis: c.basis,
                })),
                evaluatedAt: status.evaluated_at.toISOString(),
              }
            : null,
      });
    },
  },
  {
    id: "listReports",
    method: "get",
    path: "/institutions/{id}/reports",
    tag: "Reports",
    summary: "The institution's milestone reports, newest first",
    params: IdParams,
    responses: { 200: { description: "Its reports", schema: ReportListSchema } },
    async handle({ context, actor, params }) {
      const i = await institutionFor(context.db, actor, params.id);
      return ok({ items: (await listReports(context.db, i.id)).map(reportJson) });
    },
  },
  {
    id: "submitReport",
    method: "post",
    path: "/institutions/{id}/reports",
    tag: "Reports",
    summary: "Submit a milestone report",
    description:
      "The same path as the report form: the pathway workflow takes it as an update whose id is the report id. Sending the same report id again changes nothing and answers with the report as it stands (200). A report that was returned for revision is sent again under its own id.",
    params: IdParams,
    body: SubmitReportSchema,
    writes: true,
    responses: {
      201: { description: "Submitted: it waits for verification", schema: ReportSchema },
      200: { description: "This report id was sent before: the report as it stands", schema: ReportSchema },
    },
    async handle({ request, context, actor, params, body }) {
      const institution = await institutionFor(context.db, actor, params.id, "report");
      const sentBody = body as z.infer<typeof SubmitReportSchema>;
      const parsed = MilestoneReportSchema.safeParse({ ...sentBody, institutionId: institution.id, submittedBy: actor.name });
      if (!parsed.success)
        throw invalid(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "_", i.message])));
      const report = parsed.data;
      await checkReferences(context.db, report);
      const existing = await getReport(context.db, report.reportId);
      if (existing && existing.institution_id !== institution.id)
        throw new ApiProblem(409, {
          type: "report-id-taken",
          title: "Conflict",
          detail: "This report id belongs to another report.",
        });
      if (existing && existing.status !== "returned") return ok(reportJson(existing), 200);
      if (existing?.status === "returned") {
        const resent = await sendPathwayUpdate(context, institution.id, (h) =>
          h.executeUpdate(resubmitReportUpdate, { args: [report], updateId: `resubmit-${report.reportId}-${existing.revision}` }),
        );
        if (!resent.ok) throw refusal(request, actor, resent);
      } else {
        const sent = await sendPathwayUpdate(context, institution.id, (h) =>
          h.executeUpdate(reportMilestoneUpdate, { args: [report], updateId: report.reportId }),
        );
        if (!sent.ok) throw refusal(request, actor, sent);
      }
      const stored = await getReport(context.db, report.reportId);
      if (!stored)
        throw new ApiProblem(503, { type: "not-yet-stored", title: "Not stored yet", headers: { "Retry-After": "5" } });
      return ok(reportJson(stored), existing ? 200 : 201);
    },
  },
  {
    id: "getReport",
    method: "get",
    path: "/reports/{reportId}",
    tag: "Reports",
    summary: "One report",
    params: ReportParams,
    responses: { 200: { description: "The report", schema: ReportSchema } },
    async handle({ context, actor, params }) {
      return ok(reportJson((await reportFor(context.db, actor, params.reportId)).report));
    },
  },
  {
    id: "decideReport",
    method: "post",
    path: "/reports/{reportId}/decision",
    tag: "Reports",
    summary: "Verify, return or reject a submitted report",
    description: "ILO officers in the report's country and administrators. Returning or rejecting needs a comment.",
    params: ReportParams,
    body: DecisionSchema,
    writes: true,
    responses: { 200: { description: "The report, decided", schema: ReportSchema } },
    async handle({ request, context, actor, params, body }) {
      const { report, institution } = await reportFor(context.db, actor, params.reportId);
      if (!allows(actor, "decide", institution)) throw forbidden();
      const d = body as z.infer<typeof DecisionSchema>;
      const decision = ReportDecisionSchema.safeParse({ reportId: report.id, decidedBy: actor.name, ...d });
      if (!decision.success) throw invalid({ comment: "Say why the report goes back to the institution" });
      if (report.status !== "submitted")
        throw new ApiProblem(409, {
          type: "already-decided",
          title: "Conflict",
          detail: `This report is ${report.status}${report.decided_by ? ` (by ${report.decided_by})` : ""}.`,
        });
      const sent = await sendPathwayUpdate(context, institution.id, (h) =>
        h.executeUpdate(decideReportUpdate, { args: [decision.data], updateId: `decide-${report.id}-${decision.data.decision}` }),
      );
      if (!sent.ok) throw refusal(request, actor, sent);
      return ok(reportJson((await getReport(context.db, report.id))!));
    },
  },
  {
    id: "listTrainers",
    method: "get",
    path: "/institutions/{id}/trainers",
    tag: "Trainers and training",
    summary: "The institution's trainers",
    params: IdParams,
    responses: { 200: { description: "Its trainers", schema: TrainerListSchema } },
    async handle({ context, actor, params }) {
      const i = await institutionFor(context.db, actor, params.id);
      const trainers = await listTrainers(context.db, i.id);
      return ok({
        items: trainers.map((t) => ({
          id: t.id,
          name: t.name,
          sex: t.sex,
          nationalExpert: t.national_expert,
          trainedOn: t.trained_on,
          lastActiveOn: t.last_active_on,
        })),
      });
    },
  },
  {
    id: "listTrainingCycles",
    method: "get",
    path: "/institutions/{id}/training-cycles",
    tag: "Trainers and training",
    summary: "The institution's training cycles, newest first, a page at a time",
    params: IdParams,
    query: PagingQuery,
    responses: { 200: { description: "One page of training cycles", schema: TrainingCyclePageSchema } },
    async handle({ context, actor, params, query }) {
      const i = await institutionFor(context.db, actor, params.id);
      const q = query as z.infer<typeof PagingQuery>;
      const page = pageWindow(await countTrainingCycles(context.db, i.id), q.page, q.per);
      const rows = page.total === 0 ? [] : await pageTrainingCycles(context.db, i.id, page.per, page.offset);
      return ok({
        items: rows.map((c) => ({
          id: c.id,
          module: c.module_code,
          enterpriseName: c.enterprise_name,
          startedOn: c.started_on,
          endedOn: c.ended_on,
          visits: c.visits,
          participants: {
            managersFemale: c.managers_female,
            managersMale: c.managers_male,
            workersFemale: c.workers_female,
            workersMale: c.workers_male,
          },
          currency: c.currency,
          costMinor: Number(c.cost_minor),
          fundingMinor: {
            enterprise_fee: Number(c.fund_enterprise_fee),
            institution_funds: Number(c.fund_institution_funds),
            government: Number(c.fund_government),
            sponsor: Number(c.fund_sponsor),
            other_donor: Number(c.fund_other_donor),
            ilo: Number(c.fund_ilo),
          },
          iloStaffInvolved: c.ilo_staff_involved,
        })),
        page: page.page,
        per: page.per,
        pages: page.pages,
        total: page.total,
      });
    },
  },
  {
    id: "getLogframe",
    method: "get",
    path: "/indicators",
    tag: "Indicators",
    summary: "The logframe of a programme phase: each indicator's target and actual per country",
    description: "For the ILO, managers and viewers (not institutions' reporters). Officers see every country, as on the page.",
    query: IndicatorsQuery,
    responses: { 200: { description: "The logframe", schema: LogframeSchema } },
    async handle({ context, actor, query }) {
      if (!allows(actor, "logframe_view")) throw forbidden();
      const q = query as z.infer<typeof IndicatorsQuery>;
      const day = q.asAt ?? isoDate(new Date());
      // The phase that holds `asAt` (or the one asked for), counted up to that day as the page counts it.
      const data = await loadLogframe(context.db, actor, q.phase ?? null, new Date(`${day}T12:00:00Z`), q.asAt ?? null);
      if (!data) throw notFound("The programme has no phase yet.");
      if (data.asAtError) throw invalid({ asAt: `Give a day inside the phase (${data.phase.startsOn} – ${data.phase.endsOn}).` });
      const asAt = data.asAt;
      return ok({
        phase: { key: data.phase.key, name: data.phase.name, startsOn: data.phase.startsOn, endsOn: data.phase.endsOn },
        asAt,
        countries: data.countries,
        indicators: data.rows.map((r) => ({
          key: r.key,
          unit: r.unit,
          source: r.source,
          cells: r.cells.map((c) => ({
            country: c.country,
            target: c.target,
            actual: c.value,
            women: c.women?.count ?? null,
            achievedPercent: c.achieved,
            manual: c.manual,
          })),
        })),
      });
    },
  },
  {
    id: "listHandoverPlans",
    method: "get",
    path: "/institutions/{id}/plans",
    tag: "Handover plans",
    summary: "The institution's handover plans (without their years)",
    params: IdParams,
    responses: { 200: { description: "Its plans", schema: PlanListSchema } },
    async handle({ context, actor, params }) {
      const i = await institutionFor(context.db, actor, params.id);
      const plans = await listPlans(context.db, i.id);
      return ok({
        items: plans.map((p) => ({
          id: p.id,
          name: p.name,
          currency: p.currency,
          exitYear: p.exit_year,
          status: p.status,
          scenarioOf: p.scenario_of,
          createdAt: p.created_at.toISOString(),
          updatedAt: p.updated_at.toISOString(),
        })),
      });
    },
  },
  {
    id: "getHandoverPlan",
    method: "get",
    path: "/institutions/{id}/plans/{planId}",
    tag: "Handover plans",
    summary: "One handover plan with its years",
    params: PlanParams,
    responses: { 200: { description: "The plan", schema: PlanSchema } },
    async handle({ context, actor, params }) {
      const i = await institutionFor(context.db, actor, params.id);
      const p = await getPlan(context.db, params.planId);
      if (!p || p.institutionId !== i.id) throw notFound("There is no such plan.");
      return ok({
        id: p.id,
        institutionId: p.institutionId,
        name: p.name,
        currency: p.currency,
        exitYear: p.exitYear,
        status: p.status,
        scenarioOf: p.scenarioOf,
        varianceThresholdPp: p.varianceThresholdPp,
        reviewComment: p.reviewComment,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
        years: JSON.parse(JSON.stringify(p.years)) as Record<string, unknown>[],
      });
    },
  },
];
