import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here. SQL that PostgreSQL 15 and 17 both accept.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("countries")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("modules")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await db.schema
    .createTable("pathway_templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("country_code", "text", (c) => c.references("countries.code"))
    .addColumn("definition", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("pathway_templates_key_version", ["key", "version"])
    .execute();

  await db.schema
    .createTable("institutions")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) =>
      c
        .notNull()
        .check(sql`type in ('government_training', 'employers_organisation', 'industry_association', 'private_provider')`),
    )
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('national_coordinator', 'implementing_partner', 'sponsor')`))
    .addColumn("country_code", "text", (c) => c.notNull().references("countries.code"))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("active")
        .check(sql`status in ('active', 'discontinued')`),
    )
    .addColumn("template_id", "text", (c) => c.notNull().references("pathway_templates.id"))
    .addColumn("stage_key", "text", (c) => c.notNull())
    .addColumn("stage_entered_at", "timestamptz", (c) => c.notNull())
    .addColumn("mou_signed_on", "date")
    .addColumn("score_in_portfolio", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("business_plan_adopted_on", "date")
    .addColumn("slip_flag", "jsonb")
    .addColumn("last_report_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("institutions_country_name", ["country_code", "name"])
    .execute();
  await db.schema.createIndex("institutions_stage").on("institutions").columns(["stage_key"]).execute();

  await db.schema
    .createTable("milestone_reports")
    .addColumn("id", "uuid", (c) => c.primaryKey()) // the client-supplied report id
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("evidence", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted', 'verified', 'returned', 'rejected')`))
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "timestamptz", (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", "timestamptz")
    .addColumn("decision_comment", "text")
    .addColumn("escalated_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("milestone_reports_institution")
    .on("milestone_reports")
    .columns(["institution_id", "submitted_at"])
    .execute();

  await db.schema
    .createTable("tot_cohorts")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("module_code", "text", (c) => c.notNull().references("modules.code"))
    .addColumn("started_on", "date", (c) => c.notNull())
    .addColumn("ended_on", "date", (c) => c.notNull())
    .addColumn("source_report_id", "uuid", (c) => c.unique().references("milestone_reports.id"))
    .execute();

  await db.schema
    .createTable("trainers")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sex", "text", (c) => c.notNull().check(sql`sex in ('female', 'male')`))
    .addColumn("national_expert", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("tot_cohort_id", "uuid", (c) => c.references("tot_cohorts.id"))
    .addColumn("trained_on", "date")
    .addColumn("last_active_on", "date")
    .execute();
  await db.schema.createIndex("trainers_institution").on("trainers").columns(["institution_id"]).execute();

  await db.schema
    .createTable("trainer_certifications")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("trainer_id", "uuid", (c) => c.notNull().references("trainers.id"))
    .addColumn("module_code", "text", (c) => c.notNull().references("modules.code"))
    .addColumn("certified_on", "date", (c) => c.notNull())
    .addColumn("expires_on", "date", (c) => c.notNull())
    .addColumn("source_report_id", "uuid", (c) => c.references("milestone_reports.id"))
    .addUniqueConstraint("trainer_certifications_once", ["trainer_id", "module_code", "certified_on"])
    .execute();

  await db.schema
    .createTable("enterprises")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("size", "text", (c) => c.notNull().check(sql`size in ('micro', 'small', 'medium', 'large')`))
    .addColumn("sector", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("workers_female", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("workers_male", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("enterprises_institution_name", ["institution_id", "name"])
    .execute();

  await db.schema
    .createTable("training_cycles")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("module_code", "text", (c) => c.notNull().references("modules.code"))
    .addColumn("enterprise_id", "uuid", (c) => c.notNull().references("enterprises.id"))
    .addColumn("started_on", "date", (c) => c.notNull())
    .addColumn("ended_on", "date", (c) => c.notNull())
    .addColumn("visits", "integer", (c) => c.notNull())
    .addColumn("managers_female", "integer", (c) => c.notNull())
    .addColumn("managers_male", "integer", (c) => c.notNull())
    .addColumn("workers_female", "integer", (c) => c.notNull())
    .addColumn("workers_male", "integer", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    // Amounts in minor units (cents): integers, so totals never drift.
    .addColumn("cost_minor", "bigint", (c) => c.notNull())
    .addColumn("fund_enterprise_fee", "bigint", (c) => c.notNull())
    .addColumn("fund_institution_funds", "bigint", (c) => c.notNull())
    .addColumn("fund_government", "bigint", (c) => c.notNull())
    .addColumn("fund_sponsor", "bigint", (c) => c.notNull())
    .addColumn("fund_other_donor", "bigint", (c) => c.notNull())
    .addColumn("fund_ilo", "bigint", (c) => c.notNull())
    .addColumn("ilo_staff_involved", "boolean", (c) => c.notNull())
    .addColumn("source_report_id", "uuid", (c) => c.unique().references("milestone_reports.id"))
    .execute();
  await db.schema
    .createIndex("training_cycles_institution")
    .on("training_cycles")
    .columns(["institution_id", "ended_on"])
    .execute();

  await db.schema
    .createTable("funding_commitments")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('government_budget_line', 'multi_year_sponsor')`))
    .addColumn("funder", "text", (c) => c.notNull())
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date")
    .addColumn("source_report_id", "uuid", (c) => c.unique().references("milestone_reports.id"))
    .execute();

  await db.schema
    .createTable("stage_transitions")
    .addColumn("id", "text", (c) => c.primaryKey()) // made by the workflow: a retry writes it once
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("from_stage", "text")
    .addColumn("to_stage", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('start', 'advance', 'slip_back')`))
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("decided_by", "text", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("stage_transitions_institution")
    .on("stage_transitions")
    .columns(["institution_id", "occurred_at"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey()) // a deterministic key: a timer firing twice notifies once
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull().check(sql`audience in ('ilo', 'institution')`))
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("read_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("institution_id", "uuid")
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .execute();
  await db.schema.createIndex("audit_log_entity").on("audit_log").columns(["entity_type", "entity_id"]).execute();
  // Append-only: the log refuses updates and deletes.
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'audit_log is append-only'; end $$`.execute(db);
  await sql`create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "audit_log",
    "notifications",
    "stage_transitions",
    "funding_commitments",
    "training_cycles",
    "enterprises",
    "trainer_certifications",
    "trainers",
    "tot_cohorts",
    "milestone_reports",
    "institutions",
    "pathway_templates",
    "modules",
    "countries",
  ])
    await db.schema.dropTable(t).ifExists().execute();
  await sql`drop function if exists audit_log_append_only()`.execute(db);
}
