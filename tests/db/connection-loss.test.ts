import pg from "pg";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb, TEST_POSTGRES_URL, type TestDb } from "../support/db";

/**
 * A server that ends idle connections (a restart, a failover, `pg_terminate_backend`) must not
 * take the web process or the worker down: the pool drops them and the next query reconnects.
 */
let h: TestDb;
beforeAll(async () => {
  h = await createTestDb("postgres");
});
afterAll(async () => {
  await h?.close();
});

it("survives the server ending its idle connections", async () => {
  // Open several pooled connections, then let them sit idle.
  await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(h.db)));
  const name = new URL(h.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const ended = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    expect(ended.rowCount).toBeGreaterThan(0);
  } finally {
    await admin.end();
  }
  await new Promise((r) => setTimeout(r, 200));
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from institutions`.execute(h.db);
  expect(rows[0].n).toBe(0);
});

it("survives the server ending connections in the middle of reads and writes: those queries fail, the process carries on", async () => {
  const name = new URL(h.url).pathname.slice(1);
  const warned: unknown[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warned.push(a);
  try {
    // Busy connections: reads that sleep, and writes holding a transaction open between two
    // statements (checked out of the pool, no query running: the case that crashed the process).
    let ended = false;
    const reads = Array.from({ length: 3 }, () => sql`select pg_sleep(5)`.execute(h.db));
    const writes = Array.from({ length: 3 }, (_, i) =>
      h.db.transaction().execute(async (trx) => {
        await sql`create temporary table scratch_${sql.raw(String(i))} (n int)`.execute(trx);
        while (!ended) await new Promise((r) => setTimeout(r, 50));
        await sql`insert into scratch_${sql.raw(String(i))} values (1)`.execute(trx);
      }),
    );
    const outcomes = Promise.allSettled([...reads, ...writes]);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      // Wait until all six are running, then end them.
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query(
          "select count(*) filter (where state = 'active' and query like '%pg_sleep(5)%')::int as reading, count(*) filter (where state = 'idle in transaction')::int as writing from pg_stat_activity where datname = $1",
          [name],
        );
        if (rows[0].reading >= 3 && rows[0].writing >= 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const terminated = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [name],
      );
      expect(terminated.rowCount).toBeGreaterThanOrEqual(6);
      await new Promise((r) => setTimeout(r, 200));
      ended = true;
    } finally {
      ended = true;
      await admin.end();
    }
    const settled = await outcomes;
    expect(settled.every((o) => o.status === "rejected")).toBe(true);
    // The process is still here (an unhandled `error` event would have ended it) and the next queries work.
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from institutions`.execute(h.db);
    expect(rows[0].n).toBe(0);
    expect(warned.length).toBeGreaterThan(0);
  } finally {
    console.warn = warn;
  }
});
