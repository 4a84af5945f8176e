import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Which kind of change each noted transaction made (decision 038). The workflows store a new
 * evaluation of some institution's gate several times a second while a programme's reminders
 * come due; each of those writes only `institution_status`. Aggregates that never read the stored
 * status (the logframe's facts, the totals, the analytics' stays, the programme's pace) need not
 * be computed again for them. A transaction that wrote only the stored status is noted with
 * `records = false`; any other watched write in the same transaction turns it to true.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table read_model_changes add column records boolean not null default true`.execute(db);
  // Every other watched table: the transaction changed the records (or more).
  await sql`create or replace function note_read_model_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid, records) values (pg_current_xact_id(), true)
        on conflict (xid) do update set noted_at = clock_timestamp(), records = true;
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
  // The stored status: noted as status only, unless the transaction already changed records.
  await sql`create function note_status_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid, records) values (pg_current_xact_id(), false)
        on conflict (xid) do update set noted_at = clock_timestamp();
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
  await sql`drop trigger read_model_change on institution_status`.execute(db);
  await sql`create trigger read_model_change after insert or update or delete or truncate on institution_status
    for each statement execute function note_status_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger read_model_change on institution_status`.execute(db);
  await sql`create trigger read_model_change after insert or update or delete or truncate on institution_status
    for each statement execute function note_read_model_change()`.execute(db);
  await sql`drop function note_status_change()`.execute(db);
  await sql`create or replace function note_read_model_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid) values (pg_current_xact_id())
        on conflict (xid) do update set noted_at = clock_timestamp();
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
  await sql`alter table read_model_changes drop column records`.execute(db);
}
