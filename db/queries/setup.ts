import { sql } from "kysely";
import { appendAudit, type Db } from "./audit";

/** Whether any ILO administrator account exists (active or not): once one does, set-up links are closed. */
export async function administratorExists(db: Db): Promise<boolean> {
  return !!(await db.selectFrom("users").select("id").where("role", "=", "ilo_admin").limit(1).executeTakeFirst());
}

/**
 * Stores a new set-up link's token (its SHA-256) and retires every earlier unused one, so only
 * the link printed last works. Audited.
 */
export async function insertSetupToken(
  db: Db,
  t: { id: string; email: string | null; createdBy: string; at: Date; expiresAt: Date },
): Promise<void> {
  await db
    .updateTable("setup_tokens")
    .set({ expires_at: t.at })
    .where("used_at", "is", null)
    .where("expires_at", ">", t.at)
    .execute();
  await db
    .insertInto("setup_tokens")
    .values({ id: t.id, email: t.email, created_by: t.createdBy, created_at: t.at, expires_at: t.expiresAt })
    .execute();
  await appendAudit(db, {
    actor: t.createdBy,
    action: "setup.link_issued",
    entityType: "setup_link",
    entityId: t.id.slice(0, 12),
    after: { email: t.email, expiresAt: t.expiresAt.toISOString() },
    at: t.at,
  });
}

/** A set-up token that is unused and unexpired: what the page shows. */
export async function findSetupToken(db: Db, id: string, now: Date) {
  return db
    .selectFrom("setup_tokens")
    .select(["id", "email", "expires_at"])
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * The set-up token, if it may create the first administrator now: unused, unexpired, and no
 * administrator exists. Call in the transaction that creates the account, then markSetupTokenUsed:
 * the table lock makes two links used at once create one administrator.
 */
export async function claimSetupToken(db: Db, id: string, now: Date): Promise<{ email: string | null } | null> {
  await sql`lock table setup_tokens in exclusive mode`.execute(db);
  if (await administratorExists(db)) return null;
  const row = await findSetupToken(db, id, now);
  return row ? { email: row.email } : null;
}

/** The token is used: it never works again. Audited. */
export async function markSetupTokenUsed(db: Db, id: string, userId: string, email: string, now: Date): Promise<void> {
  await db.updateTable("setup_tokens").set({ used_at: now, used_by: userId }).where("id", "=", id).execute();
  await appendAudit(db, {
    actor: email,
    action: "setup.link_used",
    entityType: "setup_link",
    entityId: id.slice(0, 12),
    after: { userId, email },
    at: now,
  });
}
