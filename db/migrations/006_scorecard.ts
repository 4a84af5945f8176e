import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The readiness scorecard. Each assessment is a new row (history is kept; the latest of each kind
 * counts); its id comes from the form, so a repeated submit finds the row already there. Scores
 * are one row per criterion; evidence links point at evidence files the institution already has.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("readiness_assessments")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('self', 'ilo')`))
    .addColumn("assessed_by", "text", (c) => c.notNull())
    .addColumn("assessed_by_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("assessed_on", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("readiness_assessments_latest")
    .on("readiness_assessments")
    .columns(["institution_id", "kind", "assessed_on", "created_at"])
    .execute();

  await db.schema
    .createTable("readiness_scores")
    .addColumn("assessment_id", "uuid", (c) => c.notNull().references("readiness_assessments.id").onDelete("cascade"))
    .addColumn("criterion_key", "text", (c) => c.notNull())
    .addColumn("score", "smallint", (c) => c.notNull().check(sql`score between 1 and 4`))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("readiness_scores_pk", ["assessment_id", "criterion_key"])
    .execute();

  await db.schema
    .createTable("readiness_evidence_links")
    .addColumn("assessment_id", "uuid", (c) => c.notNull())
    .addColumn("criterion_key", "text", (c) => c.notNull())
    .addColumn("evidence_file_id", "uuid", (c) => c.notNull().references("evidence_files.id"))
    .addPrimaryKeyConstraint("readiness_evidence_links_pk", ["assessment_id", "criterion_key", "evidence_file_id"])
    .addForeignKeyConstraint(
      "readiness_evidence_links_score",
      ["assessment_id", "criterion_key"],
      "readiness_scores",
      ["assessment_id", "criterion_key"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("readiness_evidence_links").execute();
  await db.schema.dropTable("readiness_scores").execute();
  await db.schema.dropTable("readiness_assessments").execute();
}
