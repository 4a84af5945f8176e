import { evaluateNextGate, type GateResult } from "../../domain/gate";
import type { PathwayRecords } from "../../domain/records";
import type { GateCriterion, TemplateDefinition } from "../../domain/template";

/**
 * What moving a running institution to another template version changes, shown before the
 * move is made. Pure: the page computes it from the institution's current records.
 */

export interface CriterionChange {
  stageKey: string;
  stageName: string;
  kind: "added" | "removed" | "changed";
  key: string;
  label: string;
  before: string | null;
  after: string | null;
}

export interface MovePreview {
  /** The institution's stage is not in the new version: the move is refused. */
  stageMissing: boolean;
  changes: CriterionChange[];
  nextGateBefore: GateResult | null;
  nextGateAfter: GateResult | null;
}

/** A criterion in a few words: metric, parameters, threshold and floor. */
export function describeCriterion(c: GateCriterion): string {
  const params = Object.entries(c.params ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `${c.metric}${params ? ` (${params})` : ""} ≥ ${c.threshold}${c.floor ? `, floor after ${c.floor.consecutiveReviews}` : ""}`;
}

/** Gate criteria added, removed or changed, stage by stage (stages matched by key). */
export function diffGates(from: TemplateDefinition, to: TemplateDefinition): CriterionChange[] {
  const changes: CriterionChange[] = [];
  const keys = [...new Set([...from.stages.map((s) => s.key), ...to.stages.map((s) => s.key)])];
  for (const key of keys) {
    const a = from.stages.find((s) => s.key === key);
    const b = to.stages.find((s) => s.key === key);
    const stageName = b?.name ?? a?.name ?? key;
    for (const c of b?.gate ?? []) {
      const old = a?.gate.find((x) => x.key === c.key);
      if (!old)
        changes.push({
          stageKey: key,
          stageName,
          kind: "added",
          key: c.key,
          label: c.label,
          before: null,
          after: describeCriterion(c),
        });
      else if (describeCriterion(old) !== describeCriterion(c)) {
        changes.push({
          stageKey: key,
          stageName,
          kind: "changed",
          key: c.key,
          label: c.label,
          before: describeCriterion(old),
          after: describeCriterion(c),
        });
      }
    }
    for (const c of a?.gate ?? []) {
      if (!b?.gate.some((x) => x.key === c.key)) {
        changes.push({
          stageKey: key,
          stageName,
          kind: "removed",
          key: c.key,
          label: c.label,
          before: describeCriterion(c),
          after: null,
        });
      }
    }
  }
  return changes;
}

export function previewMove(
  from: TemplateDefinition,
  to: TemplateDefinition,
  stageKey: string,
  records: PathwayRecords,
  now: Date | number,
): MovePreview {
  const stageMissing = !to.stages.some((s) => s.key === stageKey);
  return {
    stageMissing,
    changes: diffGates(from, to),
    nextGateBefore: from.stages.some((s) => s.key === stageKey) ? evaluateNextGate(from, stageKey, records, now) : null,
    nextGateAfter: stageMissing ? null : evaluateNextGate(to, stageKey, records, now),
  };
}
