import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInstitution, loadPathwayRecords } from "../../db/queries/institutions";
import { loadRecordsFor } from "../../db/queries/portfolio";
import { insertAssessment, latestOfEach, listAssessments } from "../../db/queries/scorecard";
import { createTestDb, type TestDb } from "../support/db";
import { assessment } from "./support";

/** The scorecard's queries on PGlite: stored once, the latest ILO assessment (by its date) in the gate records. */

let h: TestDb;
const AT = new Date("2026-04-01T10:00:00Z");

beforeAll(async () => {
  h = await createTestDb("pglite");
});
afterAll(async () => {
  await h?.close();
});

async function institution(): Promise<string> {
  const id = randomUUID();
  await createInstitution(
    h.db,
    { id, name: `Scorecard ${id.slice(0, 6)}`, type: "private_provider", role: "implementing_partner", countryCode: "GH" },
    "test",
    AT,
  );
  return id;
}

const store = (institutionId: string, a: ReturnType<typeof assessment>, at = AT) =>
  h.db.transaction().execute((trx) => insertAssessment(trx, a, { institutionId, name: "Assessor", userId: null, at }));

describe("scorecard queries", () => {
  it("stores an assessment once under its id, and refuses the id for another institution", async () => {
    const [a, b] = [await institution(), await institution()];
    const x = assessment("self", { technical: 2, institutional: 3, financial: 1 });
    x.scores.trainer_pool.comment = "Six trainers";
    expect(await store(a, x)).toEqual({ created: true });
    expect(await store(a, x)).toEqual({ created: false, sameInstitution: true });
    expect(await store(b, x)).toEqual({ created: false, sameInstitution: false });
    const list = await listAssessments(h.db, a);
    expect(list).toHaveLength(1);
    expect(list[0].scores.trainer_pool).toEqual({ score: 2, comment: "Six trainers", evidence: [] });
    expect(await listAssessments(h.db, b)).toEqual([]);
  });

  it("puts the means of the latest-dated ILO assessment in the records, never the self-assessment", async () => {
    const id = await institution();
    expect((await loadPathwayRecords(h.db, id)).readiness).toBeNull();
    await store(id, assessment("self", { technical: 4, institutional: 4, financial: 4 }, "2026-03-30"));
    expect((await loadPathwayRecords(h.db, id)).readiness).toBeNull();

    await store(id, assessment("ilo", { technical: 3, institutional: 2, financial: 2 }, "2026-03-10"));
    // Recorded later but about an earlier visit: history, not the current assessment.
    await store(
      id,
      assessment("ilo", { technical: 1, institutional: 1, financial: 1 }, "2026-01-05"),
      new Date("2026-04-02T10:00:00Z"),
    );
    const expected = { assessedOn: "2026-03-10", means: { technical: 3, institutional: 2, financial: 2 } };
    expect((await loadPathwayRecords(h.db, id)).readiness).toEqual(expected);
    expect((await loadRecordsFor(h.db, [id])).get(id)?.readiness).toEqual(expected);

    const latest = latestOfEach(await listAssessments(h.db, id));
    expect([latest.self?.assessedOn, latest.ilo?.assessedOn]).toEqual(["2026-03-30", "2026-03-10"]);
  });
});
