import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Manual actuals: the logframe indicators the records cannot compute (clusters selected, a
 * national centre of excellence), entered per indicator, country and phase with the evidence
 * behind them. The natural key makes a second save of the same cell an update, never a double.
 * Indicator settings hold programme-wide choices, such as the stage that counts as embedding SCORE.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("indicator_manual_actuals")
    .addColumn("indicator_key", "text", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("phase_key", "text", (c) => c.notNull().references("programme_phases.key"))
    .addColumn("value", "numeric", (c) => c.notNull().check(sql`value >= 0`))
    .addColumn("evidence", "text", (c) => c.notNull().check(sql`length(evidence) between 3 and 500`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("entered_by", "uuid", (c) => c.references("users.id"))
    .addColumn("entered_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("indicator_manual_actuals_pk", ["indicator_key", "country", "phase_key"])
    .execute();

  await db.schema
    .createTable("indicator_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("indicator_settings").execute();
  await db.schema.dropTable("indicator_manual_actuals").execute();
}
