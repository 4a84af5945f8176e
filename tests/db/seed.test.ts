import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateGate, evaluateNextGate } from "../../app/domain/gate";
import { ReportBodySchema } from "../../app/domain/reports";
import { stageIndex, type TemplateDefinition } from "../../app/domain/template";
import { createInstitution, getTemplate, listInstitutions, loadPathwayRecords } from "../../db/queries/institutions";
import { listInstitutionsWithStatus } from "../../db/queries/pathway-status";
import { decideReport, insertReport } from "../../db/queries/reports";
import { COUNTRIES, DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import { DEMO_AT_RISK, DEMO_AWAITING_SIGN_OFF, DEMO_SEED_ACTOR, DEMO_STORY_INSTITUTION, seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

const NOW = new Date("2026-05-31T12:00:00Z");
const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent"];
const DATA_TABLES: (keyof Database)[] = [
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

/** Thrown to roll a transaction back after a what-if. */
class Rollback extends Error {}
async function whatIf(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  await db
    .transaction()
    .execute(async (trx) => {
      await fn(trx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
}

async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of DATA_TABLES)
    counts[t] = (
      await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
  return counts;
}

async function templateOf(db: Kysely<Database>): Promise<TemplateDefinition> {
  return (await getTemplate(db, DEFAULT_TEMPLATE_ID)).definition;
}

/** Each institution's unmet criteria among the gates of the stages it has reached, and who waits for sign-off. */
async function gateCheck(db: Kysely<Database>, now: Date) {
  const failing: Record<string, string[]> = {};
  const awaiting: string[] = [];
  for (const inst of await listInstitutions(db)) {
    // Each institution against its own template version (default@1 or default@2).
    const def = (await getTemplate(db, inst.template_id)).definition;
    const records = await loadPathwayRecords(db, inst.id);
    const reached = def.stages.slice(1, stageIndex(def, inst.stage_key) + 1);
    const misses = reached.flatMap((s) =>
      evaluateGate(s, records, now)
        .criteria.filter((c) => !c.met)
        .map((c) => `${s.key}.${c.key}`),
    );
    if (misses.length > 0) failing[inst.name] = misses;
    if (evaluateNextGate(def, inst.stage_key, records, now)?.met) awaiting.push(inst.name);
  }
  return { failing, awaiting: awaiting.sort() };
}

/** What must come out the same from the same `now`, whichever database. */
async function snapshot(db: Kysely<Database>) {
  const institutions = await db
    .selectFrom("institutions")
    .select(["id", "name", "country_code", "stage_key", "stage_entered_at"])
    .orderBy("id")
    .execute();
  const cycles = await db
    .selectFrom("training_cycles")
    .select([
      "id",
      "ended_on",
      "cost_minor",
      "fund_enterprise_fee",
      "fund_institution_funds",
      "fund_government",
      "fund_sponsor",
      "fund_other_donor",
      "fund_ilo",
    ])
    .orderBy("id")
    .execute();
  return { institutions, cycles, counts: await rowCounts(db) };
}

const EXPECTED_AT_RISK = {
  "Eastern Cape Automotive Suppliers Forum": ["certification.certified"],
  "Surabaya Enterprise Training Partners": ["cost_recovery.non_ilo_share"],
};

let pgliteSnapshot: Awaited<ReturnType<typeof snapshot>>;

describe("demo data on PGlite", () => {
  let h: TestDb;
  let loaded: number;
  beforeAll(async () => {
    h = await createTestDb("pglite");
    // How long this takes is printed by `npm run bench:seed`, not asserted here.
    loaded = (await seedDemoData(h.db, NOW)).institutions;
    pgliteSnapshot = await snapshot(h.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("loads 25 institutions", async () => {
    expect(loaded).toBe(25);
    expect(await rowCounts(h.db)).toMatchObject({ institutions: 25 });
  });

  it("covers the nine countries, the four types and every stage several times", async () => {
    const all = await listInstitutions(h.db);
    expect(new Set(all.map((i) => i.country_code))).toEqual(new Set(COUNTRIES.map((c) => c.code)));
    expect(new Set(all.map((i) => i.type))).toEqual(
      new Set(["government_training", "employers_organisation", "industry_association", "private_provider"]),
    );
    expect(new Set(all.map((i) => i.role))).toEqual(new Set(["national_coordinator", "implementing_partner", "sponsor"]));
    for (const stage of STAGES) expect(all.filter((i) => i.stage_key === stage).length, stage).toBeGreaterThanOrEqual(3);
    for (const i of all) expect(i.currency).toBe(COUNTRIES.find((c) => c.code === i.country_code)!.currency);
  });

  it("meets every gate of each reached stage today, except the documented at-risk institutions", async () => {
    const { failing } = await gateCheck(h.db, NOW);
    expect(failing).toEqual(EXPECTED_AT_RISK);
    expect(Object.keys(failing).sort()).toEqual([...DEMO_AT_RISK].sort());
  });

  it("starts some demo institutions on the published default@2, only where the ILO score meets it", async () => {
    const all = await listInstitutions(h.db);
    const onV2 = all.filter((i) => i.template_id === DEFAULT_TEMPLATE_V2_ID);
    const onV1 = all.filter((i) => i.template_id === DEFAULT_TEMPLATE_ID);
    expect(onV2.length).toBeGreaterThan(0);
    expect(onV1.length).toBeGreaterThan(0);
    expect(onV1.length + onV2.length).toBe(all.length);
    const v2 = await h.db
      .selectFrom("pathway_templates")
      .select(["status"])
      .where("id", "=", DEFAULT_TEMPLATE_V2_ID)
      .executeTakeFirstOrThrow();
    expect(v2.status).toBe("published");
    const def = (await getTemplate(h.db, DEFAULT_TEMPLATE_V2_ID)).definition;
    for (const inst of onV2) {
      expect(inst.stage_key, inst.name).not.toBe("engaged");
      const records = await loadPathwayRecords(h.db, inst.id);
      const reached = def.stages.slice(1, stageIndex(def, inst.stage_key) + 1);
      for (const s of reached) {
        const c = evaluateGate(s, records, NOW, def.readinessWeights).criteria.find((x) => x.key === "readiness")!;
        expect(c.met, `${inst.name} ${s.key}: ${c.value} vs ${c.threshold}`).toBe(true);
      }
    }
    expect(onV2.map((i) => i.name)).not.toContain(DEMO_STORY_INSTITUTION);
  });

  it("flags the lapsed-certification institution for a slip back to ToT, as the workflow would", async () => {
    const inst = (await listInstitutions(h.db)).find((i) => i.name === "Eastern Cape Automotive Suppliers Forum")!;
    expect(inst.slip_flag).toMatchObject({
      toStage: "tot",
      reason: expect.stringContaining("Certified trainers: 3 against 4 required"),
    });
    const others = (await listInstitutions(h.db)).filter((i) => i.slip_flag !== null).map((i) => i.name);
    expect(others).toEqual([inst.name]);
  });

  it("has three institutions whose next gate is met, waiting for sign-off", async () => {
    const { awaiting } = await gateCheck(h.db, NOW);
    expect(awaiting).toEqual([...DEMO_AWAITING_SIGN_OFF].sort());
    expect(awaiting).toHaveLength(3);
  });

  it("stores every institution's pathway status, current, with the same verdicts the rules give", async () => {
    const listed = await listInstitutionsWithStatus(h.db, {}, NOW);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((i) => i.pathwayStatus.state !== "current").map((i) => i.name)).toEqual([]);
    const storedAwaiting = listed
      .filter((i) => i.pathwayStatus.awaitingSignOff)
      .map((i) => i.name)
      .sort();
    expect(storedAwaiting).toEqual((await gateCheck(h.db, NOW)).awaiting);
  });

  it("tells the main demo story: report a ToT cohort, get it verified and the ToT gate is met", async () => {
    const def = await templateOf(h.db);
    const story = (await listInstitutions(h.db)).find((i) => i.name === DEMO_STORY_INSTITUTION)!;
    expect(story).toMatchObject({ stage_key: "engaged", score_in_portfolio: true, slip_flag: null });
    expect(story.mou_signed_on).not.toBeNull();
    expect((await listInstitutions(h.db, { country: story.country_code }))[0].name).toBe(DEMO_STORY_INSTITUTION);
    const totGate = def.stages[1];
    expect(evaluateGate(totGate, await loadPathwayRecords(h.db, story.id), NOW).met).toBe(false);

    await whatIf(h.db, async (trx) => {
      const reportId = randomUUID();
      const trainers = ["Ama Boateng", "Kofi Asante", "Yaw Darko", "Efua Quaye", "Kojo Addo", "Kwabena Osei"].map((name, i) => ({
        name,
        sex: i % 3 === 0 ? ("female" as const) : ("male" as const),
      }));
      await insertReport(
        trx,
        {
          reportId,
          institutionId: story.id,
          submittedBy: "reporter",
          evidence: [],
          kind: "tot_cohort",
          payload: { module: "M1", startedOn: "2026-05-18", endedOn: "2026-05-22", trainers },
        },
        NOW,
      );
      await decideReport(
        trx,
        { reportId, decision: "verify", comment: "", decidedBy: "officer" },
        NOW,
        def.timers.certificationValidityMonths,
      );
      expect(evaluateGate(totGate, await loadPathwayRecords(trx, story.id), NOW).met).toBe(true);
    });
  });

  it("tells each institution's history: start, then one sign-off per stage, ending at its current stage", async () => {
    for (const inst of await listInstitutions(h.db)) {
      const history = await h.db
        .selectFrom("stage_transitions")
        .selectAll()
        .where("institution_id", "=", inst.id)
        .orderBy("occurred_at")
        .execute();
      const reached = STAGES.slice(0, STAGES.indexOf(inst.stage_key) + 1);
      expect(history.map((t) => [t.kind, t.from_stage, t.to_stage])).toEqual(
        reached.map((s, i) => [i === 0 ? "start" : "advance", i === 0 ? null : reached[i - 1], s]),
      );
      expect(history.every((t) => t.decided_by.length > 0 && t.occurred_at < NOW)).toBe(true);
      expect(inst.stage_entered_at).toEqual(history.at(-1)!.occurred_at);
      expect(inst.created_at).toEqual(history[0].occurred_at);
    }
  });

  it("has verified, waiting and returned reports whose bodies pass the report schema", async () => {
    const reports = await h.db.selectFrom("milestone_reports").selectAll().execute();
    for (const r of reports)
      expect(ReportBodySchema.safeParse({ kind: r.kind, payload: r.payload }).success, `${r.kind} ${r.id}`).toBe(true);
    const by = (status: string) => reports.filter((r) => r.status === status);
    expect(by("verified").length).toBeGreaterThan(100);
    expect(by("verified").every((r) => r.decided_by && r.decided_at && r.decided_at >= r.submitted_at)).toBe(true);
    expect(by("submitted").length).toBeGreaterThanOrEqual(3);
    expect(by("submitted").every((r) => r.decided_by === null)).toBe(true);
    expect(by("returned").length).toBeGreaterThanOrEqual(1);
    expect(by("returned").every((r) => r.decision_comment && r.decided_by)).toBe(true);
    expect(reports.every((r) => r.submitted_at < NOW)).toBe(true);
  });

  it("lets an officer verify every waiting report", async () => {
    const def = await templateOf(h.db);
    const pending = await h.db.selectFrom("milestone_reports").select("id").where("status", "=", "submitted").execute();
    await whatIf(h.db, async (trx) => {
      for (const { id } of pending) {
        const res = await decideReport(
          trx,
          { reportId: id, decision: "verify", comment: "", decidedBy: "officer" },
          NOW,
          def.timers.certificationValidityMonths,
        );
        expect(res).toEqual({ applied: true, status: "verified" });
      }
    });
  });

  it("keeps every training cycle's funding split equal to its cost, in the institution's currency", async () => {
    const cycles = await h.db
      .selectFrom("training_cycles as c")
      .innerJoin("institutions as i", "i.id", "c.institution_id")
      .selectAll("c")
      .select("i.currency as inst_currency")
      .execute();
    expect(cycles.length).toBeGreaterThan(50);
    for (const c of cycles) {
      const sum =
        c.fund_enterprise_fee + c.fund_institution_funds + c.fund_government + c.fund_sponsor + c.fund_other_donor + c.fund_ilo;
      expect(sum).toBe(c.cost_minor);
      expect(c.currency).toBe(c.inst_currency);
      expect(c.visits).toBeGreaterThanOrEqual(2);
    }
    const people = cycles.reduce(
      (a, c) => ({
        women: a.women + c.managers_female + c.workers_female,
        all: a.all + c.managers_female + c.managers_male + c.workers_female + c.workers_male,
      }),
      { women: 0, all: 0 },
    );
    expect(people.women / people.all).toBeGreaterThan(0.2);
    expect(people.women / people.all).toBeLessThan(0.45);
  });

  it("records in the audit log what the seed created, in time order", async () => {
    const audit = await h.db.selectFrom("audit_log").selectAll().orderBy("id").execute();
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set([DEMO_SEED_ACTOR]));
    expect(audit.filter((a) => a.action === "institution.created")).toHaveLength(25);
    expect(audit.filter((a) => a.action === "demo.seeded")).toHaveLength(25);
    const times = audit.map((a) => a.occurred_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("loads nothing the second time", async () => {
    const before = await rowCounts(h.db);
    expect(await seedDemoData(h.db, new Date(NOW.getTime() + 86_400_000))).toEqual({ institutions: 0 });
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe("demo data on the PostgreSQL server", () => {
  let h: TestDb;
  let results: { institutions: number }[];
  beforeAll(async () => {
    h = await createTestDb("postgres");
    // Two first starts racing on one database.
    results = await Promise.all([seedDemoData(h.db, NOW), seedDemoData(h.db, NOW)]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("loads once when two starts race", async () => {
    expect(results.map((r) => r.institutions).sort()).toEqual([0, 25]);
    expect((await rowCounts(h.db)).institutions).toBe(25);
  });

  it("meets the same gates as on PGlite", async () => {
    const { failing, awaiting } = await gateCheck(h.db, NOW);
    expect(failing).toEqual(EXPECTED_AT_RISK);
    expect(awaiting).toEqual([...DEMO_AWAITING_SIGN_OFF].sort());
  });

  it("holds exactly the data PGlite got from the same now", async () => {
    expect(await snapshot(h.db)).toEqual(pgliteSnapshot);
  });
});

describe("demo data is deterministic and consistent whatever the date", () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb("pglite");
  });
  afterAll(async () => {
    await h?.close();
  });

  async function reseed(now: Date) {
    // TRUNCATE bypasses the audit log's row triggers: test-only, to reuse one database.
    await sql`truncate table audit_log, institutions restart identity cascade`.execute(h.db);
    return seedDemoData(h.db, now);
  }

  it("loads nothing when any institution exists, demo or not", async () => {
    await sql`truncate table audit_log, institutions restart identity cascade`.execute(h.db);
    await createInstitution(
      h.db,
      { id: randomUUID(), name: "A Real Partner", type: "private_provider", role: "sponsor", countryCode: "BO" },
      "admin",
      NOW,
    );
    expect(await seedDemoData(h.db, NOW)).toEqual({ institutions: 0 });
    expect((await rowCounts(h.db)).institutions).toBe(1);
  });

  it("gives a fresh database the same institutions and cycle amounts for the same now", async () => {
    await reseed(NOW);
    expect(await snapshot(h.db)).toEqual(pgliteSnapshot);
  });

  // Month ends, a leap day and the real clock: windows counted in months must not tip a gate.
  it.each([
    "2026-01-31T23:30:00Z",
    "2028-02-29T06:00:00Z",
    "2027-12-31T12:00:00Z",
    "2029-07-01T00:00:00Z",
    new Date().toISOString(),
  ])("holds the gate rules when seeded at %s", async (iso) => {
    const now = new Date(iso);
    expect(await reseed(now)).toEqual({ institutions: 25 });
    const { failing, awaiting } = await gateCheck(h.db, now);
    expect(failing).toEqual(EXPECTED_AT_RISK);
    expect(awaiting).toEqual([...DEMO_AWAITING_SIGN_OFF].sort());
  });
});
