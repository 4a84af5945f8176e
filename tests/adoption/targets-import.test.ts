import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { getBatch } from "../../db/queries/imports";
import { createTestDb, type TestDb } from "../support/db";
import { checksum, csvBytes, seedForImport } from "../import/support";

/**
 * The targets import holds the logframe as written, on PostgreSQL: a target for a module or a
 * group of modules, for women, men or the share of women, and qualitative targets, each its own
 * record (indicator, country, phase, part); the same file again changes nothing, and a figure
 * replaced by words (or words by a figure) leaves no trace of the other.
 */

const HEADER = ["indicator_key", "country", "phase_key", "dimension", "target", "target_text", "note"];

let t: TestDb;
let seed: Awaited<ReturnType<typeof seedForImport>>;
const opts = () => ({ actor: seed.admin, now: () => new Date() });

beforeAll(async () => {
  t = await createTestDb("postgres");
  seed = await seedForImport(t.db, 1);
});
afterAll(async () => {
  await t?.close();
});

async function check(rows: string[][]) {
  const id = await dryRun(t.db, {
    entity: "targets",
    fileName: "targets.csv",
    bytes: csvBytes(HEADER, rows),
    actorId: seed.admin.id,
    now: new Date(),
  });
  return { id, batch: (await getBatch(t.db, id))! };
}

const stored = () =>
  t.db
    .selectFrom("indicator_targets")
    .select(["indicator_key", "country", "dimension", "target", "target_text", "note"])
    .orderBy("indicator_key")
    .orderBy("dimension")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, target: r.target === null ? null : Number(r.target) })));

const rows = () => [
  ["non_ilo_cost_share", "GH", "phase-3", "", "35", "", "All modules"],
  ["non_ilo_cost_share", "GH", "phase-3", "M1", "40 %", "", "Module 1 is sold to enterprises"],
  ["non_ilo_cost_share", "GH", "phase-3", "M5+M2+M3+M4", "20", "", ""],
  ["national_expert_trainers", "GH", "phase-3", "", "4", "", ""],
  ["national_expert_trainers", "GH", "phase-3", "women_share", "50", "", "Half of them women"],
  ["partner_staff_trained", "GH", "phase-3", "men", "10", "", ""],
  ["centre_of_excellence", "GH", "phase-3", "", "", "Recognised by the Ministry of Trade", ""],
];

describe("targets per module, by sex and in words", () => {
  it("a bad row is named with the form's message, and nothing is written", async () => {
    const before = await checksum(t.db);
    const bad = rows();
    bad[2][3] = "M2+M9";
    bad[4][4] = "150";
    const { batch } = await check(bad);
    expect(batch.status).toBe("invalid");
    expect((batch.problems as { row: number; column: string; code: string }[]).map((p) => [p.row, p.column, p.code])).toEqual([
      [4, "dimension", "indicators.error.module"],
      [6, "target", "indicators.error.percent"],
    ]);
    expect(await checksum(t.db)).toEqual(before);
  });

  it("imports every part as its own target, in its canonical form", async () => {
    const { id, batch } = await check(rows());
    expect(batch).toMatchObject({ status: "checked", created: 7, updated: 0, unchanged: 0 });
    expect((await runImport(t.db, id, opts())).status).toBe("done");
    expect(await stored()).toEqual([
      {
        indicator_key: "centre_of_excellence",
        country: "GH",
        dimension: "",
        target: null,
        target_text: "Recognised by the Ministry of Trade",
        note: "",
      },
      { indicator_key: "national_expert_trainers", country: "GH", dimension: "", target: 4, target_text: null, note: "" },
      {
        indicator_key: "national_expert_trainers",
        country: "GH",
        dimension: "women_share",
        target: 50,
        target_text: null,
        note: "Half of them women",
      },
      { indicator_key: "non_ilo_cost_share", country: "GH", dimension: "", target: 35, target_text: null, note: "All modules" },
      {
        indicator_key: "non_ilo_cost_share",
        country: "GH",
        dimension: "module:M1",
        target: 40,
        target_text: null,
        note: "Module 1 is sold to enterprises",
      },
      {
        indicator_key: "non_ilo_cost_share",
        country: "GH",
        dimension: "module:M2+M3+M4+M5",
        target: 20,
        target_text: null,
        note: "",
      },
      { indicator_key: "partner_staff_trained", country: "GH", dimension: "men", target: 10, target_text: null, note: "" },
    ]);
  });

  it("the same file again changes nothing; words replacing a figure clear the figure, and back", async () => {
    const after = await checksum(t.db);
    const again = await check(rows());
    expect(again.batch).toMatchObject({ status: "checked", created: 0, updated: 0, unchanged: 7 });
    await runImport(t.db, again.id, opts());
    expect(await checksum(t.db)).toEqual(after);

    const swapped = rows();
    swapped[3] = ["national_expert_trainers", "GH", "phase-3", "", "", "At least one per region", ""];
    swapped[6] = ["centre_of_excellence", "GH", "phase-3", "", "yes", "", ""];
    const update = await check(swapped);
    expect(update.batch).toMatchObject({ status: "checked", created: 0, updated: 2, unchanged: 5 });
    await runImport(t.db, update.id, opts());
    const now = await stored();
    expect(now.find((r) => r.indicator_key === "national_expert_trainers" && r.dimension === "")).toMatchObject({
      target: null,
      target_text: "At least one per region",
    });
    expect(now.find((r) => r.indicator_key === "centre_of_excellence")).toMatchObject({ target: 1, target_text: null });
  });
});
