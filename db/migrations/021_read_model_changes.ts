import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Which transactions changed what the aggregate pages count (decision 030). Every statement that
 * writes to one of these tables notes its transaction's id in `read_model_changes` (a statement
 * trigger, so the web, the worker, the import and hand-written SQL all note it). A process that
 * keeps an aggregate computed as of a snapshot asks, in one cheap statement, whether any noted
 * transaction has committed since that snapshot; nothing noted, the aggregate still holds.
 * Writers never wait on each other: each inserts its own row (its own transaction id), and rows
 * older than an hour are pruned by the writers themselves, skipping any another one holds.
 */
const WATCHED = [
  "countries",
  "enterprises",
  "funding_commitments",
  "import_batches",
  "indicator_manual_actuals",
  "indicator_phase_settings",
  "indicator_settings",
  "indicator_targets",
  "institution_business_plans",
  "institution_mous",
  "institution_status",
  "institutions",
  "milestone_reports",
  "modules",
  "pathway_templates",
  "programme_phases",
  "readiness_assessments",
  "stage_transitions",
  "template_moves",
  "tot_cohorts",
  "trainer_certifications",
  "trainers",
  "training_cycles",
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table read_model_changes (
    xid xid8 primary key,
    noted_at timestamptz not null default clock_timestamp()
  )`.execute(db);
  await sql`create index read_model_changes_noted_at on read_model_changes (noted_at)`.execute(db);
  // noted_at is the transaction's last write statement (updated on conflict), so a row is pruned
  // an hour after its transaction last wrote, never while it is still writing. The cut-off is
  // now() (stable), not clock_timestamp(): a volatile bound cannot use the index, and every
  // writing statement would scan the whole table (measured: 7× slower single-row updates).
  // now() is the pruning transaction's start, earlier than the clock: it prunes a little later.
  await sql`create function note_read_model_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid) values (pg_current_xact_id())
        on conflict (xid) do update set noted_at = clock_timestamp();
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
  for (const table of WATCHED)
    await sql`create trigger read_model_change after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function note_read_model_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WATCHED) await sql`drop trigger if exists read_model_change on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists note_read_model_change()`.execute(db);
  await sql`drop table if exists read_model_changes`.execute(db);
}
