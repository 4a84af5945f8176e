import type { Kysely } from "kysely";
import { DAY_MS, isoDate } from "~/domain/dates";
import { METRICS } from "~/domain/gate";
import { REPORT_KINDS, type ReportKind } from "~/domain/reports";
import { stageName } from "~/domain/template";
import { can, type Actor } from "~/platform/access.server";
import type { PathwayView } from "~/features/pathway/pathway-view.server";
import type { Database, ReportStatus } from "../../../db/schema";
import { INSTITUTION_ROLES, INSTITUTION_TYPES, loadInstitutionLists } from "../../../db/queries/institutions";
import { pathwayWorkflowId } from "../../../workflows/shared";
import { storedMessage } from "~/i18n/render";
import { localiseMessage, templateTerms } from "~/i18n/template-labels";

/**
 * Everything the institution page shows besides the pathway view itself. Server-only (the
 * `.server` name keeps zod and the queries out of the browser bundle).
 */

// Postgres rejects a malformed uuid with an error; checking first turns a bad address into a 404.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isInstitutionId(id: string | undefined): id is string {
  return !!id && UUID.test(id);
}

export const REPORT_STATUS_TEXT: Record<ReportStatus, string> = {
  submitted: "Waiting for ILO check",
  verified: "Verified",
  returned: "Returned to the institution",
  rejected: "Rejected",
};

const iso = (d: Date | string) => new Date(d).toISOString();

export interface PageOptions {
  now: Date;
  temporalUiUrl: string | null;
  namespace: string;
  /** The reader's language, for the names the workflow stored inside messages. */
  locale?: string;
}

export async function loadInstitutionDetails(db: Kysely<Database>, view: PathwayView, actor: Actor, opts: PageOptions) {
  const { institution: inst, template, records, currentIndex, nextGate } = view;
  const def = template.definition;
  // Names the workflow stored inside messages, in the reader's language (the view's template is).
  const terms = opts.locale ? templateTerms([view.storedDefinition], opts.locale) : new Map<string, string>();
  const today = isoDate(opts.now);
  const { transitions, reports, notifications, trainers } = await loadInstitutionLists(db, inst.id, 20);

  // When the institution last entered each stage: transitions come newest first.
  const reachedOn: Record<string, string> = {};
  for (const t of transitions) reachedOn[t.to_stage] ??= isoDate(new Date(t.occurred_at));

  const slip = inst.slip_flag;
  const certsById = new Map(records.trainers.map((t) => [t.id, t.certifications]));
  const metricContext = { weights: def.readinessWeights };
  const metric = (key: keyof typeof METRICS, params = {}) => METRICS[key].compute(records, today, params, metricContext).value;
  const trained = records.trainers.filter((t) => t.trainedOn);

  return {
    institution: {
      id: inst.id,
      name: inst.name,
      country: inst.country_name,
      type: INSTITUTION_TYPES[inst.type],
      typeCode: inst.type,
      role: INSTITUTION_ROLES[inst.role],
      roleCode: inst.role,
      discontinued: inst.status === "discontinued",
    },
    template: { name: template.name, version: template.version },
    stages: def.stages.map((s) => ({ key: s.key, name: s.name, description: s.description })),
    currentIndex,
    stageEnteredOn: isoDate(new Date(inst.stage_entered_at)),
    daysInStage: Math.max(0, Math.floor((opts.now.getTime() - new Date(inst.stage_entered_at).getTime()) / DAY_MS)),
    reachedOn,
    nextGate,
    /** The stored gate evaluation is missing or out of date: the page says it is being re-evaluated. */
    gatePending: view.gatePending,
    gateEvaluatedAt: view.gateEvaluatedAt,
    slipFlag: slip && {
      toStage: stageName(def, slip.toStage),
      reason: slip.reason,
      reasonMessage: localiseMessage(slip.reasonMessage ?? null, terms),
      flaggedOn: slip.flaggedAt.slice(0, 10),
    },
    transitions: transitions.map((t) => ({
      id: t.id,
      kind: t.kind,
      from: t.from_stage ? stageName(def, t.from_stage) : null,
      to: stageName(def, t.to_stage),
      reason: t.reason,
      reasonMessage: localiseMessage(storedMessage(t.reason_key, t.reason_params), terms),
      decidedBy: t.decided_by,
      /** Written or re-dated by a stage-history import, not decided here. */
      imported: t.import_batch_id !== null,
      at: iso(t.occurred_at),
    })),
    reports: reports.map((r) => ({
      id: r.id,
      kind: REPORT_KINDS[r.kind as ReportKind]?.label ?? r.kind,
      kindCode: r.kind,
      status: r.status,
      statusText: REPORT_STATUS_TEXT[r.status],
      submittedBy: r.submitted_by,
      submittedAt: iso(r.submitted_at),
      decidedBy: r.decided_by,
      comment: r.decision_comment,
      escalated: !!r.escalated_at && r.status === "submitted",
    })),
    notifications: notifications.map((n) => ({
      id: n.id,
      audience: n.audience,
      message: n.message,
      note: localiseMessage(storedMessage(n.message_key, n.message_params), terms),
      at: iso(n.created_at),
    })),
    trainers: {
      trained: trained.length,
      trainedWomen: trained.filter((t) => t.sex === "female").length,
      certified: metric("certified_trainers"),
      experts: metric("national_expert_trainers"),
      activeSince: METRICS.active_share_certified.compute(records, today, { windowMonths: 12 }, metricContext).basis,
      list: trainers.map((t) => ({
        id: t.id,
        name: t.name,
        sex: t.sex,
        nationalExpert: t.national_expert,
        trainedOn: t.trained_on,
        lastActiveOn: t.last_active_on,
        certifications: (certsById.get(t.id) ?? []).map((c) => ({
          module: c.module,
          until: c.expiresOn,
          lapsed: c.expiresOn <= today,
        })),
      })),
    },
    can: {
      report: can(actor, "report", inst),
      // Signing off and confirming a slip back are both stage moves: the same permission.
      signOff: can(actor, "sign_off", inst),
    },
    temporalUrl: opts.temporalUiUrl
      ? `${opts.temporalUiUrl}/namespaces/${encodeURIComponent(opts.namespace)}/workflows/${encodeURIComponent(pathwayWorkflowId(inst.id))}`
      : null,
  };
}
