import type { Kysely } from "kysely";

// Frozen in time: never import application code here. The English texts below are copies of the
// ones the pathway workflow stored up to this migration.

/**
 * Notifications and stage transitions carry a message key and its values, rendered in the
 * reader's language, instead of an English sentence translated back by patterns. The English
 * text columns stay, for the record. Rows written before are given a key where their text is
 * one the workflow wrote; any other text (an officer's own words, an older wording) keeps no
 * key and is shown as it was stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").addColumn("message_key", "text").execute();
  await db.schema.alterTable("notifications").addColumn("message_params", "jsonb").execute();
  await db.schema.alterTable("stage_transitions").addColumn("reason_key", "text").execute();
  await db.schema.alterTable("stage_transitions").addColumn("reason_params", "jsonb").execute();

  const notes = await db.selectFrom("notifications").select(["id", "message"]).where("message_key", "is", null).execute();
  for (const n of notes) {
    const m = noticeOf(String(n.message));
    if (!m) continue;
    await db
      .updateTable("notifications")
      .set({ message_key: m.key, message_params: JSON.stringify(m.params) })
      .where("id", "=", n.id)
      .execute();
  }

  // Only a slip back's reason was written by the workflow; a sign-off's reason is the officer's note.
  const moves = await db
    .selectFrom("stage_transitions")
    .select(["id", "reason"])
    .where("kind", "=", "slip_back")
    .where("reason_key", "is", null)
    .execute();
  for (const t of moves) {
    const m = slipReasonOf(String(t.reason ?? ""));
    if (typeof m === "string") continue;
    await db
      .updateTable("stage_transitions")
      .set({ reason_key: m.key, reason_params: JSON.stringify(m.params) })
      .where("id", "=", t.id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("stage_transitions").dropColumn("reason_params").execute();
  await db.schema.alterTable("stage_transitions").dropColumn("reason_key").execute();
  await db.schema.alterTable("notifications").dropColumn("message_params").execute();
  await db.schema.alterTable("notifications").dropColumn("message_key").execute();
}

type Params = Record<string, unknown>;
interface Keyed {
  key: string;
  params: Params;
}

const num = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

/** "Certified trainers: 2 against 4 required (…)" as the workflow wrote a floor's reason. */
export function slipReasonOf(text: string): Keyed | string {
  const m = /^(.+): (\S+) against (\S+) required \((.*)\)$/s.exec(text);
  if (!m) return text;
  return { key: "notice.slipReason", params: { label: m[1], value: num(m[2]), threshold: num(m[3]), basis: m[4] } };
}

/** The notification texts the pathway workflow wrote, each with its key. */
export function noticeOf(text: string): Keyed | null {
  let m: RegExpExecArray | null;
  if ((m = /^The gate to (.+) is met and waits for ILO sign-off\.$/s.exec(text)))
    return { key: "notice.gateMet", params: { stage: m[1] } };
  if ((m = /^Signed off: you have reached (.+)\.$/s.exec(text))) return { key: "notice.signedOff", params: { stage: m[1] } };
  if ((m = /^Flagged for review: may move back to (.+?)\. (.+)$/s.exec(text))) {
    return { key: "notice.slipFlagged", params: { stage: m[1], reason: slipReasonOf(m[2]) } };
  }
  if ((m = /^Moved back to (.+?): (.+)$/s.exec(text)))
    return { key: "notice.movedBack", params: { stage: m[1], reason: slipReasonOf(m[2]) } };
  if ((m = /^A report was (verified|returned|rejected|submitted): (.*)$/s.exec(text))) {
    return { key: "notice.decided", params: { status: { key: `status.${m[1]}` }, comment: m[2] } };
  }
  if ((m = /^No milestone reported since (\d{4}-\d{2}-\d{2})\. Please report what happened this quarter\.$/.exec(text))) {
    return { key: "notice.reminder", params: { date: m[1] } };
  }
  if ((m = /^A report \(([a-z ]+)\) has waited for verification since (\d{4}-\d{2}-\d{2})\.$/.exec(text))) {
    return { key: "notice.escalation", params: { kind: { key: `kind.${m[1].replaceAll(" ", "_")}` }, date: m[2] } };
  }
  return null;
}
