import { defineQuery, defineUpdate } from "@temporalio/workflow";
import type { GateResult } from "../app/domain/gate";
import type { MilestoneReport, ReportDecision } from "../app/domain/reports";
import type { Message } from "../app/i18n/message";

/**
 * Names shared by the workflow, the worker and the web app. These strings are part of every
 * recorded history: never rename one once deployed.
 */

export const DEFAULT_TASK_QUEUE = "pathways";
export const PATHWAY_WORKFLOW_TYPE = "pathwayWorkflow";

export function pathwayWorkflowId(institutionId: string): string {
  return `pathway-${institutionId}`;
}

export interface SignOffInput {
  /** The stage the officer saw the institution at: a second click after the move is refused. */
  fromStage: string;
  decidedBy: string;
  note: string;
}

export interface SlipDecisionInput {
  confirm: boolean;
  decidedBy: string;
  reason: string;
}

export interface PendingReport {
  kind: string;
  submittedAt: number;
  escalated: boolean;
}

export interface SlipCandidate {
  toStage: string;
  reason: string;
  /** The reason as a message key (slips flagged since message keys); absent in older state. */
  reasonMessage?: Message;
  flaggedAt: number;
}

/** What the workflow carries across continue-as-new. Small on purpose: records stay in the database. */
export interface PathwayState {
  templateId: string;
  stageKey: string;
  pending: Record<string, PendingReport>;
  lastReportAt: number;
  lastReminderAt: number | null;
  nextReviewAt: number;
  floorMisses: Record<string, number>;
  slip: SlipCandidate | null;
  /** The stage whose gate-met notice was sent, so it is sent once per stage. */
  gateMetNotified: string | null;
}

export interface PathwayWorkflowInput {
  institutionId: string;
  state?: PathwayState;
}

export interface PathwayView {
  institutionId: string;
  templateId: string;
  stageKey: string;
  nextGate: GateResult | null;
  awaitingSignOff: boolean;
  pendingReports: string[];
  slip: SlipCandidate | null;
}

export interface ReportReceipt {
  reportId: string;
  created: boolean;
  status: string;
}

export interface DecisionReceipt {
  reportId: string;
  status: string;
  nextGate: GateResult | null;
}

export interface StageReceipt {
  stageKey: string;
  nextGate: GateResult | null;
}

export const reportMilestoneUpdate = defineUpdate<ReportReceipt, [MilestoneReport]>("reportMilestone");
export interface ResubmissionReceipt {
  reportId: string;
  applied: boolean;
  revision: number;
  status: string;
}

/** A returned report, fixed and sent again under its own id. Added in version 2 of the workflow code. */
export const resubmitReportUpdate = defineUpdate<ResubmissionReceipt, [MilestoneReport]>("resubmitReport");
export const decideReportUpdate = defineUpdate<DecisionReceipt, [ReportDecision]>("decideReport");
export const signOffStageUpdate = defineUpdate<StageReceipt, [SignOffInput]>("signOffStage");
export const decideSlipUpdate = defineUpdate<StageReceipt, [SlipDecisionInput]>("decideSlip");
export const pathwayStateQuery = defineQuery<PathwayView>("pathwayState");

// ---- Readiness scorecard (issue 4) -------------------------------------------------------------

export interface AssessmentRecordedInput {
  /** The stored ILO assessment. The web app sends the update with id `assessment-<id>`, so a retry is one update. */
  assessmentId: string;
}

export interface AssessmentReceipt {
  nextGate: GateResult | null;
}

/**
 * An ILO readiness assessment was stored: the workflow reads the records again and re-evaluates
 * its gate (gate-met notice, sign-off validator). Added with the readiness scorecard (issue 4).
 */
export const assessmentRecordedUpdate = defineUpdate<AssessmentReceipt, [AssessmentRecordedInput]>("assessmentRecorded");
// ── Template moves (version 3 of the workflow code) ──────────────────────────────────────
export interface TemplateMoveInput {
  /** One id per institution and move: a retry with the same id changes nothing more. */
  moveId: string;
  templateId: string;
  decidedBy: string;
  reason: string;
}

export interface TemplateMoveReceipt {
  /** False when the institution was already on the template (a retried move). */
  moved: boolean;
  templateId: string;
  stageKey: string;
  nextGate: GateResult | null;
}

/** An ILO administrator moves a running institution to another published template version. */
export const moveTemplateUpdate = defineUpdate<TemplateMoveReceipt, [TemplateMoveInput]>("moveTemplate");

// ── Records changed (version 4 of the workflow code) ─────────────────────────────────────
export interface RecordsChangedInput {
  /** What changed them, for the history: e.g. `import:<batch id>`, `start-up`. */
  cause: string;
}

export interface RecordsChangedReceipt {
  nextGate: GateResult | null;
}

/**
 * An institution's records changed outside the workflow (a bulk import, an upgrade that added
 * the status read model): the workflow evaluates its gate again, through the evaluation
 * activity, which stores the result for the pages.
 */
export const recordsChangedUpdate = defineUpdate<RecordsChangedReceipt, [RecordsChangedInput]>("recordsChanged");

// ── History imported (version 6 of the workflow code) ───────────────────────────────────
export interface HistoryImportedInput {
  /** What brought the history in, for the history and the audit log: e.g. `import-<batch id>`. */
  cause: string;
}

export interface HistoryImportedReceipt {
  /** False when the pathway was already at the stored stage (a retried update) or the stored stage lies behind. */
  moved: boolean;
  stageKey: string;
  nextGate: GateResult | null;
}

/**
 * A stage-history import moved the institution in the database to a further stage, dated in the
 * past: the workflow takes that stage as its current one, without a sign-off (decision 023).
 */
export const historyImportedUpdate = defineUpdate<HistoryImportedReceipt, [HistoryImportedInput]>("historyImported");
