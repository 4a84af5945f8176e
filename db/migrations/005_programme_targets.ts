import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The results framework's frame: programme phases (the periods a logframe reports on) and a
 * target per indicator, country and phase. The indicator keys are defined in code
 * (app/features/indicators/indicator-catalogue.ts); (indicator_key, country, phase_key) is the natural key
 * that imports match on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("programme_phases")
    .addColumn("key", "text", (c) => c.primaryKey().check(sql`key ~ '^[a-z0-9][a-z0-9_-]*$'`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addCheckConstraint("programme_phases_order", sql`starts_on <= ends_on`)
    .execute();

  await db.schema
    .createTable("indicator_targets")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("indicator_key", "text", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("phase_key", "text", (c) => c.notNull().references("programme_phases.key"))
    .addColumn("target", "numeric", (c) => c.notNull().check(sql`target >= 0`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("indicator_targets_natural_key", ["indicator_key", "country", "phase_key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("indicator_targets").execute();
  await db.schema.dropTable("programme_phases").execute();
}
