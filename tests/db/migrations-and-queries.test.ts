import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInstitution, loadPathwayRecords } from "../../db/queries/institutions";
import { decideReport, insertReport } from "../../db/queries/reports";
import { recordTransition, setSlipFlag } from "../../db/queries/transitions";
import { COUNTRIES, DEFAULT_TEMPLATE_ID, MODULES, ensureReferenceData } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import { MilestoneReportSchema, type ReportBody } from "../../app/domain/reports";
import { createTestDb, type TestDb } from "../support/db";

/** The same behaviour on both drivers: embedded PGlite (PostgreSQL 17) and the PostgreSQL 15 server. */

const ACTOR = "officer@test";
const AT = new Date("2026-03-02T10:00:00Z");
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const VALIDITY_MONTHS = 36;

const TABLES: (keyof Database)[] = [
  "countries",
  "modules",
  "pathway_templates",
  "institutions",
  "milestone_reports",
  "tot_cohorts",
  "trainers",
  "trainer_certifications",
  "enterprises",
  "training_cycles",
  "funding_commitments",
  "stage_transitions",
  "notifications",
  "audit_log",
];

describe.each(["pglite", "postgres"] as const)("database on %s", (kind) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (table: keyof Database, where?: { column: string; value: string }) => {
    let q = h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"));
    if (where) q = q.where(sql.ref(where.column), "=", where.value);
    return (await q.executeTakeFirstOrThrow()).n;
  };
  const auditActions = async (entityId: string) =>
    (await h.db.selectFrom("audit_log").select("action").where("entity_id", "=", entityId).orderBy("id").execute()).map(
      (r) => r.action,
    );

  async function newInstitution(name = `Test Institute ${randomUUID().slice(0, 8)}`) {
    const id = randomUUID();
    await h.db
      .transaction()
      .execute((trx) =>
        createInstitution(
          trx,
          { id, name, type: "industry_association", role: "implementing_partner", countryCode: "GH" },
          ACTOR,
          AT,
        ),
      );
    return id;
  }

  function report(institutionId: string, body: ReportBody, reportId = randomUUID()) {
    return MilestoneReportSchema.parse({ reportId, institutionId, submittedBy: "reporter@test", evidence: [], ...body });
  }

  async function submitAndVerify(institutionId: string, body: ReportBody) {
    const r = report(institutionId, body);
    await h.db.transaction().execute((trx) => insertReport(trx, r, AT));
    const verify = () =>
      h.db
        .transaction()
        .execute((trx) =>
          decideReport(trx, { reportId: r.reportId, decision: "verify", comment: "", decidedBy: ACTOR }, AT, VALIDITY_MONTHS),
        );
    return { reportId: r.reportId, verify };
  }

  it("migrations create every table and the append-only trigger", async () => {
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(h.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(TABLES));
    const triggers = await sql<{
      tgname: string;
    }>`select tgname from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal`.execute(h.db);
    expect(triggers.rows.map((r) => r.tgname)).toContain("audit_log_no_change");
  });

  it("reference data can be ensured again without duplicating anything", async () => {
    await ensureReferenceData(h.db);
    await ensureReferenceData(h.db);
    expect(await count("countries")).toBe(COUNTRIES.length);
    expect(await count("modules")).toBe(MODULES.length);
    expect(await count("pathway_templates", { column: "id", value: DEFAULT_TEMPLATE_ID })).toBe(1);
  });

  it("createInstitution writes the institution, its start transition and an audit entry", async () => {
    const id = await newInstitution("Cape Coast Training Centre");
    const inst = await h.db.selectFrom("institutions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(inst).toMatchObject({
      name: "Cape Coast Training Centre",
      stage_key: "engaged",
      currency: "GHS",
      template_id: DEFAULT_TEMPLATE_ID,
      score_in_portfolio: false,
    });
    expect(inst.stage_entered_at).toEqual(AT);
    const transitions = await h.db.selectFrom("stage_transitions").selectAll().where("institution_id", "=", id).execute();
    expect(transitions).toMatchObject([
      { id: `start-${id}`, from_stage: null, to_stage: "engaged", kind: "start", decided_by: ACTOR },
    ]);
    const audit = await h.db.selectFrom("audit_log").selectAll().where("entity_id", "=", id).execute();
    expect(audit).toMatchObject([
      {
        actor: ACTOR,
        action: "institution.created",
        institution_id: id,
        after: { name: "Cape Coast Training Centre", country: "GH" },
      },
    ]);
  });

  it("insertReport stores a report once: the same id again changes nothing and says so", async () => {
    const id = await newInstitution();
    const r = report(id, { kind: "mou_signed", payload: { signedOn: "2026-02-20" } });
    const first = await h.db.transaction().execute((trx) => insertReport(trx, r, AT));
    const second = await h.db.transaction().execute((trx) => insertReport(trx, r, new Date("2026-03-03T10:00:00Z")));
    expect(first).toEqual({ created: true, status: "submitted" });
    expect(second).toEqual({ created: false, status: "submitted" });
    expect(await count("milestone_reports", { column: "id", value: r.reportId })).toBe(1);
    expect(await auditActions(r.reportId)).toEqual(["report.submitted"]);
    const inst = await h.db.selectFrom("institutions").select("last_report_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(inst.last_report_at).toEqual(AT);
  });

  it("verifying a ToT cohort twice materialises its trainers once", async () => {
    const id = await newInstitution();
    const trainers = [
      { name: "Ama Mensah", sex: "female" as const },
      { name: "Kofi Boateng", sex: "male" as const },
      { name: "Yaa Owusu", sex: "female" as const },
    ];
    const { reportId, verify } = await submitAndVerify(id, {
      kind: "tot_cohort",
      payload: { module: "M1", startedOn: "2026-02-01", endedOn: "2026-02-10", trainers },
    });
    expect(await verify()).toEqual({ applied: true, status: "verified" });
    expect(await verify()).toEqual({ applied: false, status: "verified" });
    const rows = await h.db.selectFrom("trainers").selectAll().where("institution_id", "=", id).orderBy("name").execute();
    expect(rows.map((t) => [t.name, t.sex, t.trained_on])).toEqual(trainers.map((t) => [t.name, t.sex, "2026-02-10"]));
    expect(await count("tot_cohorts", { column: "source_report_id", value: reportId })).toBe(1);
    expect(await auditActions(reportId)).toEqual(["report.submitted", "report.verified"]);
  });

  it("a verified training cycle keeps its funding split in minor units, read back as numbers and ISO dates", async () => {
    const id = await newInstitution();
    // Rupiah amounts pass 2^31 minor units: bigint columns, which pg returns as strings unless parsed.
    const funding = {
      enterprise_fee: 1_200_500_000,
      institution_funds: 240_100_000,
      government: 0,
      sponsor: 583_100_000,
      other_donor: 171_500_000,
      ilo: 1_234_800_000,
    };
    const cost = Object.values(funding).reduce((a, b) => a + b, 0);
    const { reportId, verify } = await submitAndVerify(id, {
      kind: "training_cycle",
      payload: {
        module: "M1",
        enterpriseName: "PT Mitra Sejati Foods",
        enterpriseSize: "large",
        startedOn: "2025-10-18",
        endedOn: "2026-01-10",
        visits: 3,
        participants: { managersFemale: 1, managersMale: 2, workersFemale: 1, workersMale: 2 },
        cost,
        funding,
        iloStaffInvolved: true,
      },
    });
    await verify();
    const row = await h.db
      .selectFrom("training_cycles")
      .selectAll()
      .where("source_report_id", "=", reportId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cost_minor: cost,
      fund_enterprise_fee: funding.enterprise_fee,
      fund_ilo: funding.ilo,
      fund_sponsor: funding.sponsor,
      currency: "GHS",
      started_on: "2025-10-18",
      ended_on: "2026-01-10",
    });
    expect(typeof row.cost_minor).toBe("number");
    const records = await loadPathwayRecords(h.db, id);
    expect(records.cycles).toEqual([{ module: "M1", endedOn: "2026-01-10", iloStaffInvolved: true, funding }]);
    const raw = await sql<{
      n: unknown;
      d: unknown;
      t: unknown;
    }>`select count(*) as n, date '2026-01-10' as d, timestamptz '2026-01-10T10:00:00Z' as t`.execute(h.db);
    expect(raw.rows[0]).toEqual({ n: 1, d: "2026-01-10", t: new Date("2026-01-10T10:00:00Z") });
  });

  it("trainer and institution dates come back as YYYY-MM-DD strings", async () => {
    const id = await newInstitution();
    await (await submitAndVerify(id, { kind: "mou_signed", payload: { signedOn: "2026-02-20" } })).verify();
    await (
      await submitAndVerify(id, {
        kind: "tot_cohort",
        payload: {
          module: "M1",
          startedOn: "2026-02-01",
          endedOn: "2026-02-10",
          trainers: [{ name: "Esi Addo", sex: "female" }],
        },
      })
    ).verify();
    const records = await loadPathwayRecords(h.db, id);
    expect(records.mouSignedOn).toBe("2026-02-20");
    expect(records.trainers[0].trainedOn).toMatch(ISO_DATE);
    expect(records.trainers[0].lastActiveOn).toMatch(ISO_DATE);
  });

  it("recordTransition moves the institution once per transition id", async () => {
    const id = await newInstitution();
    const t = {
      id: randomUUID(),
      institutionId: id,
      fromStage: "engaged",
      toStage: "tot",
      kind: "advance" as const,
      reason: "Gate met",
      decidedBy: ACTOR,
      at: AT,
    };
    expect(await h.db.transaction().execute((trx) => recordTransition(trx, t))).toEqual({ applied: true });
    const later = new Date("2026-04-01T10:00:00Z");
    expect(await h.db.transaction().execute((trx) => recordTransition(trx, { ...t, at: later }))).toEqual({ applied: false });
    const inst = await h.db
      .selectFrom("institutions")
      .select(["stage_key", "stage_entered_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(inst).toEqual({ stage_key: "tot", stage_entered_at: AT });
    expect(await count("stage_transitions", { column: "institution_id", value: id })).toBe(2);
    expect(await auditActions(id)).toEqual(["institution.created", "stage.signed_off"]);
  });

  it("setSlipFlag writes the flag once and clears it", async () => {
    const id = await newInstitution();
    const flag = { toStage: "tot", reason: "Certified trainers: 3 against 4 required", flaggedAt: AT.toISOString() };
    const slip = (f: typeof flag | null) => h.db.transaction().execute((trx) => setSlipFlag(trx, id, f, "pathway-workflow", AT));
    const stored = async () =>
      (await h.db.selectFrom("institutions").select("slip_flag").where("id", "=", id).executeTakeFirstOrThrow()).slip_flag;
    await slip(flag);
    expect(await stored()).toEqual(flag);
    await slip(flag); // the same flag again, e.g. a retried activity: no second audit entry
    await slip(null);
    expect(await stored()).toBeNull();
    expect(await auditActions(id)).toEqual(["institution.created", "stage.slip_flagged", "stage.slip_cleared"]);
  });

  it("the audit log refuses updates and deletes", async () => {
    const id = await newInstitution();
    await expect(sql`update audit_log set actor = 'someone else' where entity_id = ${id}`.execute(h.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where entity_id = ${id}`.execute(h.db)).rejects.toThrow(/append-only/);
    const rows = await h.db.selectFrom("audit_log").select("actor").where("entity_id", "=", id).execute();
    expect(rows).toEqual([{ actor: ACTOR }]);
  });

  describe("a failing statement rolls back the whole transaction", () => {
    async function failsAfterCreating(step: (trx: Transaction<Database>, id: string) => Promise<unknown>, error: RegExp) {
      const id = randomUUID();
      const run = h.db.transaction().execute(async (trx) => {
        await createInstitution(
          trx,
          { id, name: `Rolled Back ${id.slice(0, 8)}`, type: "private_provider", role: "sponsor", countryCode: "PE" },
          ACTOR,
          AT,
        );
        await step(trx, id);
      });
      await expect(run).rejects.toThrow(error);
      expect(await count("institutions", { column: "id", value: id })).toBe(0);
      expect(await count("stage_transitions", { column: "institution_id", value: id })).toBe(0);
      expect(await count("audit_log", { column: "entity_id", value: id })).toBe(0);
    }

    it("on a malformed uuid", async () => {
      await failsAfterCreating(
        (trx) =>
          trx
            .insertInto("trainers")
            .values({ id: "not-a-uuid", institution_id: randomUUID(), name: "X Y", sex: "female" })
            .execute(),
        /uuid/i,
      );
    });

    it("on a foreign key violation", async () => {
      await failsAfterCreating(
        (trx, id) =>
          trx
            .insertInto("tot_cohorts")
            .values({ id: randomUUID(), institution_id: id, module_code: "M9", started_on: "2026-01-01", ended_on: "2026-01-05" })
            .execute(),
        /foreign key/i,
      );
    });

    it("on a check constraint violation", async () => {
      await failsAfterCreating(
        (trx, id) =>
          trx
            .insertInto("trainers")
            .values({ id: randomUUID(), institution_id: id, name: "X Y", sex: "other" as never })
            .execute(),
        /check constraint/i,
      );
    });

    it("when verifying a report fails half-way, the report stays submitted", async () => {
      const id = await newInstitution();
      // A certification for a trainer of no institution: the status update runs, then materialising fails.
      const { reportId, verify } = await submitAndVerify(id, {
        kind: "trainer_certified",
        payload: { trainerId: randomUUID(), module: "M1", certifiedOn: "2026-02-01", nationalExpert: false },
      });
      await expect(verify()).rejects.toThrow();
      const row = await h.db
        .selectFrom("milestone_reports")
        .select(["status", "decided_by"])
        .where("id", "=", reportId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "submitted", decided_by: null });
      expect(await auditActions(reportId)).toEqual(["report.submitted"]);
    });
  });
});
