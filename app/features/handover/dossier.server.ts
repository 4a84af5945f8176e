import { localiseMessage, templateTerms } from "~/i18n/template-labels";
import type { Kysely } from "kysely";
import { isoDate } from "~/domain/dates";
import type { GateResult } from "~/domain/gate";
import { summarisePlan, type PlanSummary } from "~/domain/handover";
import { loadPathwayView } from "~/features/pathway/pathway-view.server";
import type { Database } from "../../../db/schema";
import type { HandoverPlan } from "../../../db/queries/handover";
import { listEntityAudit } from "../../../db/queries/audit";
import { listTransitions } from "../../../db/queries/institutions";
import { unitsPerUsd } from "./plan-form";
import type { Message } from "~/i18n/message";
import { storedMessage } from "~/i18n/render";

/**
 * Everything the handover dossier shows, read once from the database and computed with the same
 * domain functions as the pages (money stays in integer minor units until it is printed).
 */

export type StageState = "reached" | "current" | "next" | "ahead";

export interface Dossier {
  generatedOn: string;
  institution: { id: string; name: string; country: string; type: string };
  stages: { key: string; name: string; state: StageState; reachedOn: string | null }[];
  currentIndex: number;
  stageReachedOn: string;
  /** The next gate as the pathway last evaluated and stored it; null at the last stage or while pending. */
  nextGate: GateResult | null;
  /** The stored evaluation is missing or out of date: the gate is being re-evaluated. */
  gatePending: boolean;
  /** The day the shown gate was evaluated (`YYYY-MM-DD`), null when never. */
  gateEvaluatedOn: string | null;
  plan: HandoverPlan & { unitsPerUsd: string };
  summary: PlanSummary;
  moves: {
    kind: "start" | "advance" | "slip_back";
    from: string | null;
    to: string;
    by: string;
    reason: string | null;
    reasonMessage: Message | null;
    on: string;
  }[];
  /** The plan's audited steps, oldest first: created, edited, submitted, returned, approved… */
  steps: { action: string; by: string; comment: string | null; on: string }[];
}

export async function loadDossier(
  db: Kysely<Database>,
  institutionId: string,
  plan: HandoverPlan,
  now: Date,
  locale?: string,
): Promise<Dossier> {
  const view = await loadPathwayView(db, institutionId, now, locale);
  if (!view) throw new Response("Not found", { status: 404 });
  const def = view.template.definition;
  const stageName = (key: string | null) => (key ? (def.stages.find((s) => s.key === key)?.name ?? key) : null);
  const terms = locale ? templateTerms([view.storedDefinition], locale) : new Map<string, string>();
  const transitions = await listTransitions(db, institutionId);
  // Transitions come newest first: the first one met for a stage is when it was last entered.
  const reachedOn: Record<string, string> = {};
  for (const t of transitions) reachedOn[t.to_stage] ??= isoDate(new Date(t.occurred_at));
  const audit = await listEntityAudit(db, "handover_plan", plan.id);

  const current = view.currentIndex;
  return {
    generatedOn: isoDate(now),
    institution: {
      id: view.institution.id,
      name: view.institution.name,
      country: view.institution.country_name,
      type: view.institution.type,
    },
    stages: def.stages.map((s, i) => ({
      key: s.key,
      name: s.name,
      state: i < current ? "reached" : i === current ? "current" : i === current + 1 ? "next" : "ahead",
      reachedOn: i <= current ? (reachedOn[s.key] ?? null) : null,
    })),
    currentIndex: current,
    stageReachedOn: isoDate(new Date(view.institution.stage_entered_at)),
    nextGate: view.nextGate,
    gatePending: view.gatePending,
    gateEvaluatedOn: view.gateEvaluatedAt ? isoDate(new Date(view.gateEvaluatedAt)) : null,
    plan: { ...plan, unitsPerUsd: unitsPerUsd(plan.usdRate) },
    summary: summarisePlan(plan, def),
    moves: [...transitions].reverse().map((t) => ({
      kind: t.kind,
      from: stageName(t.from_stage),
      to: stageName(t.to_stage)!,
      by: t.decided_by,
      reason: t.reason,
      reasonMessage: localiseMessage(storedMessage(t.reason_key, t.reason_params), terms),
      on: isoDate(new Date(t.occurred_at)),
    })),
    steps: audit.map((a) => ({
      action: a.action.replace(/^handover_plan\./, ""),
      by: a.actor,
      comment: commentOf(a.after),
      on: isoDate(new Date(a.occurred_at)),
    })),
  };
}

function commentOf(after: unknown): string | null {
  const value = typeof after === "string" ? safeJson(after) : after;
  if (value && typeof value === "object") {
    const v = value as { comment?: unknown; note?: unknown };
    const text = typeof v.comment === "string" ? v.comment : typeof v.note === "string" ? v.note : null;
    return text?.trim() ? text.trim() : null;
  }
  return null;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** "Accra Enterprise Skills Centre", "Handover 2027" → "dossier-Accra-Enterprise-Skills-Centre-Handover-2027.pdf" (ASCII only). */
export function safeFileName(prefix: string, parts: string[], ext: string): string {
  const slug = parts
    .join(" ")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 120);
  return `${prefix}${slug ? `-${slug}` : ""}.${ext}`;
}
