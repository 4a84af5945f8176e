import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The API and the public results pages (docs/decisions/028-api-and-public-results.md):
 * - api_tokens: personal access tokens, stored as the SHA-256 of the token (the token itself is
 *   shown once), each with an expiry, a revocation time and when it was last used;
 * - countries.results_published: an administrator opts a country in to its public page;
 * - indicator_publication: which logframe indicators the public pages show (none until chosen).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 80`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // The first characters of the token, so its owner can tell tokens apart; never enough to use it.
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .addColumn("last_used_at", "timestamptz")
    .addCheckConstraint("api_tokens_expiry_after_creation", sql`expires_at > created_at`)
    .execute();
  await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();

  await db.schema
    .alterTable("countries")
    .addColumn("results_published", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable("indicator_publication")
    .addColumn("indicator_key", "text", (c) => c.primaryKey())
    .addColumn("published", "boolean", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("indicator_publication").execute();
  await db.schema.alterTable("countries").dropColumn("results_published").execute();
  await db.schema.dropTable("api_tokens").execute();
}
