import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Pathway templates become versioned documents. A template key belongs to one country, or to
 * none (the default); each version is a draft (editable), published (immutable, given to new
 * institutions) or retired (kept for the institutions still on it). Moving a running
 * institution to another version is recorded once per move id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("pathway_templates")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("published")
        .check(sql`status in ('draft', 'published', 'retired')`),
    )
    .execute();
  await db.schema
    .alterTable("pathway_templates")
    .addColumn("created_by", "text", (c) => c.notNull().defaultTo("system"))
    .execute();
  await db.schema.alterTable("pathway_templates").addColumn("published_by", "text").execute();
  await db.schema.alterTable("pathway_templates").addColumn("published_at", "timestamptz").execute();
  await db.schema
    .alterTable("pathway_templates")
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await sql`update pathway_templates set published_at = created_at, published_by = 'system' where status = 'published'`.execute(
    db,
  );
  // One draft at a time per template key.
  await db.schema
    .createIndex("pathway_templates_one_draft")
    .on("pathway_templates")
    .column("key")
    .unique()
    .where(sql.ref("status"), "=", "draft")
    .execute();

  await db.schema
    .createTable("template_moves")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("from_template_id", "text", (c) => c.notNull().references("pathway_templates.id"))
    .addColumn("to_template_id", "text", (c) => c.notNull().references("pathway_templates.id"))
    .addColumn("stage_key", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("template_moves_institution")
    .on("template_moves")
    .columns(["institution_id", "occurred_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("template_moves").execute();
  await db.schema.dropIndex("pathway_templates_one_draft").execute();
  for (const c of ["notes", "published_at", "published_by", "created_by", "status"]) {
    await db.schema.alterTable("pathway_templates").dropColumn(c).execute();
  }
}
