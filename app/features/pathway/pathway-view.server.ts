import type { Kysely } from "kysely";
import { evaluateGate, evaluateNextGate } from "../../domain/gate";
import { stageIndex } from "../../domain/template";
import type { Database } from "../../../db/schema";
import { getInstitution, getTemplate, loadPathwayRecords } from "../../../db/queries/institutions";

/**
 * One institution's pathway as the pages show it: computed from the database (the read model)
 * with the same gate rules the workflow runs.
 */
export async function loadPathwayView(db: Kysely<Database>, institutionId: string, now = new Date()) {
  const institution = await getInstitution(db, institutionId);
  if (!institution) return null;
  const template = await getTemplate(db, institution.template_id);
  const records = await loadPathwayRecords(db, institutionId);
  const def = template.definition;
  return {
    institution,
    template,
    records,
    currentIndex: stageIndex(def, institution.stage_key),
    nextGate: evaluateNextGate(def, institution.stage_key, records, now),
    /** Every stage's gate against today's records (index 0, the first stage, has none). */
    gates: def.stages.map((s) => evaluateGate(s, records, now, def.readinessWeights)),
  };
}

export type PathwayView = NonNullable<Awaited<ReturnType<typeof loadPathwayView>>>;
