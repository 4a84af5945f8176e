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
