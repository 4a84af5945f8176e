import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatch } from "../../db/queries/imports";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { createTestDb, type TestDb } from "../support/db";
import { checksum, csvBytes, seedForImport, TRAINER_HEADER, trainerRows, xlsxBytes } from "./support";

/**
 * Bulk import against a real PostgreSQL database: a 10,000-row file with a handful of bad rows,
 * its dry run, the import in one transaction, the same file again, and a failure late in a file.
 */

let t: TestDb;
let seed: Awaited<ReturnType<typeof seedForImport>>;
const now = () => new Date();

beforeAll(async () => {
  t = await createTestDb("postgres");
  seed = await seedForImport(t.db);
});
afterAll(async () => {
  await t?.close();
});

const trainerCount = async () =>
  Number(
    (
      await t.db
        .selectFrom("trainers")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("a 10,000-row trainers file", () => {
  const good = () => trainerRows(10_000, seed.institutions);
  const opts = () => ({ actor: seed.admin, now, startPathway: async () => undefined });

  it("dry run lists exactly the bad rows' problems (row, column, message) and writes nothing", async () => {
    const rows = good();
    // Spreadsheet row = index + 2 (the header is row 1).
    rows[99][4] = "f"; // row 101: sex
    rows[2498][6] = "2024-02-30"; // row 2500: no such day
    rows[4998][1] = "Nowhere Institute"; // row 5000: unknown institution
    rows[7775][1] = rows[8][1]; // row 7777: the same institution and code as row 10
    rows[7775][2] = rows[8][2];
    rows[9997][3] = ""; // row 9999: no name
    rows[9998][5] = "perhaps"; // row 10000: not yes/no
    const before = await checksum(t.db);
    const id = await dryRun(t.db, {
      entity: "trainers",
      fileName: "trainers.csv",
      bytes: csvBytes(TRAINER_HEADER, rows),
      actorId: seed.admin.id,
      now: now(),
    });
    const batch = (await getBatch(t.db, id))!;
    expect(batch.status).toBe("invalid");
    expect(
      (batch.problems as { row: number; column: string; code: string }[]).map(({ row, column, code }) => ({ row, column, code })),
    ).toEqual([
      { row: 101, column: "sex", code: "import.problem.oneOf" },
      { row: 2500, column: "trained_on", code: "import.problem.date" },
      { row: 5000, column: "institution", code: "import.problem.unknownInstitution" },
      { row: 7777, column: "trainer_code", code: "import.problem.duplicate" },
      { row: 9999, column: "name", code: "import.problem.required" },
      { row: 10_000, column: "national_expert", code: "import.problem.bool" },
    ]);
    expect(batch.problem_count).toBe(6);
    expect(await checksum(t.db)).toEqual(before);
    // An invalid batch cannot be run.
    expect((await runImport(t.db, id, opts())).status).toBe("not_waiting");
    expect(await checksum(t.db)).toEqual(before);
  });

  it("once fixed, imports all 10,000 in one go; the same file again changes nothing", async () => {
    const bytes = csvBytes(TRAINER_HEADER, good());
    const id = await dryRun(t.db, { entity: "trainers", fileName: "trainers.csv", bytes, actorId: seed.admin.id, now: now() });
    expect(await getBatch(t.db, id)).toMatchObject({
      status: "checked",
      rows: 10_000,
      created: 10_000,
      updated: 0,
      unchanged: 0,
    });
    expect(await trainerCount()).toBe(0);

    const outcome = await runImport(t.db, id, opts());
    expect(outcome.status).toBe("done");
    expect(await getBatch(t.db, id)).toMatchObject({ status: "done", created: 10_000, updated: 0, unchanged: 0 });
    expect(await trainerCount()).toBe(10_000);
    const stamped = await t.db
      .selectFrom("trainers")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("import_batch_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Number(stamped.n)).toBe(10_000);
    const women = await t.db.selectFrom("trainers").select("sex").where("external_code", "=", "T-1").executeTakeFirstOrThrow();
    expect(women.sex).toBe("female");

    // A second click on "import" runs nothing.
    expect((await runImport(t.db, id, opts())).status).toBe("not_waiting");

    const after = await checksum(t.db);
    const again = await dryRun(t.db, {
      entity: "trainers",
      fileName: "trainers-again.csv",
      bytes,
      actorId: seed.admin.id,
      now: now(),
    });
    expect(await getBatch(t.db, again)).toMatchObject({ status: "checked", created: 0, updated: 0, unchanged: 10_000 });
    expect((await runImport(t.db, again, opts())).status).toBe("done");
    expect(await getBatch(t.db, again)).toMatchObject({ status: "done", created: 0, updated: 0, unchanged: 10_000 });
    expect(await checksum(t.db)).toEqual(after);
  });

  it("the same 10,000 rows as an Excel workbook: read alike, all unchanged", async () => {
    const bytes = await xlsxBytes(TRAINER_HEADER, good());
    const id = await dryRun(t.db, { entity: "trainers", fileName: "trainers.xlsx", bytes, actorId: seed.admin.id, now: now() });
    expect(await getBatch(t.db, id)).toMatchObject({
      status: "checked",
      file_type: "xlsx",
      rows: 10_000,
      created: 0,
      updated: 0,
      unchanged: 10_000,
    });
  });

  it("a changed row is an update, the rest unchanged", async () => {
    const rows = good();
    rows[41][3] = "Trainer renamed";
    const id = await dryRun(t.db, {
      entity: "trainers",
      fileName: "trainers.csv",
      bytes: csvBytes(TRAINER_HEADER, rows),
      actorId: seed.admin.id,
      now: now(),
    });
    expect(await getBatch(t.db, id)).toMatchObject({ status: "checked", created: 0, updated: 1, unchanged: 9_999 });
    await runImport(t.db, id, opts());
    expect(
      (await t.db.selectFrom("trainers").select("name").where("external_code", "=", "T-42").executeTakeFirstOrThrow()).name,
    ).toBe("Trainer renamed");
  });

  it("all or nothing: a database failure at row 9,990 leaves nothing of the file written", async () => {
    await sql`create function refuse_trainer() returns trigger language plpgsql as $$
      begin if new.name = 'Trainer N 9989' then raise exception 'refused by the test'; end if; return new; end $$`.execute(t.db);
    await sql`create trigger refuse_trainer before insert on trainers for each row execute function refuse_trainer()`.execute(
      t.db,
    );
    try {
      const before = await checksum(t.db);
      const bytes = csvBytes(TRAINER_HEADER, trainerRows(10_000, seed.institutions, "N"));
      const id = await dryRun(t.db, { entity: "trainers", fileName: "more.csv", bytes, actorId: seed.admin.id, now: now() });
      expect(await getBatch(t.db, id)).toMatchObject({ status: "checked", created: 10_000 });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...a: unknown[]) => errors.push(a);
      try {
        expect(await runImport(t.db, id, opts())).toEqual({ status: "failed", error: "import.error.failed" });
      } finally {
        console.error = original;
      }
      expect(errors).toHaveLength(1);
      expect(await checksum(t.db)).toEqual(before);
      expect(await getBatch(t.db, id)).toMatchObject({ status: "failed", created: 10_000, error: "import.error.failed" });
      const audits = await t.db.selectFrom("audit_log").select("id").where("entity_id", "=", id).execute();
      expect(audits).toEqual([]);
    } finally {
      await sql`drop trigger refuse_trainer on trainers`.execute(t.db);
      await sql`drop function refuse_trainer()`.execute(t.db);
    }
  });
});

describe("other layouts, from XLSX and CSV", () => {
  const opts = (started: string[] = []) => ({
    actor: seed.admin,
    now,
    startPathway: async (id: string) => void started.push(id),
  });

  it("institutions from XLSX: created at their first stage, pathways started after the commit, again a no-op", async () => {
    const header = ["country", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"];
    const rows = [
      ["GH", "Kumasi Business School", "private_provider", "implementing_partner", new Date(Date.UTC(2024, 2, 15)), "", "yes"],
      ["PE", "Lima Centro de Formación", "employers_organisation", "national_coordinator", "", "", ""],
    ];
    const bytes = await xlsxBytes(header, rows);
    const started: string[] = [];
    const id = await dryRun(t.db, {
      entity: "institutions",
      fileName: "institutions.xlsx",
      bytes,
      actorId: seed.admin.id,
      now: now(),
    });
    expect(await getBatch(t.db, id)).toMatchObject({ status: "checked", file_type: "xlsx", created: 2 });
    const outcome = await runImport(t.db, id, opts(started));
    expect(outcome.status).toBe("done");
    const made = await t.db
      .selectFrom("institutions")
      .select(["id", "name", "mou_signed_on", "score_in_portfolio", "stage_key"])
      .where("import_batch_id", "=", id)
      .orderBy("name")
      .execute();
    expect(made.map((m) => [m.name, m.mou_signed_on, m.score_in_portfolio, m.stage_key])).toEqual([
      ["Kumasi Business School", "2024-03-15", true, "engaged"],
      ["Lima Centro de Formación", null, false, "engaged"],
    ]);
    expect(started.sort()).toEqual(made.map((m) => m.id).sort());

    const before = await checksum(t.db);
    const again = await dryRun(t.db, {
      entity: "institutions",
      fileName: "institutions.xlsx",
      bytes,
      actorId: seed.admin.id,
      now: now(),
    });
    const started2: string[] = [];
    await runImport(t.db, again, opts(started2));
    expect(await getBatch(t.db, again)).toMatchObject({ status: "done", created: 0, updated: 0, unchanged: 2 });
    expect(started2).toEqual([]);
    expect(await checksum(t.db)).toEqual(before);

    // A changed cell updates the institution, with an entry in its own audit history.
    rows[1][4] = "2025-01-20";
    const changed = await dryRun(t.db, {
      entity: "institutions",
      fileName: "institutions.xlsx",
      bytes: await xlsxBytes(header, rows),
      actorId: seed.admin.id,
      now: now(),
    });
    await runImport(t.db, changed, opts());
    expect(await getBatch(t.db, changed)).toMatchObject({ status: "done", created: 0, updated: 1, unchanged: 1 });
    const lima = made.find((m) => m.name === "Lima Centro de Formación")!;
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("institution_id", "=", lima.id)
      .where("action", "=", "institution.imported")
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ mou_signed_on: null });
    expect(audit.after).toMatchObject({ mou_signed_on: "2025-01-20", importBatchId: changed });
  });

  it("enterprises, then training cycles naming them (CSV), with money in minor units", async () => {
    const inst = seed.institutions[0];
    const ent = csvBytes(
      ["country", "institution", "name", "size", "sector", "workers_female", "workers_male"],
      [
        ["GH", inst, "Tema Garments Ltd", "medium", "Garments", "120", "80"],
        ["GH", inst, "Accra Foods", "small", "", "", ""],
      ],
    );
    const e = await dryRun(t.db, { entity: "enterprises", fileName: "e.csv", bytes: ent, actorId: seed.admin.id, now: now() });
    expect((await runImport(t.db, e, opts())).status).toBe("done");

    const header = [
      "country",
      "institution",
      "module",
      "enterprise",
      "started_on",
      "ended_on",
      "cycle_code",
      "visits",
      "managers_female",
      "managers_male",
      "workers_female",
      "workers_male",
      "cost",
      "fund_enterprise_fee",
      "fund_institution_funds",
      "fund_government",
      "fund_sponsor",
      "fund_other_donor",
      "fund_ilo",
      "ilo_staff_involved",
    ];
    const row = [
      "GH",
      inst,
      "M1",
      "Tema Garments Ltd",
      "2024-06-03",
      "2024-09-27",
      "C-17",
      "5",
      "3",
      "4",
      "12",
      "9",
      "4500.50",
      "1500.50",
      "500",
      "0",
      "1000",
      "0",
      "1500",
      "yes",
    ];
    const bad = [...row];
    bad[3] = "Unknown Enterprise";
    bad[12] = "4600";
    const invalid = await dryRun(t.db, {
      entity: "training_cycles",
      fileName: "c.csv",
      bytes: csvBytes(header, [row, bad]),
      actorId: seed.admin.id,
      now: now(),
    });
    expect(
      ((await getBatch(t.db, invalid))!.problems as { row: number; column: string; code: string }[]).map((p) => [
        p.row,
        p.column,
        p.code,
      ]),
    ).toEqual([
      [3, "enterprise", "import.problem.unknownEnterprise"],
      [3, "cost", "import.problem.fundingSum"],
    ]);

    const c = await dryRun(t.db, {
      entity: "training_cycles",
      fileName: "c.csv",
      bytes: csvBytes(header, [row]),
      actorId: seed.admin.id,
      now: now(),
    });
    expect((await runImport(t.db, c, opts())).status).toBe("done");
    const cycle = await t.db.selectFrom("training_cycles").selectAll().where("import_batch_id", "=", c).executeTakeFirstOrThrow();
    expect([cycle.cost_minor, cycle.fund_enterprise_fee, cycle.fund_ilo, cycle.currency, cycle.ilo_staff_involved]).toEqual([
      450050,
      150050,
      150000,
      "GHS",
      true,
    ]);
    const again = await dryRun(t.db, {
      entity: "training_cycles",
      fileName: "c.csv",
      bytes: csvBytes(header, [row]),
      actorId: seed.admin.id,
      now: now(),
    });
    expect(await getBatch(t.db, again)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it("targets upsert on (indicator, country, phase), from CSV and XLSX alike", async () => {
    const header = ["indicator_key", "country", "phase_key", "target", "note"];
    const csv = csvBytes(header, [
      ["mous_signed", "GH", "phase-3", "12", ""],
      ["partner_staff_trained", "GH", "phase-3", "40.50", "half women"],
    ]);
    const a = await dryRun(t.db, { entity: "targets", fileName: "t.csv", bytes: csv, actorId: seed.admin.id, now: now() });
    await runImport(t.db, a, opts());
    expect(await getBatch(t.db, a)).toMatchObject({ created: 2 });
    // The same targets from a workbook, one changed: 1 updated, 1 unchanged ("40.5" is "40.50").
    const xlsx = await xlsxBytes(header, [
      ["mous_signed", "GH", "phase-3", 14, ""],
      ["partner_staff_trained", "GH", "phase-3", 40.5, "half women"],
    ]);
    const b = await dryRun(t.db, { entity: "targets", fileName: "t.xlsx", bytes: xlsx, actorId: seed.admin.id, now: now() });
    expect(await getBatch(t.db, b)).toMatchObject({ status: "checked", created: 0, updated: 1, unchanged: 1 });
    await runImport(t.db, b, opts());
    const target = await t.db
      .selectFrom("indicator_targets")
      .select(["target", "updated_by"])
      .where("indicator_key", "=", "mous_signed")
      .executeTakeFirstOrThrow();
    expect([Number(target.target), target.updated_by]).toEqual([14, seed.admin.id]);
    const unknown = await dryRun(t.db, {
      entity: "targets",
      fileName: "t.csv",
      bytes: csvBytes(header, [["no_such", "GH", "phase-9", "-1", ""]]),
      actorId: seed.admin.id,
      now: now(),
    });
    expect(
      ((await getBatch(t.db, unknown))!.problems as { column: string; code: string }[]).map((p) => [p.column, p.code]),
    ).toEqual([
      ["indicator_key", "import.problem.oneOf"],
      ["phase_key", "import.problem.oneOf"],
      ["target", "import.problem.decimal"],
    ]);
  });

  it("reads a CSV that Excel saved in Windows-1252, accents and all", async () => {
    const text = "country;name;type;role\r\nPE;Centro de Formación Arequipa;private_provider;implementing_partner\r\n";
    const bytes = Uint8Array.from([...text].map((c) => (c === "ó" ? 0xf3 : c.charCodeAt(0))));
    const id = await dryRun(t.db, { entity: "institutions", fileName: "ansi.csv", bytes, actorId: seed.admin.id, now: now() });
    await runImport(t.db, id, opts());
    expect(await getBatch(t.db, id)).toMatchObject({ status: "done", created: 1 });
    const made = await t.db.selectFrom("institutions").select("name").where("import_batch_id", "=", id).executeTakeFirstOrThrow();
    expect(made.name).toBe("Centro de Formación Arequipa");
  });

  it("refuses a file that is neither CSV nor XLSX, and a header without the required columns", async () => {
    await expect(
      dryRun(t.db, {
        entity: "trainers",
        fileName: "x.pdf",
        bytes: new TextEncoder().encode("%PDF-1.4 hello"),
        actorId: seed.admin.id,
        now: now(),
      }),
    ).rejects.toMatchObject({ code: "import.error.fileType" });
    const id = await dryRun(t.db, {
      entity: "trainers",
      fileName: "x.csv",
      bytes: csvBytes(["country", "institution", "colour"], [["GH", "X", "red"]]),
      actorId: seed.admin.id,
      now: now(),
    });
    const problems = (await getBatch(t.db, id))!.problems as { row: number; column: string; code: string }[];
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1, "trainer_code", "import.problem.missingColumn"],
      [1, "name", "import.problem.missingColumn"],
      [1, "sex", "import.problem.missingColumn"],
      [1, "colour", "import.problem.unknownColumn"],
    ]);
  });
});
