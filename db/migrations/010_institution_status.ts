import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The pathway read model: one row per institution, written by the pathway workflow's gate
 * evaluation activity each time it evaluates (a decision, a sign-off, a records change, a
 * review, a template move). Pages read it instead of evaluating gates themselves, so every page,
 * the sign-off validator and the workflow see one verdict, recorded once.
 *
 * `next_gate` holds the evaluated gate (each criterion's value, threshold and basis);
 * the scalar columns beside it are what list pages filter, count and sort on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("institution_status")
    .addColumn("institution_id", "uuid", (c) => c.primaryKey().references("institutions.id").onDelete("cascade"))
    .addColumn("stage_key", "text", (c) => c.notNull())
    .addColumn("template_id", "text", (c) => c.notNull())
    .addColumn("next_stage_key", "text")
    .addColumn("next_gate", "jsonb")
    .addColumn("criteria_met", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("criteria_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("awaiting_sign_off", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("failing_floors", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("next_expiry_on", "date")
    .addColumn("reminder_after_days", "integer", (c) => c.notNull())
    .addColumn("evaluated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("institution_status_awaiting")
    .on("institution_status")
    .columns(["awaiting_sign_off", "stage_key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("institution_status").execute();
}
