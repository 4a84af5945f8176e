import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeCheck } from "../../db/queries/read-model";
import { createTestDb, type TestDb } from "../support/db";

/**
 * Every page request asks once what changed (decision 030). With an hour of noted changes in
 * `read_model_changes` (tens of thousands of rows under write load) the question must walk the
 * primary key from the seen snapshot, not read the table: PostgreSQL has no statistics for xid8,
 * and an `exists (…)` form was planned as a sequential scan of every row on each request.
 */

let handle: TestDb;
beforeAll(async () => {
  handle = await createTestDb("postgres");
  // An hour of changes by transactions long committed: xids below the current one.
  await sql`insert into read_model_changes (xid, records)
    select (g::text)::xid8, g % 10 = 0 from generate_series(1, 20000) g
    on conflict do nothing`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
});

const plan = async (seen: string) => {
  const { rows } = await sql<{ "QUERY PLAN": unknown }>`explain (format json) ${changeCheck(seen)}`.execute(handle.db);
  return JSON.stringify(rows[0]!["QUERY PLAN"]);
};

describe("the read model's change check", () => {
  it("walks the primary key from the seen snapshot's xmin, never the whole table, before and after ANALYZE", async () => {
    const { rows } = await sql<{ snap: string }>`select pg_current_snapshot()::text as snap`.execute(handle.db);
    for (const analyzed of [false, true]) {
      if (analyzed) await sql`analyze read_model_changes`.execute(handle.db);
      const shown = await plan(rows[0]!.snap);
      expect(shown, analyzed ? "after ANALYZE" : "before ANALYZE").toContain("read_model_changes_pkey");
      expect(shown, analyzed ? "after ANALYZE" : "before ANALYZE").not.toContain("Seq Scan");
    }
  });

  it("keeps to the primary key as a prepared statement's generic plan too (decision 050)", async () => {
    // Statements are prepared once per connection; after five runs PostgreSQL may plan with the
    // seen snapshot unknown. That plan must walk the index as the custom ones do.
    await sql`analyze read_model_changes`.execute(handle.db);
    const { rows } = await sql<{ snap: string }>`select pg_current_snapshot()::text as snap`.execute(handle.db);
    const snap = rows[0]!.snap;
    expect(snap).toMatch(/^\d+:\d+:[\d,]*$/);
    const compiled = changeCheck(snap).compile(handle.db);
    const shown = await handle.db.connection().execute(async (conn) => {
      await sql.raw(`prepare change_check as ${compiled.sql}`).execute(conn);
      await sql`set plan_cache_mode = force_generic_plan`.execute(conn);
      try {
        const args = compiled.parameters.map(() => `'${snap}'`).join(", ");
        const explained = await sql
          .raw<{ "QUERY PLAN": unknown }>(`explain (format json) execute change_check(${args})`)
          .execute(conn);
        return JSON.stringify(explained.rows[0]!["QUERY PLAN"]);
      } finally {
        await sql`reset plan_cache_mode`.execute(conn);
        await sql`deallocate change_check`.execute(conn);
      }
    });
    expect(shown).toContain("read_model_changes_pkey");
    expect(shown).not.toContain("Seq Scan");
  });

  it("still tells a change the seen snapshot missed from none", async () => {
    const seen = (await changeCheck(null).execute(handle.db)).rows[0]!.snap;
    expect((await changeCheck(seen).execute(handle.db)).rows[0]).toMatchObject({ changed: false, records: false });
    await sql`insert into read_model_changes (xid, records) values (pg_current_xact_id(), false)`.execute(handle.db);
    expect((await changeCheck(seen).execute(handle.db)).rows[0]).toMatchObject({ changed: true, records: false });
    await sql`insert into read_model_changes (xid, records) values (pg_current_xact_id(), true)`.execute(handle.db);
    expect((await changeCheck(seen).execute(handle.db)).rows[0]).toMatchObject({ changed: true, records: true });
  });
});
