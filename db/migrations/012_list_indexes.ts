import type { Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Indexes for the lists that page, sort and filter in SQL (docs/decisions/017-lists-page-in-sql.md):
 * - institutions by name (the name sort, with the id as its tiebreak) and by the day they
 *   entered their stage (time-in-stage sort); a country filter in name order already has the
 *   unique (country_code, name) index of 001;
 * - the verification queue: reports waiting (status) oldest first;
 * - notifications newest first, per audience (the inbox and notifications pages).
 */
const INDEXES: [name: string, table: string, columns: string[]][] = [
  ["institutions_name_id", "institutions", ["name", "id"]],
  ["institutions_stage_entered", "institutions", ["stage_entered_at", "id"]],
  ["milestone_reports_status_submitted", "milestone_reports", ["status", "submitted_at", "id"]],
  ["notifications_audience_created", "notifications", ["audience", "created_at", "id"]],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).ifExists().execute();
}
