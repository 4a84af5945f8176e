import type { Kysely } from "kysely";
import { stageIndex } from "../../domain/template";
import type { Database } from "../../../db/schema";
import { getTemplate, loadPathwayRecords } from "../../../db/queries/institutions";
import { getInstitutionWithStatus } from "../../../db/queries/pathway-status";
import { localiseGate, localiseTemplate } from "~/i18n/template-labels";

/**
 * One institution's pathway as the pages show it, from the database (the read model). The next
 * gate is the one the pathway workflow last evaluated and stored; nothing is evaluated here. When
 * that evaluation is missing or out of date (`gatePending`), the pages say the gate is being
 * re-evaluated rather than show an old verdict: the workflow evaluates again on its own.
 */
/** With `locale`, the template's names and the stored gate's are in that language (decision 026). */
export async function loadPathwayView(db: Kysely<Database>, institutionId: string, now = new Date(), locale?: string) {
  const row = await getInstitutionWithStatus(db, institutionId, now);
  if (!row) return null;
  const { pathwayStatus: status, ...institution } = row;
  const [stored, records] = await Promise.all([getTemplate(db, institution.template_id), loadPathwayRecords(db, institutionId)]);
  const template = locale ? localiseTemplate(stored, locale) : stored;
  const def = template.definition;
  const currentIndex = stageIndex(def, institution.stage_key);
  const lastStage = currentIndex >= def.stages.length - 1;
  const storedGate = status.state === "current" && !lastStage ? status.nextGate : null;
  return {
    institution,
    template,
    /** The template's definition as stored (default-language names). */
    storedDefinition: stored.definition,
    records,
    currentIndex,
    /** The stored next gate; null at the last stage and while the gate is being re-evaluated. */
    nextGate: storedGate && locale ? localiseGate(storedGate, stored.definition, locale) : storedGate,
    /** The stored evaluation is missing or out of date: the gate is being re-evaluated. */
    gatePending: status.state !== "current" && !lastStage,
    gateState: status.state,
    /** When the shown gate was evaluated (ISO), null when never. */
    gateEvaluatedAt: status.evaluatedAt,
  };
}

export type PathwayView = NonNullable<Awaited<ReturnType<typeof loadPathwayView>>>;
