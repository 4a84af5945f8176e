import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PathwayRecords } from "../../app/domain/records";
import { ReportNotApplicableError } from "../../app/domain/report-effects";
import { MilestoneReportSchema, recordsAfterReport, type MilestoneReport, type ReportBody } from "../../app/domain/reports";
import { createInstitution, getTemplate, listInstitutions, loadPathwayRecords } from "../../db/queries/institutions";
import { loadReportEffects, writeReportEffects } from "../../db/queries/report-effects";
import { decideReport, insertReport } from "../../db/queries/reports";
import type { Database } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * One implementation of what a verified report writes: the rows verification writes, written
 * twice, are written once; and the report form's preview shows the records verification makes.
 */

const ACTOR = "officer@test";
const AT = new Date("2026-03-02T10:00:00Z");
const VALIDITY_MONTHS = 36;
const RECORD_TABLES = [
  "tot_cohorts",
  "trainers",
  "trainer_certifications",
  "enterprises",
  "training_cycles",
  "funding_commitments",
] as const;

type Db = Kysely<Database>;

async function counts(db: Db, institutionId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["tot_cohorts", "trainers", "enterprises", "training_cycles", "funding_commitments"] as const)
    out[t] = Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("institution_id", "=", institutionId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  out.trainer_certifications = Number(
    (
      await db
        .selectFrom("trainer_certifications as c")
        .innerJoin("trainers as t", "t.id", "c.trainer_id")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("t.institution_id", "=", institutionId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return out;
}

/** Records in one order whatever produced them: the preview appends, the database sorts by name and date. */
function normalised(r: PathwayRecords): PathwayRecords {
  const by =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    ...r,
    trainers: r.trainers
      .map((t) => ({ ...t, certifications: [...t.certifications].sort(by((c) => `${c.module}|${c.certifiedOn}`)) }))
      .sort(by((t) => t.id)),
    cycles: [...r.cycles].sort(by((c) => `${c.endedOn}|${c.module}|${JSON.stringify(c.funding)}`)),
    commitments: [...r.commitments].sort(by((c) => `${c.startsOn}|${c.kind}`)),
  };
}

const cohortOf = (names: [string, "female" | "male"][], endedOn: string): ReportBody => ({
  kind: "tot_cohort",
  payload: { module: "M1", startedOn: "2025-01-06", endedOn, trainers: names.map(([name, sex]) => ({ name, sex })) },
});

describe("report effects on the PostgreSQL server", () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb("postgres");
  });
  afterAll(async () => {
    await h?.close();
  });

  async function newInstitution(): Promise<string> {
    const id = randomUUID();
    await h.db.transaction().execute((trx) =>
      createInstitution(
        trx,
        {
          id,
          name: `Effects Institute ${id.slice(0, 8)}`,
          type: "private_provider",
          role: "implementing_partner",
          countryCode: "GH",
        },
        ACTOR,
        AT,
      ),
    );
    return id;
  }

  function report(institutionId: string, body: ReportBody): MilestoneReport {
    return MilestoneReportSchema.parse({
      reportId: randomUUID(),
      institutionId,
      submittedBy: "reporter@test",
      evidence: [],
      ...body,
    });
  }

  /** Previews the report against the stored records, verifies it, and returns both records. */
  async function previewThenVerify(institutionId: string, body: ReportBody) {
    const r = report(institutionId, body);
    const currency = (
      await h.db.selectFrom("institutions").select("currency").where("id", "=", institutionId).executeTakeFirstOrThrow()
    ).currency;
    const preview = recordsAfterReport(await loadPathwayRecords(h.db, institutionId), r, {
      certificationValidityMonths: VALIDITY_MONTHS,
      currency,
    });
    await h.db.transaction().execute(async (trx) => {
      await insertReport(trx, r, AT);
      await decideReport(trx, { reportId: r.reportId, decision: "verify", comment: "", decidedBy: ACTOR }, AT, VALIDITY_MONTHS);
    });
    return { reportId: r.reportId, preview, stored: await loadPathwayRecords(h.db, institutionId) };
  }

  it("the preview shows the records verification writes, report after report, including a certified trainer's last activity", async () => {
    const inst = await newInstitution();
    const steps: ReportBody[] = [
      { kind: "mou_signed", payload: { signedOn: "2024-11-01" } },
      { kind: "score_in_portfolio", payload: { listedOn: "2024-12-01" } },
      cohortOf(
        [
          ["Ama Boateng", "female"],
          ["Kofi Asante", "male"],
          ["Yaw Darko", "male"],
        ],
        "2025-01-10",
      ),
    ];
    for (const body of steps) {
      const { preview, stored } = await previewThenVerify(inst, body);
      expect(normalised(preview), body.kind).toEqual(normalised(stored));
    }
    const [ama, kofi] = (await loadPathwayRecords(h.db, inst)).trainers;
    expect(ama.lastActiveOn).toBe("2025-01-10");
    const more: ReportBody[] = [
      // Certified well after the ToT: the trainer was active that day.
      {
        kind: "trainer_certified",
        payload: { trainerId: ama.id, module: "M1", certifiedOn: "2026-02-20", nationalExpert: true },
      },
      // Certified on a day before a later activity: last activity stays.
      {
        kind: "trainer_certified",
        payload: { trainerId: kofi.id, module: "M1", certifiedOn: "2025-01-05", nationalExpert: false },
      },
      { kind: "trainer_lapsed", payload: { trainerId: ama.id, module: "M1", lapsedOn: "2026-02-25" } },
      {
        kind: "training_cycle",
        payload: {
          module: "M1",
          enterpriseName: "Tema Packaging Ltd",
          enterpriseSize: "small",
          startedOn: "2025-10-01",
          endedOn: "2026-01-15",
          visits: 3,
          participants: { managersFemale: 1, managersMale: 2, workersFemale: 1, workersMale: 1 },
          cost: 500_000,
          funding: {
            enterprise_fee: 100_000,
            institution_funds: 50_000,
            government: 0,
            sponsor: 0,
            other_donor: 0,
            ilo: 350_000,
          },
          iloStaffInvolved: true,
        },
      },
      {
        kind: "enterprise_reached",
        payload: { name: "Tema Packaging Ltd", size: "medium", sector: "Packaging", workersFemale: 30, workersMale: 50 },
      },
      {
        kind: "funding_secured",
        payload: { kind: "multi_year_sponsor", funder: "Lead buyer", startsOn: "2026-01-01", endsOn: "2028-12-31" },
      },
      { kind: "business_plan_adopted", payload: { adoptedOn: "2026-02-01" } },
    ];
    for (const body of more) {
      const { preview, stored } = await previewThenVerify(inst, body);
      expect(normalised(preview), body.kind).toEqual(normalised(stored));
    }
    const after = await loadPathwayRecords(h.db, inst);
    expect(after.trainers.find((t) => t.id === ama.id)).toMatchObject({ lastActiveOn: "2026-02-20", nationalExpert: true });
    expect(after.trainers.find((t) => t.id === kofi.id)).toMatchObject({ lastActiveOn: "2025-01-10", nationalExpert: false });
    const ent = await h.db.selectFrom("enterprises").selectAll().where("institution_id", "=", inst).execute();
    expect(ent).toMatchObject([
      { name: "Tema Packaging Ltd", size: "medium", sector: "Packaging", workers_female: 30, workers_male: 50 },
    ]);
  });

  it("writing a report's effects twice leaves one record each; nothing changes the second time", async () => {
    const inst = await newInstitution();
    const { reportId: cohortReport } = await previewThenVerify(
      inst,
      cohortOf(
        [
          ["Esi Mensah", "female"],
          ["Kwame Owusu", "male"],
        ],
        "2025-03-01",
      ),
    );
    const [esi] = (await loadPathwayRecords(h.db, inst)).trainers;
    const { reportId: certReport } = await previewThenVerify(inst, {
      kind: "trainer_certified",
      payload: { trainerId: esi.id, module: "M2", certifiedOn: "2025-09-01", nationalExpert: false },
    });
    const { reportId: cycleReport } = await previewThenVerify(inst, {
      kind: "training_cycle",
      payload: {
        module: "M2",
        enterpriseName: "Accra Garments",
        enterpriseSize: "medium",
        startedOn: "2025-06-01",
        endedOn: "2025-09-01",
        visits: 2,
        participants: { managersFemale: 1, managersMale: 1, workersFemale: 1, workersMale: 1 },
        cost: 1000,
        funding: { enterprise_fee: 1000, institution_funds: 0, government: 0, sponsor: 0, other_donor: 0, ilo: 0 },
        iloStaffInvolved: false,
      },
    });
    const { reportId: fundReport } = await previewThenVerify(inst, {
      kind: "funding_secured",
      payload: { kind: "government_budget_line", funder: "Ministry", startsOn: "2025-01-01", endsOn: null },
    });
    const before = await counts(h.db, inst);
    expect(before).toEqual({
      tot_cohorts: 1,
      trainers: 2,
      trainer_certifications: 1,
      enterprises: 1,
      training_cycles: 1,
      funding_commitments: 1,
    });
    const recordsBefore = await loadPathwayRecords(h.db, inst);

    for (const id of [cohortReport, certReport, cycleReport, fundReport]) {
      const effects = await loadReportEffects(h.db, id, VALIDITY_MONTHS);
      // A retried activity, then two writers racing on the same effects.
      await h.db.transaction().execute((trx) => writeReportEffects(trx, effects));
      await Promise.all([1, 2].map(() => h.db.transaction().execute((trx) => writeReportEffects(trx, effects))));
    }
    expect(await counts(h.db, inst)).toEqual(before);
    expect(await loadPathwayRecords(h.db, inst)).toEqual(recordsBefore);
  });

  it("the records carry the effect ids: the same report always names the same rows", async () => {
    const inst = await newInstitution();
    const { reportId } = await previewThenVerify(inst, cohortOf([["Abena Ofori", "female"]], "2025-04-01"));
    const effects = await loadReportEffects(h.db, reportId, VALIDITY_MONTHS);
    const cohort = await h.db
      .selectFrom("tot_cohorts")
      .select("id")
      .where("source_report_id", "=", reportId)
      .executeTakeFirstOrThrow();
    const trainers = await h.db.selectFrom("trainers").select("id").where("tot_cohort_id", "=", cohort.id).execute();
    expect([cohort.id, ...trainers.map((t) => t.id)]).toEqual(effects.map((e) => e.id));
  });

  it("a certification of another institution's trainer is not applicable and writes nothing", async () => {
    const mine = await newInstitution();
    const theirs = await newInstitution();
    await previewThenVerify(theirs, cohortOf([["Yaa Asantewaa", "female"]], "2025-02-01"));
    const [stranger] = (await loadPathwayRecords(h.db, theirs)).trainers;
    const r = report(mine, {
      kind: "trainer_certified",
      payload: { trainerId: stranger.id, module: "M1", certifiedOn: "2025-06-01", nationalExpert: true },
    });
    await h.db.transaction().execute((trx) => insertReport(trx, r, AT));
    const attempt = h.db
      .transaction()
      .execute((trx) =>
        decideReport(trx, { reportId: r.reportId, decision: "verify", comment: "", decidedBy: ACTOR }, AT, VALIDITY_MONTHS),
      );
    await expect(attempt).rejects.toBeInstanceOf(ReportNotApplicableError);
    const row = await h.db
      .selectFrom("milestone_reports")
      .select("status")
      .where("id", "=", r.reportId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("submitted");
    expect((await loadPathwayRecords(h.db, theirs)).trainers[0]).toMatchObject({ nationalExpert: false, certifications: [] });
  });
});

describe("report effects on the seeded demo data (PGlite)", () => {
  let h: TestDb;
  const NOW = new Date("2026-05-31T12:00:00Z");
  beforeAll(async () => {
    h = await createTestDb("pglite");
    await seedDemoData(h.db, NOW);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("seeds, and every waiting report previews as verification then writes it", async () => {
    const def = (await getTemplate(h.db, "default@1")).definition;
    const rules = (institutionId: string) =>
      h.db.selectFrom("institutions").select("currency").where("id", "=", institutionId).executeTakeFirstOrThrow();
    const pending = await h.db.selectFrom("milestone_reports").selectAll().where("status", "=", "submitted").execute();
    expect(pending.map((p) => p.kind)).toContain("trainer_certified");
    expect((await listInstitutions(h.db)).length).toBe(25);
    for (const p of pending) {
      const r = MilestoneReportSchema.parse({
        reportId: p.id,
        institutionId: p.institution_id,
        submittedBy: p.submitted_by,
        evidence: [],
        kind: p.kind,
        payload: p.payload,
      });
      const before = await loadPathwayRecords(h.db, p.institution_id);
      const preview = recordsAfterReport(before, r, {
        certificationValidityMonths: def.timers.certificationValidityMonths,
        currency: (await rules(p.institution_id)).currency,
      });
      await h.db
        .transaction()
        .execute((trx) =>
          decideReport(
            trx,
            { reportId: p.id, decision: "verify", comment: "", decidedBy: ACTOR },
            NOW,
            def.timers.certificationValidityMonths,
          ),
        );
      expect(normalised(preview), `${p.kind} ${p.id}`).toEqual(normalised(await loadPathwayRecords(h.db, p.institution_id)));
    }
  });

  it("keeps the records tables free of duplicates after a rewrite of every verified report's effects", async () => {
    const def = (await getTemplate(h.db, "default@1")).definition;
    const size = async () => {
      const out: number[] = [];
      for (const t of RECORD_TABLES)
        out.push(
          Number(
            (
              await h.db
                .selectFrom(t)
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        );
      return out;
    };
    // Reports verified through decideReport (the previous test), not the seeded ones: their rows carry effect ids.
    const verifiedNow = await h.db.selectFrom("milestone_reports").select("id").where("decided_by", "=", ACTOR).execute();
    expect(verifiedNow.length).toBeGreaterThan(0);
    const before = await size();
    for (const { id } of verifiedNow)
      await h.db
        .transaction()
        .execute(async (trx) =>
          writeReportEffects(trx, await loadReportEffects(trx, id, def.timers.certificationValidityMonths)),
        );
    expect(await size()).toEqual(before);
  });
});
