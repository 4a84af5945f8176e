import type { Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The API's rate limit, shared by every web process (decision 028): one row per token per
 * one-minute window (aligned to the clock's minutes), counted with INSERT … ON CONFLICT DO UPDATE
 * … RETURNING. Windows that have ended are deleted when a new one starts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_rate_windows")
    .addColumn("token_id", "uuid", (c) => c.notNull().references("api_tokens.id").onDelete("cascade"))
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("api_rate_windows_pk", ["token_id", "window_start"])
    .execute();
  // The clean-up deletes by window start across every token.
  await db.schema.createIndex("api_rate_windows_start").on("api_rate_windows").column("window_start").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("api_rate_windows").execute();
}
