import type { TransitionEvent } from "../../app/features/analytics/analytics";
import type { Db } from "./audit";

/**
 * Queries for the portfolio graph, the stage analytics and the forecasts: the stage transitions of
 * many institutions at once (one query, whatever their number), oldest first.
 */
export async function transitionsFor(db: Db, institutionIds: string[]): Promise<Map<string, TransitionEvent[]>> {
  const out = new Map<string, TransitionEvent[]>(institutionIds.map((id) => [id, []]));
  if (institutionIds.length === 0) return out;
  const rows = await db
    .selectFrom("stage_transitions")
    .select(["institution_id", "from_stage", "to_stage", "kind", "occurred_at"])
    .where("institution_id", "in", [...new Set(institutionIds)])
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
  for (const r of rows)
    out.get(r.institution_id)?.push({ fromStage: r.from_stage, toStage: r.to_stage, kind: r.kind, at: new Date(r.occurred_at) });
  return out;
}
