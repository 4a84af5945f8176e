import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareAssessments } from "../../app/features/scorecard/scorecard";
import { listInstitutions, loadPathwayRecords } from "../../db/queries/institutions";
import { latestOfEach, listAssessments } from "../../db/queries/scorecard";
import { DEMO_STORY_INSTITUTION, seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/** The demo assessments: a good share of institutions assessed both ways, and the story's gaps to talk about. */

const NOW = new Date("2026-05-31T12:00:00Z");
let h: TestDb;

beforeAll(async () => {
  h = await createTestDb("pglite");
  await seedDemoData(h.db, NOW);
});
afterAll(async () => {
  await h?.close();
});

describe("demo readiness assessments", () => {
  it("gives about two institutions in three both a self-assessment and an ILO assessment, dated before now", async () => {
    const institutions = await listInstitutions(h.db);
    let both = 0;
    for (const i of institutions) {
      const list = await listAssessments(h.db, i.id);
      const latest = latestOfEach(list);
      if (latest.self && latest.ilo) both++;
      for (const a of list) {
        expect(a.assessedOn < "2026-05-31").toBe(true);
        expect(Object.keys(a.scores)).toHaveLength(12);
      }
      // The gate records carry the latest ILO assessment's means, or nothing.
      const readiness = (await loadPathwayRecords(h.db, i.id)).readiness;
      expect(readiness?.assessedOn ?? null).toBe(latest.ilo?.assessedOn ?? null);
    }
    expect(both).toBeGreaterThanOrEqual(Math.ceil(institutions.length / 2));
    expect(both).toBeLessThan(institutions.length);
  });

  it("shows the demo story's institution with a history and wide gaps both ways", async () => {
    const story = (await listInstitutions(h.db)).find((i) => i.name === DEMO_STORY_INSTITUTION)!;
    const list = await listAssessments(h.db, story.id);
    expect(list.map((a) => a.kind)).toEqual(["ilo", "self", "ilo"]);
    const latest = latestOfEach(list);
    const wide = compareAssessments(latest.self!.scores, latest.ilo!.scores).filter((g) => g.highlighted);
    expect(wide.length).toBeGreaterThanOrEqual(3);
    expect(wide.some((g) => g.gap! > 0)).toBe(true);
    expect(wide.some((g) => g.gap! < 0)).toBe(true);
  });
});
