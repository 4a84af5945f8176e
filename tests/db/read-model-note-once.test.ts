import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";

/**
 * A transaction notes itself in `read_model_changes` once (migration 026, decision 039): however
 * many statements it writes, its row is written by the first and not rewritten by the others
 * (a rewrite each time made a long transaction quadratic), and it still says whether the
 * transaction changed records or only the stored status. On PGlite and on the server.
 */

type Trx = Transaction<Database>;

const me = async (trx: Trx) => (await sql<{ me: string }>`select pg_current_xact_id()::text as me`.execute(trx)).rows[0].me;
/** The transaction's row as it sees it: its physical place changes with every rewrite. */
const noted = async (trx: Trx, xid: string) =>
  (
    await sql<{ ctid: string; records: boolean; noted_at: Date }>`
      select ctid::text, records, noted_at from read_model_changes where xid = ${xid}::xid8`.execute(trx)
  ).rows;
const writeRecords = (trx: Trx) => sql`update countries set name = name where code = 'GH'`.execute(trx);
// A statement trigger fires even for a statement that touches no row.
const writeStatus = (trx: Trx) => sql`delete from institution_status where false`.execute(trx);
const committed = async (t: TestDb, xid: string) =>
  (await sql<{ records: boolean }>`select records from read_model_changes where xid = ${xid}::xid8`.execute(t.db)).rows;

describe.each(["pglite", "postgres"] as const)("read-model change notes (%s)", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("a transaction of many writing statements is noted by the first and not rewritten by the others", async () => {
    const xid = await t.db.transaction().execute(async (trx) => {
      const xid = await me(trx);
      await writeRecords(trx);
      const first = await noted(trx, xid);
      expect(first).toHaveLength(1);
      for (let i = 0; i < 200; i++) await writeRecords(trx);
      expect(await noted(trx, xid)).toEqual(first);
      return xid;
    });
    expect(await committed(t, xid)).toEqual([{ records: true }]);
  });

  it("status only is noted as such; a record written before or after makes it a change of records", async () => {
    const statusOnly = await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) await writeStatus(trx);
      return me(trx);
    });
    expect(await committed(t, statusOnly)).toEqual([{ records: false }]);

    const statusThenRecords = await t.db.transaction().execute(async (trx) => {
      await writeStatus(trx);
      await writeRecords(trx);
      await writeStatus(trx);
      return me(trx);
    });
    expect(await committed(t, statusThenRecords)).toEqual([{ records: true }]);

    const recordsThenStatus = await t.db.transaction().execute(async (trx) => {
      await writeRecords(trx);
      await writeStatus(trx);
      return me(trx);
    });
    expect(await committed(t, recordsThenStatus)).toEqual([{ records: true }]);
  });

  it("a savepoint rolled back takes its note back with it, and a later write notes again", async () => {
    const xid = await t.db.transaction().execute(async (trx) => {
      await writeStatus(trx);
      await sql`savepoint s`.execute(trx);
      await writeRecords(trx);
      await sql`rollback to savepoint s`.execute(trx);
      const xid = await me(trx);
      expect((await noted(trx, xid)).map((r) => r.records)).toEqual([false]);
      await writeRecords(trx);
      expect((await noted(trx, xid)).map((r) => r.records)).toEqual([true]);
      return xid;
    });
    expect(await committed(t, xid)).toEqual([{ records: true }]);
  });

  it("a note older than ten seconds is refreshed by the next write, so noted_at follows the last write", async () => {
    await t.db.transaction().execute(async (trx) => {
      await writeRecords(trx);
      const xid = await me(trx);
      const [first] = await noted(trx, xid);
      // The transaction's own record of its note, made to look eleven seconds old.
      const setting = (await sql<{ v: string }>`select current_setting('pathways.read_model_noted') as v`.execute(trx)).rows[0].v;
      const [who, what, at] = setting.split(" ");
      expect([who, what]).toEqual([xid, "records"]);
      await sql`select set_config('pathways.read_model_noted', ${`${who} ${what} ${Number(at) - 11}`}, true)`.execute(trx);
      await writeRecords(trx);
      const [after] = await noted(trx, xid);
      expect(after.ctid).not.toBe(first.ctid);
      expect(new Date(after.noted_at).getTime()).toBeGreaterThanOrEqual(new Date(first.noted_at).getTime());
      expect(after.records).toBe(true);
    });
  });
});
