import type { SlipFlag } from "../schema";
import { appendAudit, type Db } from "./audit";
import type { Message } from "../../app/i18n/message";

export interface TransitionInput {
  /** Made by the workflow, so a retried activity writes the transition once. */
  id: string;
  institutionId: string;
  fromStage: string;
  toStage: string;
  kind: "advance" | "slip_back";
  reason: string;
  /** The reason as a message key, when the workflow wrote it; absent for an officer's own words. */
  reasonMessage?: Message | null;
  decidedBy: string;
  at: Date;
}

/**
 * Moves an institution to another stage: the transition row, the institution's current stage
 * and the audit entry. Call inside one transaction. A repeat with the same id changes nothing.
 */
export async function recordTransition(db: Db, t: TransitionInput): Promise<{ applied: boolean }> {
  const res = await db
    .insertInto("stage_transitions")
    .values({
      id: t.id,
      institution_id: t.institutionId,
      from_stage: t.fromStage,
      to_stage: t.toStage,
      kind: t.kind,
      reason: t.reason,
      reason_key: t.reasonMessage?.key ?? null,
      reason_params: t.reasonMessage ? JSON.stringify(t.reasonMessage.params ?? {}) : null,
      decided_by: t.decidedBy,
      occurred_at: t.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return { applied: false };
  await db
    .updateTable("institutions")
    .set({ stage_key: t.toStage, stage_entered_at: t.at, slip_flag: null })
    .where("id", "=", t.institutionId)
    .execute();
  await appendAudit(db, {
    actor: t.decidedBy,
    action: t.kind === "advance" ? "stage.signed_off" : "stage.slipped_back",
    entityType: "institution",
    entityId: t.institutionId,
    institutionId: t.institutionId,
    before: { stage: t.fromStage },
    after: { stage: t.toStage, reason: t.reason },
    at: t.at,
  });
  return { applied: true };
}

/** jsonb stores keys in its own order, so flags are compared field by field, not as JSON text. */
function sameFlag(a: SlipFlag | null, b: SlipFlag | null): boolean {
  if (a === null || b === null) return a === b;
  return a.toStage === b.toStage && a.reason === b.reason && a.flaggedAt === b.flaggedAt;
}

/** Sets or clears the flag that asks an ILO officer to confirm a slip back. */
export async function setSlipFlag(db: Db, institutionId: string, flag: SlipFlag | null, actor: string, at: Date): Promise<void> {
  const before = await db
    .selectFrom("institutions")
    .select("slip_flag")
    .where("id", "=", institutionId)
    .executeTakeFirstOrThrow();
  if (sameFlag(before.slip_flag, flag)) return;
  await db
    .updateTable("institutions")
    .set({ slip_flag: flag === null ? null : JSON.stringify(flag) })
    .where("id", "=", institutionId)
    .execute();
  await appendAudit(db, {
    actor,
    action: flag ? "stage.slip_flagged" : "stage.slip_cleared",
    entityType: "institution",
    entityId: institutionId,
    institutionId,
    before: { slipFlag: before.slip_flag },
    after: { slipFlag: flag },
    at,
  });
}
