import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Stage history and business plans brought in by import (issue 12):
 * - stage_transitions.import_batch_id: the batch that wrote or re-dated a transition, so the
 *   institution's stage history can say which moves were imported rather than signed off here;
 * - institution_business_plans: an institution's business plans, one per plan period, with the
 *   day each was approved (the earliest feeds institutions.business_plan_adopted_on, which the
 *   gates and the business-plans indicator read);
 * - two more import kinds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("stage_transitions")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .execute();

  await db.schema
    .createTable("institution_business_plans")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    // "2015", "2015-2017": the years the plan covers, as the programme names them.
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("approved_on", "date", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .addUniqueConstraint("institution_business_plans_natural_key", ["institution_id", "period"])
    .execute();

  await sql`alter table import_batches drop constraint if exists import_batches_entity_check`.execute(db);
  await sql`alter table import_batches add constraint import_batches_entity_check check (entity in
    ('institutions', 'trainers', 'enterprises', 'training_cycles', 'targets', 'certifications', 'mous', 'sponsors',
     'stage_history', 'business_plans'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table import_batches drop constraint if exists import_batches_entity_check`.execute(db);
  await sql`alter table import_batches add constraint import_batches_entity_check check (entity in
    ('institutions', 'trainers', 'enterprises', 'training_cycles', 'targets', 'certifications', 'mous', 'sponsors'))`.execute(db);
  await db.schema.dropTable("institution_business_plans").execute();
  await db.schema.alterTable("stage_transitions").dropColumn("import_batch_id").execute();
}
