import { sql } from "kysely";
import { appendAudit, type Db } from "./audit";

/** Personal access tokens, their shared rate limit (migration 024) and the public results' publication flags (migration 020). */

export interface NewApiToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  at: Date;
  expiresAt: Date;
}

export async function insertApiToken(db: Db, t: NewApiToken, actor: string): Promise<void> {
  await db
    .insertInto("api_tokens")
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      prefix: t.prefix,
      created_at: t.at,
      expires_at: t.expiresAt,
    })
    .execute();
  await appendAudit(db, {
    actor,
    action: "api_token.create",
    entityType: "api_token",
    entityId: t.id,
    after: { name: t.name, prefix: t.prefix, expiresAt: t.expiresAt.toISOString() },
    at: t.at,
  });
}

/** A user's tokens, newest first, without their hashes. */
export async function listApiTokens(db: Db, userId: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
}

/** Revokes one of the user's own tokens: its name, or null when it is not theirs or already revoked. */
export async function revokeApiToken(db: Db, userId: string, tokenId: string, actor: string, at: Date): Promise<string | null> {
  const row = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .returning(["id", "name", "prefix"])
    .executeTakeFirst();
  if (!row) return null;
  await appendAudit(db, {
    actor,
    action: "api_token.revoke",
    entityType: "api_token",
    entityId: row.id,
    after: { name: row.name, prefix: row.prefix },
    at,
  });
  return row.name;
}

/** The live token with this hash and its user (active), or undefined. */
export async function findLiveApiToken(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select([
      "t.id as token_id",
      "t.last_used_at",
      "u.id as user_id",
      "u.name",
      "u.email",
      "u.role",
      "u.institution_id",
      "u.countries",
      "u.locale",
    ])
    .where("t.token_hash", "=", tokenHash)
    .where("t.revoked_at", "is", null)
    .where("t.expires_at", ">", now)
    .where("u.status", "=", "active")
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: string, at: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", tokenId).execute();
}

// ------------------------------------------------------------------ rate limit (migration 024)

/**
 * Counts one request of a token in the window starting at `windowStart`, for every web process at
 * once: the first request of a window inserts its row, the others add one. The count so far.
 */
export async function countApiRequest(db: Db, tokenId: string, windowStart: Date): Promise<number> {
  // One statement, its own transaction; a count lost in a crash costs nothing, so its commit does
  // not wait for the disk (synchronous_commit off, local to this statement's transaction).
  const { rows } = await sql<{ count: number }>`
    with relaxed as (select set_config('synchronous_commit', 'off', true))
    insert into api_rate_windows (token_id, window_start, count)
    select ${tokenId}::uuid, ${windowStart}::timestamptz, 1 from relaxed
    on conflict (token_id, window_start) do update set count = api_rate_windows.count + 1
    returning count`.execute(db);
  return rows[0].count;
}

/** Deletes every token's windows that started before `windowStart` (they have ended). */
export async function deleteEndedRateWindows(db: Db, windowStart: Date): Promise<void> {
  await db.deleteFrom("api_rate_windows").where("window_start", "<", windowStart).execute();
}

// ------------------------------------------------------------------ public results

export async function listResultsPublication(db: Db) {
  return db.selectFrom("countries").select(["code", "name", "results_published"]).orderBy("name").execute();
}

/** A country whose results are public, or undefined (unknown or not opted in). */
export async function getPublishedCountry(db: Db, code: string) {
  return db
    .selectFrom("countries")
    .select(["code", "name", "currency"])
    .where("code", "=", code)
    .where("results_published", "=", true)
    .executeTakeFirst();
}

export async function setCountryPublished(db: Db, code: string, published: boolean, actor: string, at: Date): Promise<boolean> {
  const before = await db.selectFrom("countries").select("results_published").where("code", "=", code).executeTakeFirst();
  if (!before) return false;
  if (before.results_published === published) return true;
  await db.updateTable("countries").set({ results_published: published }).where("code", "=", code).execute();
  await appendAudit(db, {
    actor,
    action: published ? "results.publish_country" : "results.unpublish_country",
    entityType: "country",
    entityId: code,
    before: { published: before.results_published },
    after: { published },
    at,
  });
  return true;
}

/** The keys of the indicators the public pages show. */
export async function publishedIndicatorKeys(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom("indicator_publication").select("indicator_key").where("published", "=", true).execute();
  return new Set(rows.map((r) => r.indicator_key));
}

export async function setIndicatorPublished(db: Db, key: string, published: boolean, actor: string, at: Date): Promise<void> {
  const before = await db
    .selectFrom("indicator_publication")
    .select("published")
    .where("indicator_key", "=", key)
    .executeTakeFirst();
  if ((before?.published ?? false) === published) return;
  await db
    .insertInto("indicator_publication")
    .values({ indicator_key: key, published, updated_by: actor, updated_at: at })
    .onConflict((oc) => oc.column("indicator_key").doUpdateSet({ published, updated_by: actor, updated_at: at }))
    .execute();
  await appendAudit(db, {
    actor,
    action: published ? "results.publish_indicator" : "results.unpublish_indicator",
    entityType: "indicator",
    entityId: key,
    before: { published: before?.published ?? false },
    after: { published },
    at,
  });
}

// ------------------------------------------------------------------ training cycles, a page at a time

export async function countTrainingCycles(db: Db, institutionId: string): Promise<number> {
  const row = await db
    .selectFrom("training_cycles")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("institution_id", "=", institutionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function pageTrainingCycles(db: Db, institutionId: string, limit: number, offset: number) {
  return db
    .selectFrom("training_cycles as c")
    .innerJoin("enterprises as e", "e.id", "c.enterprise_id")
    .selectAll("c")
    .select("e.name as enterprise_name")
    .where("c.institution_id", "=", institutionId)
    .orderBy("c.started_on", "desc")
    .orderBy("c.id")
    .limit(limit)
    .offset(offset)
    .execute();
}
