import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Bulk imports: one row per uploaded file (its checksum, the dry run's problems, the counts of
 * what it created, updated and left unchanged), and the natural keys imports match on:
 * a trainer's code within its institution, and an imported cycle's (institution, module,
 * enterprise, start date). Records an import made carry the batch as their provenance.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("import_batches")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("entity", "text", (c) =>
      c.notNull().check(sql`entity in ('institutions', 'trainers', 'enterprises', 'training_cycles', 'targets')`),
    )
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("file_type", "text", (c) => c.notNull().check(sql`file_type in ('csv', 'xlsx')`))
    .addColumn("sha256", "text", (c) => c.notNull())
    // Kept until the import ran, so the confirmed import reads exactly the file that was checked.
    .addColumn("file", "bytea")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('invalid', 'checked', 'running', 'done', 'failed')`))
    .addColumn("rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unchanged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("problems", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("problem_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .execute();
  await db.schema.createIndex("import_batches_created").on("import_batches").columns(["created_at"]).execute();

  await db.schema.alterTable("trainers").addColumn("external_code", "text").execute();
  await db.schema
    .alterTable("trainers")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .execute();
  await db.schema
    .createIndex("trainers_institution_code")
    .on("trainers")
    .columns(["institution_id", "external_code"])
    .unique()
    .execute();

  await db.schema.alterTable("training_cycles").addColumn("external_code", "text").execute();
  await db.schema
    .alterTable("training_cycles")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .execute();
  // Two imports never make the same cycle twice; cycles made from reports are not constrained.
  await db.schema
    .createIndex("training_cycles_imported_key")
    .on("training_cycles")
    .columns(["institution_id", "module_code", "enterprise_id", "started_on"])
    .unique()
    .where(sql.ref("import_batch_id"), "is not", null)
    .execute();

  await db.schema
    .alterTable("enterprises")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .execute();
  await db.schema
    .alterTable("institutions")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("institutions").dropColumn("import_batch_id").execute();
  await db.schema.alterTable("enterprises").dropColumn("import_batch_id").execute();
  await db.schema.dropIndex("training_cycles_imported_key").execute();
  await db.schema.alterTable("training_cycles").dropColumn("import_batch_id").dropColumn("external_code").execute();
  await db.schema.dropIndex("trainers_institution_code").execute();
  await db.schema.alterTable("trainers").dropColumn("import_batch_id").dropColumn("external_code").execute();
  await db.schema.dropTable("import_batches").execute();
}
