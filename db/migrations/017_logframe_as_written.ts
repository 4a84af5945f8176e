import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The logframe as written (decision 024):
 * - indicator_phase_settings: the definition of "institutions embedding SCORE" per programme
 *   phase — a stage reached, the institution's "SCORE in its regular portfolio" flag, or both —
 *   so changing one phase's definition never rewrites another phase's figures. Every phase that
 *   exists keeps the programme-wide stage it was computed with until now.
 * - a manual actual may be "unknown": entered as such, with its evidence, and never read as 0;
 *   or qualitative (text), as a target may be (target_text instead of a figure);
 * - a target may be for a part of an indicator (`dimension`: women, men, the share of women, a
 *   module or a group of modules), so the natural key gains the dimension ('' for the whole).
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
  await db.schema.alterTable("indicator_manual_actuals").addColumn("value_text", "text").execute();
  await sql`alter table indicator_manual_actuals add constraint indicator_manual_actuals_one_value
    check (num_nonnulls(value, value_text) + unknown::int = 1)`.execute(db);

  await db.schema
    .alterTable("indicator_targets")
    .addColumn("dimension", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.alterTable("indicator_targets").addColumn("target_text", "text").execute();
  await sql`alter table indicator_targets alter column target drop not null`.execute(db);
  await sql`alter table indicator_targets add constraint indicator_targets_one_value
    check (num_nonnulls(target, target_text) = 1)`.execute(db);
  await sql`alter table indicator_targets drop constraint indicator_targets_natural_key`.execute(db);
  await db.schema
    .alterTable("indicator_targets")
    .addUniqueConstraint("indicator_targets_natural_key", ["indicator_key", "country", "phase_key", "dimension"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from indicator_targets where dimension <> '' or target is null`.execute(db);
  await sql`alter table indicator_targets drop constraint indicator_targets_natural_key`.execute(db);
  await sql`alter table indicator_targets drop constraint indicator_targets_one_value`.execute(db);
  await db.schema.alterTable("indicator_targets").dropColumn("target_text").dropColumn("dimension").execute();
  await sql`alter table indicator_targets alter column target set not null`.execute(db);
  await db.schema
    .alterTable("indicator_targets")
    .addUniqueConstraint("indicator_targets_natural_key", ["indicator_key", "country", "phase_key"])
    .execute();
  await sql`alter table indicator_manual_actuals drop constraint indicator_manual_actuals_one_value`.execute(db);
  await sql`delete from indicator_manual_actuals where value is null`.execute(db);
  await db.schema.alterTable("indicator_manual_actuals").dropColumn("value_text").dropColumn("unknown").execute();
  await sql`alter table indicator_manual_actuals alter column value set not null`.execute(db);
  await db.schema.dropTable("indicator_phase_settings").execute();
}
