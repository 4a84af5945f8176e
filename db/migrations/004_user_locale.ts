import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/** Each user's chosen language, remembered across devices (null: follow the browser). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("locale", "text", (c) => c.check(sql`locale ~ '^[a-z]{2}(-[A-Z]{2})?$'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
