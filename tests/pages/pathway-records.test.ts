import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPathwayRecords } from "../../db/queries/institutions";
import { loadRecordsFor } from "../../db/queries/portfolio";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb, type TestDbKind } from "../support/db";

/**
 * `loadPathwayRecords` is one statement (JSON built by PostgreSQL) where `loadRecordsFor` runs
 * seven: on the demo data (trainers with certifications, cycles in several currencies,
 * commitments, an ILO assessment), both give the same records for every institution, on the
 * PostgreSQL server and on PGlite.
 */
for (const kind of ["pglite", "postgres"] as TestDbKind[])
  describe(`one institution's records in one statement (${kind})`, () => {
    let handle: TestDb;
    beforeAll(async () => {
      handle = await createTestDb(kind);
      await seedDemoData(handle.db, new Date());
    });
    afterAll(async () => {
      await handle?.close();
    });

    it("the same records as the many-institution loader, for every institution", async () => {
      const ids = (await handle.db.selectFrom("institutions").select("id").execute()).map((r) => r.id);
      expect(ids.length).toBeGreaterThan(5);
      const all = await loadRecordsFor(handle.db, ids);
      let trainers = 0;
      let cycles = 0;
      let assessed = 0;
      for (const id of ids) {
        const one = await loadPathwayRecords(handle.db, id);
        expect(one).toEqual(all.get(id));
        trainers += one.trainers.length;
        cycles += one.cycles.length;
        if (one.readiness) assessed++;
      }
      // The comparison covered records of every kind.
      expect(trainers).toBeGreaterThan(0);
      expect(cycles).toBeGreaterThan(0);
      expect(assessed).toBeGreaterThan(0);
    });

    it("an institution that does not exist is an error, not empty records", async () => {
      await expect(loadPathwayRecords(handle.db, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/does not exist/);
    });
  });
