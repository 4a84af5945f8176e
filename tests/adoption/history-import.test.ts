import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { getBatch } from "../../db/queries/imports";
import { createTestDb, type TestDb } from "../support/db";
import { checksum, csvBytes, seedForImport, TRAINER_HEADER } from "../import/support";

/**
 * History brought in with its dates: trainer certifications (with the national-expert flag),
 * MoUs (many per institution) and sponsors. Each kind has the same dry run, all-or-nothing
 * import and idempotent rerun as the others, and tells the pathways of the institutions whose
 * records changed (the recordsChanged path the import page uses), and only those.
 */

let t: TestDb;
let seed: Awaited<ReturnType<typeof seedForImport>>;
let ids: Record<string, string>;
const told: string[][] = [];
const opts = () => ({
  actor: seed.admin,
  now: () => new Date(),
  recordsChanged: async (institutionIds: string[]) => {
    told.push([...institutionIds].sort());
    return [];
  },
});

beforeAll(async () => {
  t = await createTestDb("postgres");
  seed = await seedForImport(t.db, 2);
  const rows = await t.db.selectFrom("institutions").select(["id", "name"]).execute();
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  const trainers = [
    ["GH", seed.institutions[0], "T-1", "Ama Mensah", "female", "no", "2013-05-10", ""],
    ["GH", seed.institutions[1], "T-2", "Kofi Boateng", "male", "no", "2013-05-10", ""],
  ];
  const batch = await dryRun(t.db, {
    entity: "trainers",
    fileName: "trainers.csv",
    bytes: csvBytes(TRAINER_HEADER, trainers),
    actorId: seed.admin.id,
    now: new Date(),
  });
  expect((await runImport(t.db, batch, opts())).status).toBe("done");
  told.length = 0;
});
afterAll(async () => {
  await t?.close();
});

async function importFile(entity: string, header: string[], rows: string[][]) {
  const id = await dryRun(t.db, {
    entity: entity as "mous",
    fileName: `${entity}.csv`,
    bytes: csvBytes(header, rows),
    actorId: seed.admin.id,
    now: new Date(),
  });
  return { id, batch: (await getBatch(t.db, id))! };
}

const CERT_HEADER = ["country", "institution", "trainer_code", "module", "certified_on", "expires_on", "national_expert"];

describe("trainer certifications", () => {
  const rows = () => [
    ["GH", seed.institutions[0], "T-1", "M1", "2014-06-30", "2017-06-30", "yes"],
    ["GH", seed.institutions[0], "T-1", "M2", "2015-02-01", "2018-02-01", ""],
    ["GH", seed.institutions[1], "T-2", "M1", "2014-06-30", "2017-06-30", "no"],
  ];

  it("the dry run names an unknown trainer and an expiry before the certification, and writes nothing", async () => {
    const bad = rows();
    bad[1][2] = "T-99";
    bad[2][5] = "2013-01-01";
    const before = await checksum(t.db);
    const { batch } = await importFile("certifications", CERT_HEADER, bad);
    expect(batch.status).toBe("invalid");
    expect(
      (batch.problems as { row: number; column: string; code: string }[]).map(({ row, column, code }) => ({ row, column, code })),
    ).toEqual([
      { row: 3, column: "trainer_code", code: "import.problem.unknownTrainer" },
      { row: 4, column: "expires_on", code: "import.problem.endBeforeStart" },
    ]);
    expect(await checksum(t.db)).toEqual(before);
  });

  it("imports certifications with their dates, sets the national-expert flag, and tells both pathways", async () => {
    const { id, batch } = await importFile("certifications", CERT_HEADER, rows());
    expect(batch).toMatchObject({ status: "checked", created: 3, updated: 0, unchanged: 0 });
    expect((await runImport(t.db, id, opts())).status).toBe("done");
    const certs = await t.db
      .selectFrom("trainer_certifications as c")
      .innerJoin("trainers as t", "t.id", "c.trainer_id")
      .select(["t.external_code", "c.module_code", "c.certified_on", "c.expires_on", "c.import_batch_id"])
      .orderBy("t.external_code")
      .orderBy("c.module_code")
      .execute();
    expect(certs).toEqual([
      { external_code: "T-1", module_code: "M1", certified_on: "2014-06-30", expires_on: "2017-06-30", import_batch_id: id },
      { external_code: "T-1", module_code: "M2", certified_on: "2015-02-01", expires_on: "2018-02-01", import_batch_id: id },
      { external_code: "T-2", module_code: "M1", certified_on: "2014-06-30", expires_on: "2017-06-30", import_batch_id: id },
    ]);
    const experts = await t.db
      .selectFrom("trainers")
      .select(["external_code", "national_expert"])
      .orderBy("external_code")
      .execute();
    expect(experts).toEqual([
      { external_code: "T-1", national_expert: true },
      { external_code: "T-2", national_expert: false },
    ]);
    expect(told).toEqual([[ids[seed.institutions[0]], ids[seed.institutions[1]]].sort()]);
  });

  it("the same file again changes nothing and tells no pathway; a changed expiry is an update", async () => {
    told.length = 0;
    const after = await checksum(t.db);
    const again = await importFile("certifications", CERT_HEADER, rows());
    expect(again.batch).toMatchObject({ status: "checked", created: 0, updated: 0, unchanged: 3 });
    expect((await runImport(t.db, again.id, opts())).status).toBe("done");
    expect(await checksum(t.db)).toEqual(after);
    expect(told).toEqual([]);

    const changed = rows();
    changed[2][5] = "2018-12-31";
    const update = await importFile("certifications", CERT_HEADER, changed);
    expect(update.batch).toMatchObject({ status: "checked", created: 0, updated: 1, unchanged: 2 });
    await runImport(t.db, update.id, opts());
    expect(told).toEqual([[ids[seed.institutions[1]]]]);
  });
});

const MOU_HEADER = ["country", "institution", "partner", "signed_on", "ends_on"];

describe("MoUs, many per institution", () => {
  const rows = () => [
    ["GH", seed.institutions[0], "Ministry of Employment", "2015-05-01", "2019-12-31"],
    ["GH", seed.institutions[0], "ILO", "2013-03-01", "2017-12-31"],
    ["GH", seed.institutions[1], "ILO", "2014-01-15", ""],
  ];

  it("imports every MoU with its partner and dates; the institution's MoU date is its earliest, audited", async () => {
    told.length = 0;
    const { id, batch } = await importFile("mous", MOU_HEADER, rows());
    expect(batch).toMatchObject({ status: "checked", created: 3 });
    expect((await runImport(t.db, id, opts())).status).toBe("done");
    const mous = await t.db
      .selectFrom("institution_mous")
      .select(["institution_id", "partner", "signed_on", "ends_on"])
      .orderBy("signed_on")
      .execute();
    expect(mous).toEqual([
      { institution_id: ids[seed.institutions[0]], partner: "ILO", signed_on: "2013-03-01", ends_on: "2017-12-31" },
      { institution_id: ids[seed.institutions[1]], partner: "ILO", signed_on: "2014-01-15", ends_on: null },
      {
        institution_id: ids[seed.institutions[0]],
        partner: "Ministry of Employment",
        signed_on: "2015-05-01",
        ends_on: "2019-12-31",
      },
    ]);
    const signed = await t.db.selectFrom("institutions").select(["id", "mou_signed_on"]).orderBy("name").execute();
    expect(signed).toEqual([
      { id: ids[seed.institutions[0]], mou_signed_on: "2013-03-01" },
      { id: ids[seed.institutions[1]], mou_signed_on: "2014-01-15" },
    ]);
    const audited = await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "institution.imported").execute();
    expect(audited.map((a) => a.entity_id).sort()).toEqual([ids[seed.institutions[0]], ids[seed.institutions[1]]].sort());
    expect(told).toEqual([[ids[seed.institutions[0]], ids[seed.institutions[1]]].sort()]);
  });

  it("the same file again changes nothing", async () => {
    told.length = 0;
    const after = await checksum(t.db);
    const again = await importFile("mous", MOU_HEADER, rows());
    expect(again.batch).toMatchObject({ status: "checked", created: 0, updated: 0, unchanged: 3 });
    await runImport(t.db, again.id, opts());
    expect(await checksum(t.db)).toEqual(after);
    expect(told).toEqual([]);
  });
});

const SPONSOR_HEADER = ["country", "institution", "kind", "funder", "starts_on", "ends_on"];

describe("sponsors and paying organisations", () => {
  const rows = () => [
    ["GH", seed.institutions[0], "multi_year_sponsor", "Ghana Cocoa Board", "2015-01-01", "2017-12-31"],
    ["GH", seed.institutions[0], "government_budget_line", "Ministry of Trade", "2016-01-01", ""],
  ];

  it("imports them with their dates, refuses an end before the start, and reruns unchanged", async () => {
    const bad = rows();
    bad[0][5] = "2014-01-01";
    expect((await importFile("sponsors", SPONSOR_HEADER, bad)).batch.status).toBe("invalid");
    told.length = 0;
    const { id, batch } = await importFile("sponsors", SPONSOR_HEADER, rows());
    expect(batch).toMatchObject({ status: "checked", created: 2 });
    await runImport(t.db, id, opts());
    const stored = await t.db
      .selectFrom("funding_commitments")
      .select(["kind", "funder", "starts_on", "ends_on", "import_batch_id"])
      .orderBy("starts_on")
      .execute();
    expect(stored).toEqual([
      {
        kind: "multi_year_sponsor",
        funder: "Ghana Cocoa Board",
        starts_on: "2015-01-01",
        ends_on: "2017-12-31",
        import_batch_id: id,
      },
      {
        kind: "government_budget_line",
        funder: "Ministry of Trade",
        starts_on: "2016-01-01",
        ends_on: null,
        import_batch_id: id,
      },
    ]);
    expect(told).toEqual([[ids[seed.institutions[0]]]]);
    const after = await checksum(t.db);
    const again = await importFile("sponsors", SPONSOR_HEADER, rows());
    expect(again.batch).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    await runImport(t.db, again.id, opts());
    expect(await checksum(t.db)).toEqual(after);
  });
});
