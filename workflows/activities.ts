import { ApplicationFailure } from "@temporalio/common";
import { NoResultError, sql, type Kysely } from "kysely";
import type { PathwayRecords } from "../app/domain/records";
import { ReportNotApplicableError } from "../app/domain/report-effects";
import type { MilestoneReport, ReportDecision } from "../app/domain/reports";
import type { PathwayTemplate } from "../app/domain/template";
import type { Database, SlipFlag } from "../db/schema";
import { getInstitution, getTemplate, loadPathwayRecords } from "../db/queries/institutions";
import { addNotification, resolveNotifications, type NewNotification } from "../db/queries/notifications";
import { decideReport, getReport, insertReport, listPendingReports, markEscalated, resubmitReport } from "../db/queries/reports";
import { recordTransition, setSlipFlag, type TransitionInput } from "../db/queries/transitions";
import { getTemplateVersion, recordTemplateMove, type TemplateMoveInput } from "../db/queries/templates";
import { evaluateAndStoreStatus } from "../db/queries/status";
import { appendAudit } from "../db/queries/audit";
import type { PathwayEvaluation } from "../app/domain/gate";
import { refusal } from "./refusal";
import { message, type Message } from "../app/i18n/message";
import { render } from "../app/i18n/render";
import { translatorFor } from "../app/i18n/server";

/**
 * Every piece of I/O the pathway workflow does. Each activity is idempotent: ids and keys come
 * from the workflow, so a retry after a crash writes nothing twice.
 */

export interface PathwayStart {
  stageKey: string;
  template: PathwayTemplate;
  lastReportAt: number | null;
  createdAt: number;
  pending: { reportId: string; kind: string; submittedAt: number }[];
  slip: SlipFlag | null;
}

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the data is
 * wrong, and it will be as wrong on the next attempt.
 */
function isPermanent(e: unknown): boolean {
  if (e instanceof NoResultError || e instanceof ReportNotApplicableError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/**
 * Runs `fn`, turning errors no retry can fix into a non-retryable failure that says what went
 * wrong. Anything else (a lost connection, a database restarting) is thrown as is and retried.
 */
async function failFastOnBadData<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApplicationFailure || !isPermanent(e)) throw e;
    const detail = e instanceof NoResultError ? "it names a record this institution does not have" : (e as Error).message;
    throw refusal(e instanceof NoResultError ? "NOT_FOUND" : "NOT_APPLICABLE", {}, `${what}: ${detail}`);
  }
}

const english = translatorFor("en");

/**
 * What the workflow asks to be said: a message key (stored, rendered for each reader) or, from an
 * activity scheduled by workflow code before message keys, an English text (stored as it is).
 */
function said(text: string | Message): { message: string; note: Message | null } {
  return typeof text === "string" ? { message: text, note: null } : { message: render(english, text), note: text };
}

/**
 * What a notification the workflow asks for is about, read from its id (the workflow's ids say
 * it: `decision-<report id>`), so that acting on the report resolves it; and where it points.
 */
function about(id: string, institutionId: string): { subjectId: string | null; link: string | null } {
  const decision = /^decision-(.+)$/.exec(id);
  if (decision) return { subjectId: decision[1], link: `/institutions/${institutionId}/reports/${decision[1]}` };
  return { subjectId: null, link: null };
}

/** The ILO's notification that a report (or a report's revision) waits for verification. */
function toVerify(report: MilestoneReport, revision: number, at: number): NewNotification {
  const note = message("notice.reportToVerify", { kind: message(`kind.${report.kind}`) });
  return {
    id: `to-verify-${report.reportId}-${revision}`,
    institutionId: report.institutionId,
    kind: "report_to_verify",
    audience: "ilo",
    subjectId: report.reportId,
    link: `/institutions/${report.institutionId}/reports/${report.reportId}`,
    ...said(note),
    at: new Date(at),
  };
}

export function createActivities(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  return {
    async loadPathwayStart(institutionId: string): Promise<PathwayStart> {
      const inst = await getInstitution(db, institutionId);
      if (!inst) throw new Error(`Institution ${institutionId} does not exist`);
      const pending = await listPendingReports(db, institutionId);
      return {
        stageKey: inst.stage_key,
        template: await getTemplate(db, inst.template_id),
        lastReportAt: inst.last_report_at ? inst.last_report_at.getTime() : null,
        createdAt: inst.created_at.getTime(),
        pending: pending.map((p) => ({ reportId: p.id, kind: p.kind, submittedAt: p.submitted_at.getTime() })),
        slip: inst.slip_flag,
      };
    },

    async loadTemplate(templateId: string): Promise<PathwayTemplate> {
      return getTemplate(db, templateId);
    },

    /** Used by workflow code up to version 3, which evaluated gates itself; kept for those histories. */
    async loadRecords(institutionId: string): Promise<PathwayRecords> {
      return loadPathwayRecords(db, institutionId);
    },

    /**
     * Evaluates the institution's pathway at the stage and on the template the workflow holds,
     * with the rules as they are today, and stores the result for the pages. The result is
     * recorded in the workflow's history, so the rules can change without breaking replay.
     */
    async evaluatePathway(input: {
      institutionId: string;
      templateId: string;
      stageKey: string;
      at: number;
    }): Promise<PathwayEvaluation> {
      return evaluateAndStoreStatus(db, {
        institutionId: input.institutionId,
        templateId: input.templateId,
        stageKey: input.stageKey,
        at: new Date(input.at),
      });
    },

    async recordReport(report: MilestoneReport, at: number) {
      return failFastOnBadData("The report cannot be stored", () =>
        db.transaction().execute(async (trx) => {
          const existing = await getReport(trx, report.reportId);
          if (existing && existing.institution_id !== report.institutionId) {
            throw refusal(
              "OTHER_INSTITUTION",
              { reportId: report.reportId },
              "This report id belongs to another institution's report",
            );
          }
          const result = await insertReport(trx, report, new Date(at));
          if (result.created) {
            // A report answers the reminders to report; the ILO is told it waits to be verified.
            await resolveNotifications(trx, { kinds: ["reminder"], institutionId: report.institutionId, at: new Date(at) });
            await addNotification(trx, toVerify(report, 1, at));
          }
          return result;
        }),
      );
    },

    async recordResubmission(report: MilestoneReport, at: number) {
      return failFastOnBadData("The report cannot be sent again", () =>
        db.transaction().execute(async (trx) => {
          const result = await resubmitReport(trx, report, new Date(at));
          if (result.applied) {
            await resolveNotifications(trx, { kinds: ["returned"], subjectId: report.reportId, at: new Date(at) });
            await addNotification(trx, toVerify(report, result.revision, at));
          }
          return result;
        }),
      );
    },

    async recordDecision(decision: ReportDecision, at: number, certificationValidityMonths: number) {
      return failFastOnBadData("The report cannot be applied", () =>
        db.transaction().execute(async (trx) => {
          if (!(await getReport(trx, decision.reportId))) {
            throw refusal("NOT_FOUND", { reportId: decision.reportId }, `Report ${decision.reportId} does not exist`);
          }
          const result = await decideReport(trx, decision, new Date(at), certificationValidityMonths);
          if (result.applied) {
            await resolveNotifications(trx, {
              kinds: ["report_to_verify", "escalation"],
              subjectId: decision.reportId,
              at: new Date(at),
            });
          }
          return result;
        }),
      );
    },

    async recordTransition(t: Omit<TransitionInput, "at"> & { at: number }) {
      return db.transaction().execute(async (trx) => {
        const result = await recordTransition(trx, { ...t, at: new Date(t.at) });
        // The stage moved: "gate met" at the stage it left has been acted on.
        await resolveNotifications(trx, { kinds: ["gate_met"], institutionId: t.institutionId, at: new Date(t.at) });
        return result;
      });
    },

    async recordSlipFlag(institutionId: string, flag: SlipFlag | null, at: number) {
      await db.transaction().execute((trx) => setSlipFlag(trx, institutionId, flag, "pathway-workflow", new Date(at)));
    },

    async notify(n: Omit<NewNotification, "at" | "message" | "note"> & { at: number; message?: string; note?: Message }) {
      const { note, message, ...rest } = n;
      return addNotification(db, {
        ...rest,
        ...about(n.id, n.institutionId),
        ...said(note ?? message ?? ""),
        at: new Date(n.at),
      });
    },

    async escalateReport(reportId: string, institutionId: string, at: number, text: string | Message) {
      await db.transaction().execute(async (trx) => {
        await markEscalated(trx, reportId, new Date(at));
        await addNotification(trx, {
          id: `escalation-${reportId}`,
          institutionId,
          subjectId: reportId,
          link: `/institutions/${institutionId}/reports/${reportId}`,
          kind: "escalation",
          audience: "ilo",
          ...said(text),
          at: new Date(at),
        });
      });
    },

    // ── Template moves ──────────────────────────────────────────────────────────────────
    /** The template an institution is being moved to: it must be published and fit the institution's country. */
    async loadMoveTarget(institutionId: string, templateId: string): Promise<PathwayTemplate> {
      const [inst, target] = await Promise.all([getInstitution(db, institutionId), getTemplateVersion(db, templateId)]);
      if (!inst) throw refusal("NOT_FOUND", { institutionId }, `Institution ${institutionId} does not exist`);
      if (!target) throw refusal("NOT_FOUND", { template: templateId }, `Template ${templateId} does not exist`);
      if (target.status !== "published")
        throw refusal("TEMPLATE_NOT_PUBLISHED", { template: templateId }, `Template ${templateId} is not published`);
      if (target.countryCode && target.countryCode !== inst.country_code) {
        throw refusal("TEMPLATE_OTHER_COUNTRY", { template: templateId }, `Template ${templateId} is for another country`);
      }
      return { id: target.id, key: target.key, version: target.version, name: target.name, definition: target.definition };
    },

    async recordTemplateMove(m: Omit<TemplateMoveInput, "at"> & { at: number }) {
      return db.transaction().execute((trx) => recordTemplateMove(trx, { ...m, at: new Date(m.at) }));
    },

    // ── History imported (decision 023) ──────────────────────────────────────────────────
    /**
     * The stage an import left the institution at, for its pathway to take. When the pathway
     * stood elsewhere, the audit log says that it took the imported stage (once per cause and
     * stage, so a retried activity writes one entry).
     */
    async takeImportedStage(input: { institutionId: string; workflowStage: string; cause: string; at: number }) {
      return db.transaction().execute(async (trx) => {
        const inst = await trx
          .selectFrom("institutions")
          .select(["stage_key", "stage_entered_at"])
          .where("id", "=", input.institutionId)
          .executeTakeFirst();
        if (!inst)
          throw refusal("NOT_FOUND", { institutionId: input.institutionId }, `Institution ${input.institutionId} does not exist`);
        const enteredAt = new Date(inst.stage_entered_at).getTime();
        if (inst.stage_key !== input.workflowStage) {
          const told = await trx
            .selectFrom("audit_log")
            .select("id")
            .where("action", "=", "pathway.stage_imported")
            .where("entity_id", "=", input.institutionId)
            .where(sql<boolean>`after->>'cause' = ${input.cause} and after->>'stage' = ${inst.stage_key}`)
            .executeTakeFirst();
          if (!told)
            await appendAudit(trx, {
              actor: "pathway-workflow",
              action: "pathway.stage_imported",
              entityType: "institution",
              entityId: input.institutionId,
              institutionId: input.institutionId,
              before: { stage: input.workflowStage },
              after: { stage: inst.stage_key, enteredAt: new Date(enteredAt).toISOString(), cause: input.cause },
              at: new Date(input.at),
            });
        }
        return { stageKey: inst.stage_key, enteredAt };
      });
    },
  };
}

export type PathwayActivities = ReturnType<typeof createActivities>;
