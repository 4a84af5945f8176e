import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * A transaction notes itself in `read_model_changes` once, not at every statement (decision 039).
 * The triggers of migrations 021 and 025 upserted the transaction's row at every writing
 * statement: each upsert of the same row in one transaction leaves a version the next one's
 * conflict check walks past, so a transaction of n statements cost O(n²) (5,000 single-row
 * updates: about 20 s of it). Now each trigger remembers, in a transaction-local setting, that
 * its transaction is noted (and whether as a change of records), and skips the upsert while that
 * note is under ten seconds old: noted_at still follows the transaction's last write to within
 * ten seconds, against the hour after which rows are pruned. A savepoint rolled back takes its
 * note and the setting back together.
 */
const RECORDS = sql`
  declare
    me text := pg_current_xact_id()::text;
    noted text := coalesce(current_setting('pathways.read_model_noted', true), '');
  begin
    if split_part(noted, ' ', 1) = me and split_part(noted, ' ', 2) = 'records'
       and extract(epoch from clock_timestamp()) - split_part(noted, ' ', 3)::numeric < 10 then
      return null;
    end if;
    insert into read_model_changes (xid, records) values (pg_current_xact_id(), true)
      on conflict (xid) do update set noted_at = clock_timestamp(), records = true;
    delete from read_model_changes where xid in (
      select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
      order by o.noted_at limit 100 for update skip locked);
    perform set_config('pathways.read_model_noted', me || ' records ' || extract(epoch from clock_timestamp())::text, true);
    return null;
  end`;

const STATUS = sql`
  declare
    me text := pg_current_xact_id()::text;
    noted text := coalesce(current_setting('pathways.read_model_noted', true), '');
    kind text := 'status';
  begin
    if split_part(noted, ' ', 1) = me then
      kind := split_part(noted, ' ', 2);
      if extract(epoch from clock_timestamp()) - split_part(noted, ' ', 3)::numeric < 10 then
        return null;
      end if;
    end if;
    insert into read_model_changes (xid, records) values (pg_current_xact_id(), false)
      on conflict (xid) do update set noted_at = clock_timestamp();
    delete from read_model_changes where xid in (
      select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
      order by o.noted_at limit 100 for update skip locked);
    perform set_config('pathways.read_model_noted', me || ' ' || kind || ' ' || extract(epoch from clock_timestamp())::text, true);
    return null;
  end`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create or replace function note_read_model_change() returns trigger language plpgsql as $$${RECORDS}$$`.execute(db);
  await sql`create or replace function note_status_change() returns trigger language plpgsql as $$${STATUS}$$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create or replace function note_read_model_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid, records) values (pg_current_xact_id(), true)
        on conflict (xid) do update set noted_at = clock_timestamp(), records = true;
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
  await sql`create or replace function note_status_change() returns trigger language plpgsql as $$
    begin
      insert into read_model_changes (xid, records) values (pg_current_xact_id(), false)
        on conflict (xid) do update set noted_at = clock_timestamp();
      delete from read_model_changes where xid in (
        select o.xid from read_model_changes o where o.noted_at < now() - interval '1 hour'
        order by o.noted_at limit 100 for update skip locked);
      return null;
    end $$`.execute(db);
}
