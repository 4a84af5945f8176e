import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from "@temporalio/workflow";
import { DAY_MS, dateMs, isoDate } from "../app/domain/dates";
import type { FloorFailure, GateResult, PathwayEvaluation } from "../app/domain/gate";
import { MilestoneReportSchema, ReportDecisionSchema } from "../app/domain/reports";
import { stageIndex, stageName, type PathwayTemplate } from "../app/domain/template";
import type { PathwayActivities } from "./activities";
import { timerJitterMs } from "./jitter";
import * as legacyRules from "./legacy/gate-v3";
import { message, type Message } from "../app/i18n/message";
import { isRefusalCode, refusal, type RefusalCode, type RefusalParams } from "./refusal";
import {
  assessmentRecordedUpdate,
  decideReportUpdate,
  decideSlipUpdate,
  historyImportedUpdate,
  moveTemplateUpdate,
  pathwayStateQuery,
  recordsChangedUpdate,
  reportMilestoneUpdate,
  resubmitReportUpdate,
  signOffStageUpdate,
  type PathwayState,
  type PathwayWorkflowInput,
} from "./shared";

// Inside the workflow sandbox Date.now() is Temporal's deterministic clock (the time of the
// current workflow task), the same on every replay.

const acts = proxyActivities<PathwayActivities>({
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "1 minute" },
});

/**
 * Version 4 of the workflow code: gates, floors and the next certification expiry are evaluated
 * by the `evaluatePathway` activity, whose result is recorded in history and stored for the
 * pages. Runs begun before it evaluated with rules inside the workflow; while replaying them the
 * patch is absent, and they keep the frozen rules of workflows/legacy/gate-v3.ts until a
 * `recordsChanged` update moves them over (decision 005).
 */
export const GATE_IN_ACTIVITY_PATCH = "gate-evaluated-in-activity";

/**
 * Refusals from update handlers carry a code (workflows/refusal.ts) instead of a sentence. A
 * failed update's outcome is recorded in history, so the change is a patch: a handler that
 * refused in a recorded history refuses the same way when replayed.
 */
export const REFUSAL_CODES_PATCH = "refusal-codes";

/** A refusal thrown by an update handler: coded, or as workflow code up to version 4 threw it. */
function refuse(code: RefusalCode, params: RefusalParams, legacyMessage: string, legacyType: string): never {
  if (patched(REFUSAL_CODES_PATCH)) throw refusal(code, params, legacyMessage);
  throw ApplicationFailure.nonRetryable(legacyMessage, legacyType);
}

/**
 * Timers fire a per-pathway offset late (workflows/jitter.ts), so pathways created or started
 * together do not all wake in the same second. A run begun before the patch keeps its timers
 * on the exact time until it continues as new.
 */
export const TIMER_JITTER_PATCH = "timer-jitter";

/**
 * Version 6: a stage-history import moves an institution in the database to a further stage; the
 * `historyImported` update makes the running pathway take it as its current stage, without a
 * sign-off (decision 023). Histories from before it hold no such update and replay unchanged;
 * those that took an imported stage carry this marker, so a later change to the handler can
 * tell them apart.
 */
export const HISTORY_IMPORT_PATCH = "history-import";

/**
 * Version 7: a timer already overdue when a run begins (an institution imported with years of
 * history, its last report long past) fires the pathway's jitter offset after the run's start,
 * not at once: five thousand pathways started together would otherwise all remind in the same
 * minutes, a wave their worker, Temporal and the readers’ pages would share (decision 041).
 * Timers that fall due later in the run fire their offset after the due time, as before. Runs
 * begun before this marker keep firing overdue timers at once.
 */
export const OVERDUE_SPREAD_PATCH = "overdue-timer-spread";

/** Beyond this many events the workflow starts afresh with its small state. */
const HISTORY_EVENTS_LIMIT = 4_000;

function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_LIMIT;
}

/**
 * An activity that gave up for good (the report names a trainer the institution does not have,
 * a module that does not exist…) fails the update with the activity's own words, not the
 * workflow: the caller sees why, and the report stays pending for another decision.
 */
function asUpdateFailure(e: unknown): unknown {
  if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.nonRetryable) {
    const cause = e.cause;
    if (patched(REFUSAL_CODES_PATCH)) {
      const code = isRefusalCode(cause.type) ? cause.type : "NOT_APPLICABLE";
      return refusal(code, (cause.details?.[0] as RefusalParams | undefined) ?? {}, cause.message);
    }
    return ApplicationFailure.nonRetryable(cause.message, cause.type ?? "ActivityFailed");
  }
  return e;
}

/**
 * One partner institution's pathway, for as long as the partnership lasts. Reports, ILO
 * decisions and sign-offs arrive as updates; reminders, escalations and floor reviews are
 * timers whose durations come from the institution's template.
 */
export async function pathwayWorkflow(input: PathwayWorkflowInput): Promise<void> {
  const { institutionId } = input;
  /** When this run began (workflow time): the earliest an overdue timer fires, plus the jitter. */
  const runBegan = Date.now();
  /** True when gates are evaluated by the activity; false for a run begun by workflow code up to version 3. */
  let gateInActivity = patched(GATE_IN_ACTIVITY_PATCH);
  let state: PathwayState | undefined = input.state;
  let template: PathwayTemplate | undefined;
  let nextGate: GateResult | null = null;
  let nextExpiryAt: number | null = null;
  /** False until the first gate evaluation: before it, validators cannot know the gate. */
  let gateEvaluated = false;
  let wake = false;
  let busy = false;

  const ready = () => state !== undefined && template !== undefined;
  const def = () => template!.definition;
  const days = (n: number) => n * DAY_MS;

  /**
   * Handlers and timers take turns, so each sees the state the previous one left. The lock is
   * taken inside the condition: Temporal checks every blocked condition in one pass when the
   * lock is released, and a plain `!busy` would let all the waiters through together. Taken
   * this way, the first waiter (in arrival order) gets it and the rest see it taken.
   */
  function claimLock(): boolean {
    if (!ready() || busy) return false;
    busy = true;
    return true;
  }

  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(claimLock);
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  /**
   * One evaluation of the institution at its current stage. The activity evaluates with today's
   * rules and stores the result for the pages; a run begun before version 4 loads its records
   * and applies the frozen rules, exactly as it did when its history was recorded.
   */
  async function evaluate(): Promise<PathwayEvaluation> {
    if (gateInActivity) {
      return acts.evaluatePathway({ institutionId, templateId: state!.templateId, stageKey: state!.stageKey, at: Date.now() });
    }
    const records = await acts.loadRecords(institutionId);
    const now = Date.now();
    const def = template!.definition as legacyRules.LegacyTemplateDefinition;
    return {
      nextGate: legacyRules.evaluateNextGate(def, state!.stageKey, records, now) as GateResult | null,
      failingFloors: legacyRules.failingFloors(def, state!.stageKey, records, now) as FloorFailure[],
      nextExpiryOn: legacyRules.nextCertificationExpiry(records, now),
    };
  }

  async function refreshGate(evaluation?: PathwayEvaluation): Promise<GateResult | null> {
    const ev = evaluation ?? (await evaluate());
    const now = Date.now();
    nextGate = ev.nextGate;
    gateEvaluated = true;
    nextExpiryAt = ev.nextExpiryOn ? dateMs(ev.nextExpiryOn) : null;
    if (nextGate?.met && state!.gateMetNotified !== state!.stageKey) {
      state!.gateMetNotified = state!.stageKey;
      await acts.notify({
        id: `gate-met-${institutionId}-${state!.stageKey}-${isoDate(now)}`,
        institutionId,
        kind: "gate_met",
        audience: "ilo",
        note: message("notice.gateMet", { stage: nextGate.stageName }),
        at: now,
      });
    }
    return nextGate;
  }

  /** `reasonMessage` when the reason is the workflow's own (a floor missed), not the officer's words. */
  async function moveTo(
    toStage: string,
    kind: "advance" | "slip_back",
    decidedBy: string,
    reason: string,
    reasonMessage?: Message,
  ) {
    const transitionId = uuid4();
    await acts.recordTransition({
      id: transitionId,
      institutionId,
      fromStage: state!.stageKey,
      toStage,
      kind,
      reason,
      reasonMessage: reasonMessage ?? null,
      decidedBy,
      at: Date.now(),
    });
    state!.stageKey = toStage;
    state!.floorMisses = {};
    state!.slip = null;
    state!.gateMetNotified = null;
    await acts.notify({
      id: `stage-${transitionId}`,
      institutionId,
      kind: "signed_off",
      audience: "institution",
      note:
        kind === "advance"
          ? message("notice.signedOff", { stage: stageName(def(), toStage) })
          : message("notice.movedBack", { stage: stageName(def(), toStage), reason: reasonMessage ?? reason }),
      at: Date.now(),
    });
  }

  /**
   * Checks the floors of every stage reached; `scheduled` reviews count towards consecutive
   * misses. Returns the evaluation it used, which also holds the next gate.
   */
  async function reviewFloors(scheduled: boolean): Promise<PathwayEvaluation> {
    const ev = await evaluate();
    const now = Date.now();
    const failures = ev.failingFloors;
    const failingKeys = new Set(failures.map((f) => `${f.stageKey}.${f.criterion.key}`));
    if (scheduled) {
      for (const key of Object.keys(state!.floorMisses)) if (!failingKeys.has(key)) delete state!.floorMisses[key];
      for (const key of failingKeys) state!.floorMisses[key] = (state!.floorMisses[key] ?? 0) + 1;
    }
    const due = failures.filter((f) =>
      scheduled ? state!.floorMisses[`${f.stageKey}.${f.criterion.key}`] >= f.consecutiveReviews : f.consecutiveReviews <= 1,
    );
    if (due.length > 0 && !state!.slip) {
      const lowest = due.reduce((a, b) => (stageIndex(def(), a.stageKey) <= stageIndex(def(), b.stageKey) ? a : b));
      const toStage = def().stages[stageIndex(def(), lowest.stageKey) - 1].key;
      const c = lowest.criterion;
      const reason = `${c.label}: ${c.value} against ${c.threshold} required (${c.basis})`;
      const reasonMessage = message("notice.slipReason", {
        label: c.label,
        value: c.value,
        threshold: c.threshold,
        basis: c.basisMessage ?? c.basis,
      });
      state!.slip = { toStage, reason, reasonMessage, flaggedAt: now };
      await acts.recordSlipFlag(institutionId, { toStage, reason, reasonMessage, flaggedAt: new Date(now).toISOString() }, now);
      await acts.notify({
        id: `slip-${institutionId}-${lowest.stageKey}-${isoDate(now)}`,
        institutionId,
        kind: "slip_flagged",
        audience: "ilo",
        note: message("notice.slipFlagged", { stage: stageName(def(), toStage), reason: reasonMessage }),
        at: now,
      });
    } else if (failures.length === 0 && state!.slip) {
      state!.slip = null;
      await acts.recordSlipFlag(institutionId, null, now);
    }
    nextExpiryAt = ev.nextExpiryOn ? dateMs(ev.nextExpiryOn) : null;
    return ev;
  }

  /**
   * A review evaluates once and gives the same result to the floors and the gate. A run begun
   * before version 4 loaded its records twice, and replays that way.
   */
  async function reviewThenRefresh(scheduled: boolean, nextReviewAt?: number) {
    const ev = await reviewFloors(scheduled);
    if (nextReviewAt !== undefined) state!.nextReviewAt = nextReviewAt;
    await refreshGate(gateInActivity ? ev : undefined);
  }

  /** Refuses a report before it enters history: bad shape, or another institution's. */
  function assertValidReport(report: unknown & { institutionId?: string }) {
    const parsed = MilestoneReportSchema.safeParse(report);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join(".");
      throw refusal("INVALID_INPUT", { field, issue: issue.message }, `Invalid report: ${field}: ${issue.message}`);
    }
    if (parsed.data.institutionId !== institutionId)
      throw refusal("OTHER_INSTITUTION", {}, "This report belongs to another institution");
  }

  // Handlers are set before any await, so no message arrives to a workflow without them.
  setHandler(pathwayStateQuery, () => ({
    institutionId,
    templateId: state?.templateId ?? "",
    stageKey: state?.stageKey ?? "",
    nextGate,
    awaitingSignOff: nextGate?.met ?? false,
    pendingReports: Object.keys(state?.pending ?? {}),
    slip: state?.slip ?? null,
  }));

  setHandler(
    reportMilestoneUpdate,
    async (report) =>
      exclusive(async () => {
        const now = Date.now();
        const stored = await acts.recordReport(report, now).catch((e) => {
          throw asUpdateFailure(e);
        });
        // A retry of an activity whose first attempt committed finds the row already there:
        // the report is new to the workflow all the same, and must wait for a decision.
        const created = stored.created || (stored.status === "submitted" && !state!.pending[report.reportId]);
        if (created) {
          state!.pending[report.reportId] = { kind: report.kind, submittedAt: now, escalated: false };
          state!.lastReportAt = now;
          wake = true;
        }
        return { reportId: report.reportId, created, status: stored.status };
      }),
    {
      validator: assertValidReport,
    },
  );

  // Version 2 of the workflow code. A new handler adds no command to old histories (no update of
  // this name exists in them), so it needs no patch; the replay test of v1 histories guards that.
  setHandler(
    resubmitReportUpdate,
    async (report) =>
      exclusive(async () => {
        const now = Date.now();
        const result = await acts.recordResubmission(report, now).catch((e) => {
          throw asUpdateFailure(e);
        });
        if (result.applied || (result.status === "submitted" && !state!.pending[report.reportId])) {
          state!.pending[report.reportId] = { kind: report.kind, submittedAt: now, escalated: false };
          state!.lastReportAt = now;
          wake = true;
        }
        return { reportId: report.reportId, ...result };
      }),
    {
      validator: (report) => {
        assertValidReport(report);
        if (state?.pending[report.reportId]) {
          throw refusal("ALREADY_PENDING", { reportId: report.reportId }, "This report is already waiting for verification");
        }
      },
    },
  );

  setHandler(
    decideReportUpdate,
    async (decision) =>
      exclusive(async () => {
        if (!state!.pending[decision.reportId]) {
          refuse("ALREADY_DECIDED", { reportId: decision.reportId }, "This report is not waiting for a decision", "NotPending");
        }
        const now = Date.now();
        const result = await acts.recordDecision(decision, now, def().timers.certificationValidityMonths).catch((e) => {
          throw asUpdateFailure(e);
        });
        delete state!.pending[decision.reportId];
        if (result.status === "returned" || result.status === "rejected") {
          await acts.notify({
            id: `decision-${decision.reportId}`,
            institutionId,
            kind: "returned",
            audience: "institution",
            note: message("notice.decided", { status: message(`status.${result.status}`), comment: decision.comment }),
            at: now,
          });
        }
        wake = true;
        return { reportId: decision.reportId, status: result.status, nextGate: await refreshGate() };
      }),
    {
      validator: (decision) => {
        const parsed = ReportDecisionSchema.safeParse(decision);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw refusal("INVALID_INPUT", { field: issue.path.join("."), issue: issue.message }, issue.message);
        }
        if (state && !state.pending[decision.reportId]) {
          throw refusal("ALREADY_DECIDED", { reportId: decision.reportId }, "This report is not waiting for a decision");
        }
      },
    },
  );

  setHandler(
    signOffStageUpdate,
    async (input) =>
      exclusive(async () => {
        if (input.fromStage !== state!.stageKey) {
          refuse("WRONG_STAGE", { stage: input.fromStage }, `The institution is no longer at ${input.fromStage}`, "StageMoved");
        }
        const gate = await refreshGate();
        if (!gate?.met) refuse("GATE_NOT_MET", {}, "The gate to the next stage is not met", "GateNotMet");
        await moveTo(gate.stageKey, "advance", input.decidedBy, input.note);
        wake = true;
        return { stageKey: state!.stageKey, nextGate: await refreshGate() };
      }),
    {
      validator: (input) => {
        if (!input.decidedBy) throw refusal("ACTOR_REQUIRED", {}, "A sign-off needs the name of the officer");
        if (!state || !template) return;
        if (input.fromStage !== state.stageKey) {
          throw refusal("WRONG_STAGE", { stage: input.fromStage }, `The institution is no longer at ${input.fromStage}`);
        }
        if (stageIndex(def(), state.stageKey) === def().stages.length - 1)
          throw refusal("LAST_STAGE", {}, "The institution is at the last stage");
        if (gateEvaluated && !nextGate?.met) throw refusal("GATE_NOT_MET", {}, "The gate to the next stage is not met");
      },
    },
  );

  setHandler(
    decideSlipUpdate,
    async (input) =>
      exclusive(async () => {
        const slip = state!.slip;
        if (!slip) refuse("NO_SLIP", {}, "No slip back is waiting for a decision", "NoSlip");
        if (input.confirm) {
          if (input.reason) await moveTo(slip.toStage, "slip_back", input.decidedBy, input.reason);
          else await moveTo(slip.toStage, "slip_back", input.decidedBy, slip.reason, slip.reasonMessage);
        } else {
          state!.slip = null;
          state!.floorMisses = {};
          await acts.recordSlipFlag(institutionId, null, Date.now());
        }
        wake = true;
        return { stageKey: state!.stageKey, nextGate: await refreshGate() };
      }),
    {
      validator: (input) => {
        if (!input.decidedBy) throw refusal("ACTOR_REQUIRED", {}, "A decision needs the name of the officer");
        if (state && !state.slip) throw refusal("NO_SLIP", {}, "No slip back is waiting for a decision");
      },
    },
  );

  // ---- Readiness scorecard (issue 4) ----------------------------------------------------------
  // An ILO assessment was stored: evaluate the gate again with it. A new handler adds no command
  // to old histories (none holds an update of this name), so it needs no patch.
  setHandler(assessmentRecordedUpdate, async () => exclusive(async () => ({ nextGate: await refreshGate() })), {
    validator: (input) => {
      if (typeof input?.assessmentId !== "string" || input.assessmentId === "") {
        throw refusal("INVALID_INPUT", { field: "assessmentId" }, "An assessment id is needed");
      }
    },
  });
  // ---- end of the readiness scorecard block ---------------------------------------------------
  // ── Template moves (version 3 of the workflow code) ──────────────────────────────────
  // A new handler: old histories hold no such update, so it needs no patch (decision 005, 3).
  // The stage, transitions and reports stay as they are; the next gate is judged by the new
  // version at once. A stage the new version does not have refuses the move.
  setHandler(
    moveTemplateUpdate,
    async (input) =>
      exclusive(async () => {
        if (state!.templateId === input.templateId) {
          return { moved: false, templateId: state!.templateId, stageKey: state!.stageKey, nextGate };
        }
        const next = await acts.loadMoveTarget(institutionId, input.templateId).catch((e) => {
          throw asUpdateFailure(e);
        });
        if (!next.definition.stages.some((s) => s.key === state!.stageKey)) {
          refuse(
            "STAGE_NOT_IN_TEMPLATE",
            { template: next.id, stage: state!.stageKey },
            `${next.id} has no stage "${state!.stageKey}", where the institution is: the move is refused`,
            "StageNotInTemplate",
          );
        }
        await acts.recordTemplateMove({
          moveId: input.moveId,
          institutionId,
          fromTemplateId: state!.templateId,
          toTemplateId: next.id,
          stageKey: state!.stageKey,
          reason: input.reason,
          decidedBy: input.decidedBy,
          at: Date.now(),
        });
        template = next;
        state!.templateId = next.id;
        // Misses counted against floors the new version no longer has are forgotten.
        const floors = new Set(
          next.definition.stages.flatMap((s) => s.gate.filter((c) => c.floor).map((c) => `${s.key}.${c.key}`)),
        );
        for (const key of Object.keys(state!.floorMisses)) if (!floors.has(key)) delete state!.floorMisses[key];
        state!.gateMetNotified = null;
        wake = true;
        return { moved: true, templateId: next.id, stageKey: state!.stageKey, nextGate: await refreshGate() };
      }),
    {
      validator: (input) => {
        if (!input.moveId || !input.templateId) {
          throw refusal(
            "INVALID_INPUT",
            { field: input.moveId ? "templateId" : "moveId" },
            "A move needs a move id and a template",
          );
        }
        if (!input.decidedBy) throw refusal("ACTOR_REQUIRED", {}, "A move needs the name of the administrator");
        if (!input.reason?.trim()) throw refusal("REASON_REQUIRED", { field: "reason" }, "A move needs a reason");
      },
    },
  );
  // ── end of template moves ────────────────────────────────────────────────────────────

  // ── Records changed (version 4 of the workflow code) ─────────────────────────────────
  // Records changed outside the workflow (an import; an upgrade that added the status read
  // model): evaluate again through the activity, which stores the result for the pages. A run
  // begun before version 4 moves over to the activity here: the update is in its history from
  // now on, so its replay takes the same turn. A new handler: no patch (decision 005, 3).
  setHandler(
    recordsChangedUpdate,
    async () =>
      exclusive(async () => {
        gateInActivity = true;
        wake = true;
        return { nextGate: await refreshGate() };
      }),
    {
      validator: (input) => {
        if (typeof input?.cause !== "string" || input.cause === "" || input.cause.length > 200) {
          throw refusal("INVALID_INPUT", { field: "cause" }, "A records change needs its cause (at most 200 characters)");
        }
      },
    },
  );
  // ── end of records changed ───────────────────────────────────────────────────────────

  // ── History imported (version 6 of the workflow code, decision 023) ──────────────────
  // The import wrote the institution's dated transitions and its stage in one transaction; the
  // pathway reads that stage through an activity (so replay reuses what it read), takes it when
  // it lies further along its template, forgets what belonged to the stage it left (floor
  // misses, a slip waiting for a decision, the gate-met notice) and evaluates the new gate.
  setHandler(
    historyImportedUpdate,
    async (input) =>
      exclusive(async () => {
        if (!patched(HISTORY_IMPORT_PATCH)) {
          // Unreachable: no history holds this update without the marker. Kept so a replay of
          // one that did would refuse rather than move.
          refuse("NOT_APPLICABLE", {}, "This pathway does not take imported stages", "NotApplicable");
        }
        const stored = await acts
          .takeImportedStage({ institutionId, workflowStage: state!.stageKey, cause: input.cause, at: Date.now() })
          .catch((e) => {
            throw asUpdateFailure(e);
          });
        const to = stageIndex(def(), stored.stageKey);
        if (to < 0) {
          refuse(
            "STAGE_NOT_IN_TEMPLATE",
            { template: state!.templateId, stage: stored.stageKey },
            `${state!.templateId} has no stage "${stored.stageKey}"`,
            "StageNotInTemplate",
          );
        }
        const moved = to > stageIndex(def(), state!.stageKey);
        if (moved) {
          state!.stageKey = stored.stageKey;
          state!.floorMisses = {};
          state!.slip = null;
          state!.gateMetNotified = null;
        }
        // Imported records are judged by today's rules: a run begun before version 4 moves over.
        gateInActivity = true;
        wake = true;
        return { moved, stageKey: state!.stageKey, nextGate: await refreshGate() };
      }),
    {
      validator: (input) => {
        if (typeof input?.cause !== "string" || input.cause === "" || input.cause.length > 200) {
          throw refusal("INVALID_INPUT", { field: "cause" }, "An imported history needs its cause (at most 200 characters)");
        }
      },
    },
  );
  // ── end of history imported ──────────────────────────────────────────────────────────

  if (!state) {
    const start = await acts.loadPathwayStart(institutionId);
    const begun = start.lastReportAt ?? start.createdAt;
    state = {
      templateId: start.template.id,
      stageKey: start.stageKey,
      pending: Object.fromEntries(
        start.pending.map((p) => [p.reportId, { kind: p.kind, submittedAt: p.submittedAt, escalated: false }]),
      ),
      lastReportAt: Math.min(begun, Date.now()),
      lastReminderAt: null,
      nextReviewAt: Date.now() + days(start.template.definition.timers.reviewEveryDays),
      floorMisses: {},
      slip: start.slip
        ? {
            toStage: start.slip.toStage,
            reason: start.slip.reason,
            reasonMessage: start.slip.reasonMessage,
            flaggedAt: Date.parse(start.slip.flaggedAt),
          }
        : null,
      gateMetNotified: null,
    };
    template = start.template;
  } else {
    template = await acts.loadTemplate(state.templateId);
  }
  await exclusive(() => refreshGate());

  /** Decided once per run, where the loop first waits: true in every run begun after the patch. */
  const jittered = patched(TIMER_JITTER_PATCH);
  /** Likewise: overdue at the run's start counts from the start (version 7). */
  const spreadOverdue = jittered && patched(OVERDUE_SPREAD_PATCH);

  for (;;) {
    const timers = def().timers;
    const reminderAt = Math.max(state.lastReportAt, state.lastReminderAt ?? 0) + days(timers.reminderAfterDays);
    const escalations = Object.values(state.pending)
      .filter((p) => !p.escalated)
      .map((p) => p.submittedAt + days(timers.escalateAfterDays));
    const dueAt = Math.min(reminderAt, state.nextReviewAt, nextExpiryAt ?? Infinity, ...escalations);
    const shortest = Math.min(days(timers.reminderAfterDays), days(timers.escalateAfterDays), days(timers.reviewEveryDays));
    const from = spreadOverdue ? Math.max(dueAt, runBegan) : dueAt;
    const nextAt = jittered ? from + timerJitterMs(workflowInfo().workflowId, shortest) : dueAt;
    wake = false;
    // Updates that change nothing (a repeated report) do not wake the loop, but still grow the
    // history: its length wakes the loop too, so continue-as-new is never put off.
    await condition(() => wake || historyTooLong(), Math.max(nextAt - Date.now(), 1));

    await exclusive(async () => {
      const now = Date.now();
      const s = state!;
      if (now >= Math.max(s.lastReportAt, s.lastReminderAt ?? 0) + days(timers.reminderAfterDays)) {
        await acts.notify({
          id: `reminder-${institutionId}-${isoDate(now)}`,
          institutionId,
          kind: "reminder",
          audience: "institution",
          note: message("notice.reminder", { date: isoDate(s.lastReportAt) }),
          at: now,
        });
        s.lastReminderAt = now;
      }
      for (const [reportId, p] of Object.entries(s.pending)) {
        if (!p.escalated && now >= p.submittedAt + days(timers.escalateAfterDays)) {
          await acts.escalateReport(
            reportId,
            institutionId,
            now,
            message("notice.escalation", { kind: message(`kind.${p.kind}`), date: isoDate(p.submittedAt) }),
          );
          p.escalated = true;
        }
      }
      if (now >= s.nextReviewAt) {
        await reviewThenRefresh(true, now + days(timers.reviewEveryDays));
      } else if (nextExpiryAt !== null && now >= nextExpiryAt) {
        await reviewThenRefresh(false);
      }
    });

    if (historyTooLong()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof pathwayWorkflow>({ institutionId, state });
    }
  }
}
