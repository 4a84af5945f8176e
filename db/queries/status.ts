import { evaluatePathway, type FloorFailure, type GateResult, type PathwayEvaluation } from "../../app/domain/gate";
import type { Db } from "./audit";
import { getInstitution, getTemplate, loadPathwayRecords } from "./institutions";

/**
 * The pathway read model (`institution_status`): what the last gate evaluation of each
 * institution found. Only the pathway workflow's evaluation activity writes it.
 */

export interface StatusInput {
  institutionId: string;
  stageKey: string;
  templateId: string;
  nextGate: GateResult | null;
  failingFloors: FloorFailure[];
  nextExpiryOn: string | null;
  reminderAfterDays: number;
  evaluatedAt: Date;
}

/**
 * Stores an evaluation. A retried or late activity never overwrites a newer one: the row only
 * changes when this evaluation is at least as recent as the stored one.
 */
export async function writeStatus(db: Db, s: StatusInput): Promise<void> {
  const gate = s.nextGate;
  const row = {
    institution_id: s.institutionId,
    stage_key: s.stageKey,
    template_id: s.templateId,
    next_stage_key: gate?.stageKey ?? null,
    next_gate: JSON.stringify(gate),
    criteria_met: gate ? gate.criteria.filter((c) => c.met).length : 0,
    criteria_total: gate ? gate.criteria.length : 0,
    progress: gate ? Math.round(gate.progress) : 0,
    awaiting_sign_off: !!gate?.met,
    failing_floors: JSON.stringify(s.failingFloors),
    next_expiry_on: s.nextExpiryOn,
    reminder_after_days: s.reminderAfterDays,
    evaluated_at: s.evaluatedAt,
  };
  const { institution_id: _key, ...update } = row;
  await db
    .insertInto("institution_status")
    .values(row)
    .onConflict((oc) =>
      oc.column("institution_id").doUpdateSet(update).whereRef("institution_status.evaluated_at", "<=", "excluded.evaluated_at"),
    )
    .execute();
}

export async function getStatus(db: Db, institutionId: string) {
  return (
    (await db.selectFrom("institution_status").selectAll().where("institution_id", "=", institutionId).executeTakeFirst()) ?? null
  );
}

/** Active institutions whose pathway has not written its status yet (new, or running since before the read model). */
export async function listInstitutionsWithoutStatus(db: Db, limit = 10_000): Promise<string[]> {
  const rows = await db
    .selectFrom("institutions")
    .leftJoin("institution_status", "institution_status.institution_id", "institutions.id")
    .select("institutions.id")
    .where("institution_status.institution_id", "is", null)
    .where("institutions.status", "=", "active")
    .orderBy("institutions.id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Evaluates one institution's pathway on today's verified records and stores the result: the
 * only place gates are evaluated for the read model. The pathway workflow's activity passes the
 * stage and template it holds (the workflow is the authority on both); the demo seed and
 * start-up take them from the institution's row.
 */
export async function evaluateAndStoreStatus(
  db: Db,
  input: { institutionId: string; at: Date; stageKey?: string; templateId?: string },
): Promise<PathwayEvaluation> {
  const inst = await getInstitution(db, input.institutionId);
  if (!inst) throw new Error(`Institution ${input.institutionId} does not exist`);
  const stageKey = input.stageKey ?? inst.stage_key;
  const template = await getTemplate(db, input.templateId ?? inst.template_id);
  const records = await loadPathwayRecords(db, input.institutionId);
  const evaluation = evaluatePathway(template.definition, stageKey, records, input.at);
  await writeStatus(db, {
    institutionId: input.institutionId,
    stageKey,
    templateId: template.id,
    ...evaluation,
    reminderAfterDays: template.definition.timers.reminderAfterDays,
    evaluatedAt: input.at,
  });
  return evaluation;
}
