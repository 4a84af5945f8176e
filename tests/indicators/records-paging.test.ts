import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordRef } from "../../app/features/indicators/indicators";
import { describeRecords } from "../../db/queries/indicators";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The records behind an actual, a page at a time (/logframe/records): the pages, put together,
 * are the whole list in its order, every section (institutions, trainers, cycles, commitments)
 * paged by the database, across section boundaries too.
 */
describe("records behind an actual, paged", () => {
  let handle: TestDb;
  let refs: RecordRef[];

  beforeAll(async () => {
    handle = await createTestDb("pglite");
    const db = handle.db;
    await seedDemoData(db, new Date(Date.UTC(2026, 5, 1)));
    const ids = async (table: "institutions" | "trainers" | "training_cycles" | "funding_commitments") =>
      (await db.selectFrom(table).select("id").execute()).map((r) => r.id);
    // Shuffled by type, as an indicator may give them.
    refs = [
      ...(await ids("training_cycles")).map((id) => ({ type: "cycle" as const, id })),
      ...(await ids("funding_commitments")).map((id) => ({ type: "commitment" as const, id })),
      ...(await ids("institutions")).map((id) => ({ type: "institution" as const, id })),
      ...(await ids("trainers")).map((id) => ({ type: "trainer" as const, id })),
    ];
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("gives every record once, in the whole list's order, whatever the page size", async () => {
    const whole = await describeRecords(handle.db, refs);
    expect(whole.length).toBe(refs.length);
    expect(new Set(whole.map((r) => r.type))).toEqual(new Set(["institution", "trainer", "cycle", "commitment"]));
    for (const per of [1, 7, 50]) {
      const pages: string[] = [];
      for (let offset = 0; offset < refs.length; offset += per) {
        const page = await describeRecords(handle.db, refs, { offset, limit: per });
        expect(page.length).toBe(Math.min(per, refs.length - offset));
        pages.push(...page.map((r) => `${r.type}:${r.id}`));
        if (per === 1 && offset > 60) break; // one row a page: the first sections' boundaries are enough
      }
      expect(pages).toEqual(whole.slice(0, pages.length).map((r) => `${r.type}:${r.id}`));
    }
  });
});
