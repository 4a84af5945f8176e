import type { Transaction } from "kysely";
import { readinessScore } from "../app/domain/gate";
import { stageIndex } from "../app/domain/template";
import { getTemplate, loadPathwayRecords } from "./queries/institutions";
import { DEFAULT_TEMPLATE_V2_ID, READINESS_THRESHOLDS } from "./reference-data";
import type { Database } from "./schema";

/**
 * Demo template versions: default@2 (the readiness score in every gate) is published when the
 * demo data are loaded, so institutions created in the demo start on it, and the demo institutions
 * whose latest ILO assessment already meets its score for every stage they have reached start
 * on it too. The rest stay on default@1, so the move page has something to move. Institutions
 * that tell a story of their own (awaiting sign-off, at risk, the walkthrough one) stay put.
 */
export async function seedTemplateVersions(trx: Transaction<Database>, now: Date, keepOnV1: readonly string[]): Promise<number> {
  const v2 = await trx
    .updateTable("pathway_templates")
    .set({ status: "published", published_by: "ILO administrator (demo)", published_at: now })
    .where("id", "=", DEFAULT_TEMPLATE_V2_ID)
    .where("status", "=", "draft")
    .executeTakeFirst();
  if (Number(v2.numUpdatedRows) !== 1) return 0;
  const def = (await getTemplate(trx, DEFAULT_TEMPLATE_V2_ID)).definition;
  const institutions = await trx.selectFrom("institutions").select(["id", "name", "stage_key"]).execute();
  const moved: string[] = [];
  for (const inst of institutions) {
    if (keepOnV1.includes(inst.name)) continue;
    const reached = def.stages.slice(1, stageIndex(def, inst.stage_key) + 1);
    if (reached.length === 0) continue;
    const score = readinessScore(await loadPathwayRecords(trx, inst.id), def.readinessWeights).value;
    if (reached.every((s) => score >= (READINESS_THRESHOLDS[s.key] ?? 0))) moved.push(inst.id);
  }
  if (moved.length > 0)
    await trx.updateTable("institutions").set({ template_id: DEFAULT_TEMPLATE_V2_ID }).where("id", "in", moved).execute();
  return moved.length;
}
