import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../db/create-db";
import { withPreparedStatements } from "../../db/prepared-statements";
import type { Database } from "../../db/schema";
import { TEST_POSTGRES_URL } from "../support/db";

/**
 * Decision 050: each statement parsed and planned once per connection. What PostgreSQL itself
 * holds is read from `pg_prepared_statements` on the connection that ran the statements.
 */

const name = `pathways_test_${process.pid}_prep`;
let url = "";
let prepared: DbHandle;
let unnamed: DbHandle;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${name}`;
  url = u.toString();
  prepared = await createDb(url);
  unnamed = await createDb(url, { preparedStatements: false });
  await sql`create table things (id int primary key, label text not null)`.execute(prepared.db);
  await sql`insert into things select g, 'thing ' || g from generate_series(1, 100) g`.execute(prepared.db);
});
afterAll(async () => {
  await prepared?.close();
  await unnamed?.close();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

type Db = Kysely<Database>;
interface Held {
  statement: string;
  runs: number;
}

/** The statements PostgreSQL holds for the connection `fn` runs on, after `fn`. */
async function onOneConnection(db: Db, fn: (conn: Db) => Promise<void>): Promise<Held[]> {
  return db.connection().execute(async (conn) => {
    await fn(conn);
    const { rows } = await sql<{ statement: string; generic_plans: string; custom_plans: string }>`
      select statement, generic_plans, custom_plans from pg_prepared_statements
      where statement like '%from "things"%' and statement not like '%pg_prepared_statements%'
      order by statement`.execute(conn);
    return rows.map((r) => ({ statement: r.statement, runs: Number(r.generic_plans) + Number(r.custom_plans) }));
  });
}

// Kysely's query builder has no `things` table in the schema: untyped, as tests of the layer.
const byId = (db: Db, id: number) =>
  (db as unknown as Kysely<{ things: { id: number; label: string } }>)
    .selectFrom("things")
    .select(["id", "label"])
    .where("id", "=", id)
    .executeTakeFirst();

describe("statements prepared once per connection", () => {
  it("a statement run ten times with different values is parsed once, from its second run, and planned from then on by PostgreSQL's plan cache", async () => {
    const held = await onOneConnection(prepared.db, async (conn) => {
      for (let id = 1; id <= 10; id++) expect(await byId(conn, id)).toEqual({ id, label: `thing ${id}` });
    });
    // The first run goes unnamed: a text is named once it is seen again.
    expect(held).toEqual([{ statement: 'select "id", "label" from "things" where "id" = $1', runs: 9 }]);
  });

  it("a statement run once is never held", async () => {
    const held = await onOneConnection(prepared.db, async (conn) => {
      await sql`select label from "things" where id = ${7} and label <> ${"x"}`.execute(conn);
    });
    expect(held.filter((h) => h.statement.includes("label <>"))).toEqual([]);
  });

  it("with the setting off, nothing is kept on the connection", async () => {
    const held = await onOneConnection(unnamed.db, async (conn) => {
      for (let id = 1; id <= 3; id++) await byId(conn, id);
    });
    expect(held).toEqual([]);
  });

  it("long lists of values, whose text changes with their length, run unnamed, however often", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const held = await onOneConnection(prepared.db, async (conn) => {
      const things = conn as unknown as Kysely<{ things: { id: number; label: string } }>;
      for (let run = 0; run < 3; run++)
        expect(await things.selectFrom("things").select("id").where("id", "in", ids).execute()).toHaveLength(40);
      // The same statement with a short list is held from its second run.
      for (let run = 0; run < 2; run++) await things.selectFrom("things").select("id").where("id", "in", [1, 2]).execute();
    });
    expect(held.map((h) => h.statement).filter((t) => t.includes(" in ("))).toEqual([
      'select "id" from "things" where "id" in ($1, $2)',
    ]);
  });

  it("transactions and savepoints run as before: a rolled-back write is gone, a committed one stays", async () => {
    const things = prepared.db as unknown as Kysely<{ things: { id: number; label: string } }>;
    await expect(
      things.transaction().execute(async (tx) => {
        await tx.insertInto("things").values({ id: 1001, label: "kept?" }).execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const trx = await things.startTransaction().execute();
    await trx.insertInto("things").values({ id: 1002, label: "kept" }).execute();
    const inner = await trx.savepoint("inner").execute();
    await inner.insertInto("things").values({ id: 1003, label: "undone" }).execute();
    await inner.rollbackToSavepoint("inner").execute();
    await trx.commit().execute();
    const ids = await things.selectFrom("things").select("id").where("id", ">", 1000).orderBy("id").execute();
    expect(ids).toEqual([{ id: 1002 }]);
  });

  describe("on one connection (a pool of one)", () => {
    let single: Kysely<Database>;
    beforeAll(async () => {
      single = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: withPreparedStatements(new pg.Pool({ connectionString: url, max: 1 })) }),
      });
      await sql`create table shapes (id int primary key, label text not null)`.execute(single);
      await sql`insert into shapes values (1, 'one')`.execute(single);
    });
    afterAll(async () => {
      await single?.destroy();
    });
    const read = (db: Db) => sql<Record<string, unknown>>`select * from shapes where id = ${1}`.execute(db);
    // A migration, as a new version's start-up runs it while this process still serves.
    const migrate = (ddl: ReturnType<typeof sql>) => ddl.execute(unnamed.db);

    it("a column added while a read is held: outside a transaction the next read returns it, with no error", async () => {
      expect((await read(single)).rows).toEqual([{ id: 1, label: "one" }]);
      expect((await read(single)).rows).toEqual([{ id: 1, label: "one" }]); // now held
      await migrate(sql`alter table shapes add column colour text not null default 'blue'`);
      expect((await read(single)).rows).toEqual([{ id: 1, label: "one", colour: "blue" }]);
      expect((await read(single)).rows).toEqual([{ id: 1, label: "one", colour: "blue" }]);
    });

    it("inside a transaction the transaction fails once; the next transaction reads the new column", async () => {
      await migrate(sql`alter table shapes add column size int not null default 3`);
      // PostgreSQL refuses the held statement: the transaction fails, as with any failed statement.
      await expect(single.transaction().execute((tx) => read(tx))).rejects.toMatchObject({ code: "0A000" });
      const again = await single.transaction().execute((tx) => read(tx));
      expect(again.rows).toEqual([{ id: 1, label: "one", colour: "blue", size: 3 }]);
      await migrate(sql`alter table shapes add column shade text`);
      await expect(single.transaction().execute((tx) => read(tx))).rejects.toMatchObject({ code: "0A000" });
      expect((await single.transaction().execute((tx) => read(tx))).rows).toEqual([
        { id: 1, label: "one", colour: "blue", size: 3, shade: null },
      ]);
    });

    it("a statement the server no longer holds is parsed again, with no error", async () => {
      expect((await read(single)).rows).toHaveLength(1);
      // The server forgets every statement of this connection; pg still takes them as parsed.
      await sql`deallocate all`.execute(single);
      expect((await read(single)).rows).toHaveLength(1);
      expect((await read(single)).rows).toHaveLength(1);
    });
  });

  it("a process names at most its share of texts; texts seen after that run unnamed", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const wrapped = withPreparedStatements(pool, { maxStatements: 2 });
    const client = await wrapped.connect();
    try {
      for (const column of ["id", "label", "id, label"])
        for (let id = 1; id <= 2; id++) await client.query(`select ${column} from "things" where id = $1`, [id]);
      const { rows } = await client.query<{ statement: string }>(
        "select statement from pg_prepared_statements where statement like $1 order by statement",
        ['select % from "things" where id = $1'],
      );
      expect(rows.map((r) => r.statement)).toEqual([
        'select id from "things" where id = $1',
        'select label from "things" where id = $1',
      ]);
    } finally {
      client.release();
      await wrapped.end();
    }
  });
});
