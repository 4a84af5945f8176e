import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("handover_plans")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    // The stated rate to USD as a fraction: usd_rate_num / usd_rate_den US dollars per unit.
    .addColumn("usd_rate_num", "bigint", (c) => c.notNull().check(sql`usd_rate_num > 0`))
    .addColumn("usd_rate_den", "bigint", (c) => c.notNull().check(sql`usd_rate_den > 0`))
    .addColumn("exit_year", "integer", (c) => c.notNull())
    .addColumn("variance_threshold_pp", "integer", (c) => c.notNull().defaultTo(10))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`status in ('draft', 'submitted', 'returned', 'approved', 'active', 'closed')`),
    )
    .addColumn("scenario_of", "uuid", (c) => c.references("handover_plans.id"))
    .addColumn("review_comment", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("handover_plans_institution").on("handover_plans").columns(["institution_id"]).execute();

  await db.schema
    .createTable("handover_plan_years")
    .addColumn("plan_id", "uuid", (c) => c.notNull().references("handover_plans.id").onDelete("cascade"))
    .addColumn("year", "integer", (c) => c.notNull())
    // Module lines ({ module, cycles, enterprises, unitCostMinor }[]), validated by zod when read back.
    .addColumn("lines", "jsonb", (c) => c.notNull())
    // Planned funding by source, minor units ({ enterprise_fee, …, ilo }), validated likewise.
    .addColumn("funding", "jsonb", (c) => c.notNull())
    .addPrimaryKeyConstraint("handover_plan_years_pk", ["plan_id", "year"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("handover_plan_years").execute();
  await db.schema.dropTable("handover_plans").execute();
}
