import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MilestoneReport } from "../../app/domain/reports";
import { loader as institutionLoader } from "../../app/routes/institutions.$id._index";
import { loader as portfolioLoader } from "../../app/routes/institutions._index";
import { loader as portfolioGraphLoader } from "../../app/routes/portfolio";
import { parseConfig } from "../../app/platform/config";
import { createInstitution, loadPathwayRecords, type NewInstitutionInput } from "../../db/queries/institutions";
import { addNotification } from "../../db/queries/notifications";
import { statusOf } from "../../db/queries/pathway-status";
import { loadRecordsFor } from "../../db/queries/portfolio";
import { decideReport, insertReport } from "../../db/queries/reports";
import { evaluateAndStoreStatus } from "../../db/queries/status";
import { recordTransition, setSlipFlag } from "../../db/queries/transitions";
import type { Database } from "../../db/schema";
import { signInAs, type TestSession } from "../support/session";
import { createTestDb, type TestDb } from "../support/db";
import { setFlash } from "../../app/platform/flash.server";

/**
 * The read side's loaders against a real (embedded) PostgreSQL with the reference data. The
 * pages read the database only: Temporal is an object that fails the test if touched.
 */

const NEVER_TEMPORAL = new Proxy(
  {},
  {
    get(_t, prop) {
      throw new Error(`The page asked Temporal for ${String(prop)}: pages read the database only`);
    },
  },
);

let handle: TestDb;
let db: Kysely<Database>;
let admin: TestSession;

function context(temporalUiUrl: string | null = null, database: unknown = db) {
  return {
    db: database,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
}

async function portfolio(query = "") {
  const res = await portfolioLoader({
    request: new Request(`http://test/institutions${query}`, { headers: { Cookie: admin.cookie } }),
    params: {},
    context: context(),
  });
  return res.json();
}

/** The portfolio graph's list of one stage's institutions. */
async function portfolioGraph(query: string) {
  const res = await portfolioGraphLoader({
    request: new Request(`http://test/portfolio${query}`, { headers: { Cookie: admin.cookie } }),
    params: {},
    context: context(),
  });
  return res.json();
}

async function institutionPage(
  id: string,
  opts: { query?: string; cookie?: string; temporalUiUrl?: string; database?: unknown } = {},
) {
  const res = await institutionLoader({
    request: new Request(`http://test/institutions/${id}${opts.query ?? ""}`, {
      headers: { Cookie: [admin.cookie, opts.cookie].filter(Boolean).join("; ") },
    }),
    params: { id },
    context: context(opts.temporalUiUrl ?? null, opts.database ?? db),
  });
  return res.json();
}

/** Calls a loader that should refuse, and returns the Response it threw. */
async function thrown(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected the loader to throw a Response");
}

const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (n: number) => new Date(now - n * DAY);
const isoDaysAgo = (n: number) => daysAgo(n).toISOString().slice(0, 10);

async function newInstitution(input: Omit<NewInstitutionInput, "id" | "role">, enteredDaysAgo: number) {
  return createInstitution(db, { id: randomUUID(), role: "implementing_partner", ...input }, "test", daysAgo(enteredDaysAgo));
}

async function report(institutionId: string, body: Pick<MilestoneReport, "kind" | "payload">, verify = true) {
  const reportId = randomUUID();
  await insertReport(
    db,
    { reportId, institutionId, submittedBy: "reporter@test", evidence: [], ...body } as MilestoneReport,
    daysAgo(5),
  );
  if (verify)
    await db
      .transaction()
      .execute((tx) =>
        decideReport(tx, { reportId, decision: "verify", comment: "", decidedBy: "officer@test" }, daysAgo(4), 36),
      );
  return reportId;
}

const ids = { ghana: "", colombia: "", vietnam: "" };

beforeAll(async () => {
  handle = await createTestDb("pglite");
  db = handle.db;
  admin = await signInAs(db, "ilo_admin");
});
afterAll(async () => {
  await handle?.close();
});

describe("with no institutions yet", () => {
  it("the portfolio says there are none, rather than that the filters match nothing", async () => {
    const data = await portfolio("?country=GH");
    expect(data.institutions).toEqual([]);
    expect(data.anyInstitutions).toBe(false);
  });
});

describe("with institutions", () => {
  beforeAll(async () => {
    // Ghana: every criterion for ToT met, so it waits for sign-off.
    ids.ghana = (
      await newInstitution({ name: "Ghana Employers Association", type: "employers_organisation", countryCode: "GH" }, 40)
    ).id;
    await report(ids.ghana, { kind: "mou_signed", payload: { signedOn: isoDaysAgo(30) } });
    await report(ids.ghana, { kind: "score_in_portfolio", payload: { listedOn: isoDaysAgo(30) } });
    await report(ids.ghana, {
      kind: "tot_cohort",
      payload: {
        module: "M1",
        startedOn: isoDaysAgo(20),
        endedOn: isoDaysAgo(15),
        trainers: ["Ama", "Efua", "Kofi", "Kwame", "Yaw", "Kojo"].map((name, i) => ({ name, sex: i < 2 ? "female" : "male" })),
      },
    });

    // Colombia: one criterion of four, and a report still waiting for the ILO.
    ids.colombia = (
      await newInstitution({ name: "Cámara de Industria", type: "industry_association", countryCode: "CO" }, 10)
    ).id;
    await report(ids.colombia, { kind: "mou_signed", payload: { signedOn: isoDaysAgo(8) } });
    await report(ids.colombia, { kind: "score_in_portfolio", payload: { listedOn: isoDaysAgo(2) } }, false);

    // Viet Nam: moved up to ToT, then flagged for slipping back.
    ids.vietnam = (
      await newInstitution({ name: "Viet Nam Training Centre", type: "government_training", countryCode: "VN" }, 400)
    ).id;
    await recordTransition(db, {
      id: randomUUID(),
      institutionId: ids.vietnam,
      fromStage: "engaged",
      toStage: "tot",
      kind: "advance",
      reason: "Gate met",
      decidedBy: "officer@test",
      at: daysAgo(100),
    });
    await setSlipFlag(
      db,
      ids.vietnam,
      { toStage: "engaged", reason: "MoU expired", flaggedAt: daysAgo(3).toISOString() },
      "workflow",
      daysAgo(3),
    );
    await addNotification(db, {
      id: `slip-${ids.vietnam}`,
      institutionId: ids.vietnam,
      kind: "slip_flagged",
      audience: "ilo",
      message: "Viet Nam Training Centre may slip back to Engaged: MoU expired",
      at: daysAgo(3),
    });
    // What each pathway workflow's evaluation activity stores after these decisions and moves.
    for (const id of Object.values(ids)) await evaluateAndStoreStatus(db, { institutionId: id, at: new Date() });
  });

  describe("the portfolio", () => {
    it("lists every institution with its stage, time in stage and progress to the next gate", async () => {
      const data = await portfolio();
      const byName = Object.fromEntries(data.institutions.map((i) => [i.name, i]));
      expect(Object.keys(byName)).toEqual(["Cámara de Industria", "Ghana Employers Association", "Viet Nam Training Centre"]);

      const ghana = byName["Ghana Employers Association"];
      expect(ghana).toMatchObject({ country: "Ghana", type: "Employers' organisation", stage: "Engaged", daysInStage: 40 });
      expect(ghana.nextGate).toEqual({
        stage: "Training of Trainers",
        pending: false,
        met: 4,
        total: 4,
        progress: 100,
        awaitingSignOff: true,
      });
      expect(ghana.slipFlag).toBeNull();

      const colombia = byName["Cámara de Industria"];
      expect(colombia.type).toBe("Industry association");
      expect(colombia.nextGate).toMatchObject({ pending: false, met: 1, total: 4, progress: 25, awaitingSignOff: false });

      const vietnam = byName["Viet Nam Training Centre"];
      expect(vietnam).toMatchObject({ stage: "Training of Trainers", stageOrder: 2, daysInStage: 100 });
      expect(vietnam.slipFlag).toEqual({ toStage: "Engaged", reason: "MoU expired", reasonMessage: null });
      expect(vietnam.nextGate).toMatchObject({ stage: "Certification", met: 0, total: 5 });
    });

    it("counts institutions per stage", async () => {
      const data = await portfolio();
      const counts = Object.fromEntries(data.stageCounts.map((s) => [s.key, s.count]));
      expect(counts).toEqual({ engaged: 2, tot: 1, certification: 0, cost_recovery: 0, independent: 0 });
      expect(data.inScopeCount).toBe(3);
    });

    it("filters by country, type and stage; stage counts follow country and type only", async () => {
      expect((await portfolio("?country=GH")).institutions.map((i) => i.id)).toEqual([ids.ghana]);
      expect((await portfolio("?type=government_training")).institutions.map((i) => i.id)).toEqual([ids.vietnam]);

      const engaged = await portfolio("?stage=engaged");
      expect(engaged.institutions.map((i) => i.name)).toEqual(["Cámara de Industria", "Ghana Employers Association"]);
      expect(engaged.stageCounts.find((s) => s.key === "tot")!.count).toBe(1);
      expect(engaged.filters).toEqual({ stage: "engaged" });
    });

    it("tells an empty result apart from an empty programme", async () => {
      const data = await portfolio("?country=GH&stage=tot");
      expect(data.institutions).toEqual([]);
      expect(data.anyInstitutions).toBe(true);
    });

    it("ignores filter values that name nothing, instead of failing", async () => {
      const data = await portfolio("?country=XX&type=bank&stage=%27;drop");
      expect(data.filters).toEqual({});
      expect(data.institutions).toHaveLength(3);
    });

    it("loads the same records for several institutions as for one", async () => {
      const batch = await loadRecordsFor(db, [ids.ghana, ids.colombia, ids.vietnam]);
      for (const id of Object.values(ids)) expect(batch.get(id)).toEqual(await loadPathwayRecords(db, id));
      expect(batch.get(ids.ghana)!.trainers).toHaveLength(6);
    });
  });

  describe("the institution page", () => {
    it("shows the pathway and every criterion of the next gate with the records behind it", async () => {
      const data = await institutionPage(ids.ghana);
      expect(data.institution).toMatchObject({ name: "Ghana Employers Association", country: "Ghana" });
      expect(data.stages.map((s) => s.name)).toEqual([
        "Engaged",
        "Training of Trainers",
        "Certification",
        "Cost recovery",
        "Independent delivery",
      ]);
      expect(data.currentIndex).toBe(0);
      expect(data.nextGate!.met).toBe(true);
      const women = data.nextGate!.criteria.find((c) => c.key === "women");
      expect(women).toMatchObject({ value: 33.3, threshold: 30, unit: "percent", met: true, basis: "2 women of 6 trained" });
      expect(data.trainers).toMatchObject({ trained: 6, trainedWomen: 2, certified: 0 });
      expect(data.trainers.list).toHaveLength(6);
      expect(data.can).toEqual({ report: true, signOff: true });
    });

    it("shows the stored gate, not one computed now: records changed since say it is being re-evaluated", async () => {
      const peru = (await newInstitution({ name: "Peru Skills Forum", type: "private_provider", countryCode: "PE" }, 20)).id;
      await report(peru, { kind: "mou_signed", payload: { signedOn: isoDaysAgo(8) } });
      const listing = await report(peru, { kind: "score_in_portfolio", payload: { listedOn: isoDaysAgo(2) } }, false);

      // Never evaluated: nothing to show yet, and the pages say so.
      const missing = await institutionPage(peru);
      expect(missing.gatePending).toBe(true);
      expect(missing.nextGate).toBeNull();
      expect((await portfolio("?country=PE")).institutions[0].nextGate).toEqual({
        stage: "Training of Trainers",
        pending: true,
        met: 0,
        total: 0,
        progress: 0,
        awaitingSignOff: false,
      });

      expect((await portfolioGraph("?country=PE&stage=engaged")).institutions[0]).toMatchObject({
        gatePending: true,
        awaitingSignOff: false,
      });

      await evaluateAndStoreStatus(db, { institutionId: peru, at: new Date() });
      expect((await portfolioGraph("?country=PE&stage=engaged")).institutions[0]).toMatchObject({
        gatePending: false,
        awaitingSignOff: false,
      });
      const stored = await institutionPage(peru);
      expect(stored.gatePending).toBe(false);
      expect(stored.nextGate).toMatchObject({ stageKey: "tot", met: false, progress: 25 });

      // The listing is verified: the records changed after the evaluation, the stored verdict is out of date.
      await db
        .transaction()
        .execute((tx) =>
          decideReport(
            tx,
            { reportId: listing, decision: "verify", comment: "", decidedBy: "officer@test" },
            new Date(Date.now() + 1000),
            36,
          ),
        );
      const stale = await institutionPage(peru);
      expect(stale.gatePending).toBe(true);
      expect(stale.nextGate).toBeNull();
      expect((await portfolio("?country=PE")).institutions[0].nextGate).toMatchObject({ pending: true });

      // The pathway evaluates again (as its activity does after the decision): the new verdict shows.
      await evaluateAndStoreStatus(db, { institutionId: peru, at: new Date(Date.now() + 2000) });
      const fresh = await institutionPage(peru);
      expect(fresh.gatePending).toBe(false);
      expect(fresh.nextGate).toMatchObject({ stageKey: "tot", progress: 50 });
    });

    it("lists milestone reports with their status, newest first", async () => {
      const data = await institutionPage(ids.colombia);
      expect(data.reports.map((r) => [r.kind, r.status])).toEqual([
        ["SCORE listed in service portfolio", "submitted"],
        ["MoU signed", "verified"],
      ]);
      expect(data.reports[0].statusText).toBe("Waiting for ILO check");
    });

    it("shows the stage history, the slip-back flag and notifications", async () => {
      const data = await institutionPage(ids.vietnam);
      expect(data.transitions.map((t) => [t.kind, t.to])).toEqual([
        ["advance", "Training of Trainers"],
        ["start", "Engaged"],
      ]);
      expect(data.reachedOn.tot).toBe(isoDaysAgo(100));
      expect(data.slipFlag).toMatchObject({ toStage: "Engaged", reason: "MoU expired" });
      expect(data.notifications.map((n) => n.message)).toEqual([
        "Viet Nam Training Centre may slip back to Engaged: MoU expired",
      ]);
    });

    it("passes on the notice an action left in the flash cookie, never one from the address, and links the workflow when the Web UI runs", async () => {
      // Set as an action sets it (signed with this context's key), then read by the page.
      const flash = setFlash(new Request("http://test/"), context(null, db), { notice: "Signed off" }).split(";")[0];
      const data = await institutionPage(ids.vietnam, { cookie: flash, temporalUiUrl: "http://127.0.0.1:8233" });
      expect(data.notice).toBe("Signed off");
      expect((await institutionPage(ids.vietnam, { query: "?notice=Call%20this%20number" })).notice).toBeNull();
      expect(data.error).toBeNull();
      expect(data.temporalUrl).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/pathway-${ids.vietnam}`);
      expect((await institutionPage(ids.vietnam)).temporalUrl).toBeNull();
    });

    it("is a 404 for an id nobody has", async () => {
      const res = await thrown(institutionPage(randomUUID()));
      expect(res.status).toBe(404);
    });

    it("is a 404 for a malformed id, never a database error", async () => {
      for (const id of ["not-a-uuid", "1", `${randomUUID()}x`, "'; drop table institutions; --"]) {
        const res = await thrown(institutionPage(id));
        expect(res.status).toBe(404);
      }
    });
  });
});

describe("statusOf: whether a stored evaluation still describes the institution", () => {
  const at = new Date("2026-03-10T12:00:00Z");
  const row = {
    stage_key: "tot",
    template_id: "default@1",
    status_stage_key: "tot",
    status_template_id: "default@1",
    evaluated_at: at,
    next_expiry_on: null,
    records_changed_at: new Date("2026-03-10T11:00:00Z"),
  };
  const later = new Date("2026-03-11T00:00:00Z");

  it("is current when evaluated at the stage and template the institution is at, after its records last changed", () => {
    expect(statusOf(row, later)).toBe("current");
    expect(statusOf({ ...row, records_changed_at: null }, later)).toBe("current");
    expect(statusOf({ ...row, records_changed_at: at }, later)).toBe("current");
  });

  it("is missing when never evaluated", () => {
    expect(statusOf({ ...row, status_stage_key: null, status_template_id: null, evaluated_at: null }, later)).toBe("missing");
  });

  it("is stale after a stage move, a template move or a records change", () => {
    expect(statusOf({ ...row, stage_key: "certification" }, later)).toBe("stale");
    expect(statusOf({ ...row, template_id: "default@2" }, later)).toBe("stale");
    expect(statusOf({ ...row, records_changed_at: new Date("2026-03-10T12:00:01Z") }, later)).toBe("stale");
  });

  it("is stale once a certification it counted has expired, until evaluated on or after that day", () => {
    const expiring = { ...row, next_expiry_on: "2026-03-12" };
    expect(statusOf(expiring, later)).toBe("current");
    expect(statusOf(expiring, new Date("2026-03-12T00:00:00Z"))).toBe("stale");
    expect(statusOf({ ...expiring, evaluated_at: new Date("2026-03-12T06:00:00Z") }, new Date("2026-03-13T00:00:00Z"))).toBe(
      "current",
    );
  });
});
