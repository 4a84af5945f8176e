import type { Kysely } from "kysely";
import { stageIndex } from "../../domain/template";
import type { Database } from "../../../db/schema";
import { getTemplate, loadPathwayRecords } from "../../../db/queries/institutions";
import { getInstitutionWithStatus } from "../../../db/queries/pathway-status";

/**
 * One institution's pathway as the pages show it, from the database (the read model). The next
 * gate is the one the pathway workflow last evaluated and stored; nothing is evaluated here. When
 * that evaluation is missing or out of date (`gatePending`), the pages say the gate is being
 * re-evaluated rather than show an old verdict: the workflow evaluates again on its own.
 */
export async function loadPathwayView(db: Kysely<Database>, institutionId: string, now = new Date()) {
  const row = await getInstitutionWithStatus(db, institutionId, now);
  if (!row) return null;
  const { pathwayStatus: status, ...institution } = row;
  const [template, records] = await Promise.all([
    getTemplate(db, institution.template_id),
    loadPathwayRecords(db, institutionId),
  ]);
  const def = template.definition;
  const currentIndex = stageIndex(def, institution.stage_key);
  const lastStage = currentIndex >= def.stages.length - 1;
  return {
    institution,
    template,
    records,
    currentIndex,
    /** The stored next gate; null at the last stage and while the gate is being re-evaluated. */
    nextGate: status.state === "current" && !lastStage ? status.nextGate : null,
    /** The stored evaluation is missing or out of date: the gate is being re-evaluated. */
    gatePending: status.state !== "current" && !lastStage,
    gateState: status.state,
    /** When the shown gate was evaluated (ISO), null when never. */
    gateEvaluatedAt: status.evaluatedAt,
  };
}

export type PathwayView = NonNullable<Awaited<ReturnType<typeof loadPathwayView>>>;
