import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The logframe as written (decision 024):
 * - indicator_phase_settings: the definition of "institutions embedding SCORE" per programme
 *   phase — a stage reached, the institution's "SCORE in its regular portfolio" flag, or both —
 *   so changing one phase's definition never rewrites another phase's figures. Every phase that
 *   exists keeps the programme-wide stage it was computed with until now.
 * - a manual actual may be "unknown": entered as such, with its evidence, and never read as 0.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("indicator_phase_settings")
    .addColumn("phase_key", "text", (c) => c.primaryKey().references("programme_phases.key"))
    .addColumn("embedding_stage", "text")
    .addColumn("embedding_portfolio_flag", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("indicator_phase_settings_defined", sql`embedding_stage is not null or embedding_portfolio_flag`)
    .execute();
  await sql`insert into indicator_phase_settings (phase_key, embedding_stage)
    select p.key, coalesce((select s.value #>> '{}' from indicator_settings s where s.key = 'embedding_stage'), 'cost_recovery')
    from programme_phases p`.execute(db);

  await sql`alter table indicator_manual_actuals alter column value drop not null`.execute(db);
  await db.schema
    .alterTable("indicator_manual_actuals")
    .addColumn("unknown", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`alter table indicator_manual_actuals add constraint indicator_manual_actuals_value_or_unknown
    check ((value is null) = unknown)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table indicator_manual_actuals drop constraint indicator_manual_actuals_value_or_unknown`.execute(db);
  await sql`delete from indicator_manual_actuals where value is null`.execute(db);
  await db.schema.alterTable("indicator_manual_actuals").dropColumn("unknown").execute();
  await sql`alter table indicator_manual_actuals alter column value set not null`.execute(db);
  await db.schema.dropTable("indicator_phase_settings").execute();
}
