import type { AppLoadContext } from "@remix-run/node";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastFor } from "../../app/features/pathway/forecast.server";
import { loader as analyticsLoader } from "../../app/routes/analytics";
import { loader as csvLoader } from "../../app/routes/analytics[.]csv";
import { loader as portfolioLoader } from "../../app/routes/portfolio";
import { parseConfig } from "../../app/platform/config";
import { DAY_MS } from "../../app/domain/dates";
import { DEMO_AWAITING_SIGN_OFF, DEMO_STORY_INSTITUTION, seedDemoData } from "../../db/seed";
import { recordTransition } from "../../db/queries/transitions";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";

/**
 * The portfolio graph, the stage analytics and their CSV files, against a real (embedded)
 * PostgreSQL with the demo data. Every figure is checked against the database itself, and an
 * institution reporter must find only their own institution in every number and list.
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
let manager: TestSession;
let reporter: TestSession;
let storyId = "";
const now = new Date();

const context = () =>
  ({
    db,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  }) as unknown as AppLoadContext;
const request = (path: string, s: TestSession) => new Request(`http://test${path}`, { headers: { Cookie: s.cookie } });

async function portfolio(query = "", s = manager) {
  return (await portfolioLoader({ request: request(`/portfolio${query}`, s), params: {}, context: context() })).json();
}
async function analytics(query = "", s = manager) {
  return (await analyticsLoader({ request: request(`/analytics${query}`, s), params: {}, context: context() })).json();
}
async function csv(query: string, s = manager) {
  const res = await csvLoader({ request: request(`/analytics.csv${query}`, s), params: {}, context: context() });
  return { res, lines: (await res.text()).trimEnd().split("\r\n") };
}

/** Institutions per stage as the database has them. */
async function dbCounts(where: { country?: string; role?: string } = {}) {
  let q = db
    .selectFrom("institutions")
    .select(["stage_key", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("stage_key");
  if (where.country) q = q.where("country_code", "=", where.country);
  if (where.role) q = q.where("role", "=", where.role as never);
  return Object.fromEntries((await q.execute()).map((r) => [r.stage_key, Number(r.n)]));
}

function countsOf(data: { stages: { key: string; count: number }[] }) {
  return Object.fromEntries(data.stages.filter((s) => s.count > 0).map((s) => [s.key, s.count]));
}

beforeAll(async () => {
  handle = await createTestDb("pglite");
  db = handle.db;
  await seedDemoData(db, now);
  manager = await signInAs(db, "programme_manager");
  storyId = (
    await db.selectFrom("institutions").select("id").where("name", "=", DEMO_STORY_INSTITUTION).executeTakeFirstOrThrow()
  ).id;
  reporter = await signInAs(db, "institution_reporter", { institutionId: storyId });
});
afterAll(async () => {
  await handle?.close();
});

describe("the portfolio graph", () => {
  it("counts the institutions at each stage exactly as the database holds them", async () => {
    const data = await portfolio();
    expect(countsOf(data)).toEqual(await dbCounts());
    expect(data.total).toBe(25);
    expect(data.stages.map((s: { key: string }) => s.key)).toEqual([
      "engaged",
      "tot",
      "certification",
      "cost_recovery",
      "independent",
    ]);
  });

  it("counts awaiting sign-off, slip flags and overdue reporting per stage", async () => {
    const data = await portfolio();
    const byKey = Object.fromEntries(data.stages.map((s) => [s.key, s]));
    // The three demo institutions whose next gate is met, at ToT, Certification and Cost recovery.
    expect(DEMO_AWAITING_SIGN_OFF).toHaveLength(3);
    expect(byKey.tot.awaitingSignOff).toBeGreaterThanOrEqual(1);
    expect(byKey.certification.awaitingSignOff).toBeGreaterThanOrEqual(1);
    expect(byKey.cost_recovery.awaitingSignOff).toBeGreaterThanOrEqual(1);
    const flagged = await db.selectFrom("institutions").select(["stage_key"]).where("slip_flag", "is not", null).execute();
    expect(flagged.length).toBeGreaterThan(0);
    for (const s of data.stages) expect(s.slipFlagged).toBe(flagged.filter((f) => f.stage_key === s.key).length);
    // Overdue: no report for more than the template's 91 days (reference-data.ts), or never and registered before that.
    const overdue = await db
      .selectFrom("institutions")
      .select("stage_key")
      .where(sql<boolean>`coalesce(last_report_at, created_at) < ${new Date(now.getTime() - 91 * DAY_MS)}`)
      .execute();
    const total = data.stages.reduce((n: number, s: { overdueReporting: number }) => n + s.overdueReporting, 0);
    expect(total).toBe(overdue.length);
  });

  it("filters by country, type and role, and keeps the filters in each stage's link", async () => {
    expect(countsOf(await portfolio("?country=GH"))).toEqual(await dbCounts({ country: "GH" }));
    expect(countsOf(await portfolio("?role=national_coordinator"))).toEqual(await dbCounts({ role: "national_coordinator" }));
    const typed = await portfolio("?type=industry_association&country=VN");
    expect(typed.total).toBe(
      (
        await db
          .selectFrom("institutions")
          .select("id")
          .where("type", "=", "industry_association")
          .where("country_code", "=", "VN")
          .execute()
      ).length,
    );
    const gh = await portfolio("?country=GH&role=implementing_partner");
    expect(gh.stages[0].href).toBe("/portfolio?country=GH&role=implementing_partner&stage=engaged");
    // Unknown values mean "all", never an error.
    expect((await portfolio("?country=XX&type=nonsense")).total).toBe(25);
  });

  it("lists a chosen stage's institutions with their time in stage and forecast", async () => {
    const data = await portfolio("?stage=certification");
    const expected = await db
      .selectFrom("institutions")
      .select(["id", "stage_entered_at"])
      .where("stage_key", "=", "certification")
      .execute();
    expect(data.selected!.key).toBe("certification");
    expect(data.institutions.map((i: { id: string }) => i.id).sort()).toEqual(expected.map((e) => e.id).sort());
    for (const i of data.institutions) {
      const entered = expected.find((e) => e.id === i.id)!.stage_entered_at;
      expect(i.daysInStage).toBe(Math.floor((Date.now() - new Date(entered).getTime()) / DAY_MS));
      expect(i.forecast!.status).toBe("forecast");
      expect(i.forecast!.lastStage!.stageKey).toBe("independent");
      expect(i.forecast!.lastStage!.on >= now.toISOString().slice(0, 10)).toBe(true);
    }
    // Stage counts still cover every stage when one is chosen.
    expect(countsOf(data)).toEqual(await dbCounts());
    expect((await portfolio()).institutions).toEqual([]);
  });

  it("gives the same forecast on the institution's own page (forecastFor)", async () => {
    const data = await portfolio("?stage=certification");
    const first = data.institutions[0];
    const own = await forecastFor(db, first.id, now);
    expect(own!.lastStage).toEqual(first.forecast!.lastStage);
    expect(own!.basis.stays.length).toBeGreaterThanOrEqual(3);
    expect(await forecastFor(db, "00000000-0000-4000-8000-000000000000", now)).toBeNull();
  });

  it("shows an institution reporter their own institution only, in every number", async () => {
    const data = await portfolio("", reporter);
    expect(data.total).toBe(1);
    expect(countsOf(data)).toEqual({ engaged: 1 });
    for (const s of data.stages) expect(s.awaitingSignOff + s.slipFlagged + s.overdueReporting).toBeLessThanOrEqual(s.count);
    const listed = await portfolio("?stage=engaged", reporter);
    expect(listed.institutions.map((i: { name: string }) => i.name)).toEqual([DEMO_STORY_INSTITUTION]);
    // The fallback pace is the programme's, whoever looks (an aggregate of every institution's
    // completed stays that names none of them): the reporter's own institution has no completed
    // stage, so its forecast rests on that pace.
    expect(listed.pace).toEqual((await portfolio("?stage=engaged")).pace);
    expect(listed.pace!.stays).toBeGreaterThan(0);
    expect(listed.institutions[0].forecast!.paceSource).toBe("portfolio");
    expect((await portfolio("?stage=certification", reporter)).institutions).toEqual([]);
  });

  it("sends a visitor who is not signed in to sign in", async () => {
    const res = await portfolioLoader({ request: new Request("http://test/portfolio"), params: {}, context: context() }).catch(
      (e) => e,
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(302);
  });
});

describe("the stage analytics", () => {
  it("counts every stay at each stage, open ones included, as the transitions in the database give them", async () => {
    const data = await analytics();
    const stays = await db
      .selectFrom("stage_transitions")
      .select(["to_stage", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("to_stage")
      .execute();
    const counts = await dbCounts();
    for (const r of data.timeInStage.filter((r: { country: string | null }) => r.country === null)) {
      expect(r.stays).toBe(Number(stays.find((s) => s.to_stage === r.stageKey)?.n ?? 0));
      expect(r.open).toBe(counts[r.stageKey] ?? 0);
      if (r.stays > 0) expect(r.min! <= r.p25! && r.p25! <= r.median! && r.median! <= r.p75! && r.p75! <= r.max!).toBe(true);
    }
    // Each country's rows add up to the stage's row.
    const engaged = data.timeInStage.filter((r: { stageKey: string }) => r.stageKey === "engaged");
    expect(engaged.slice(1).reduce((n: number, r: { stays: number }) => n + r.stays, 0)).toBe(engaged[0].stays);
  });

  it("lists as stuck the institutions past the threshold from the URL, default 365 days", async () => {
    const rows = await db.selectFrom("institutions").select(["id", "stage_key", "stage_entered_at"]).execute();
    const over = (days: number) =>
      rows
        .filter((r) => r.stage_key !== "independent" && now.getTime() - new Date(r.stage_entered_at).getTime() > days * DAY_MS)
        .map((r) => r.id)
        .sort();
    const byDefault = await analytics();
    expect(byDefault.threshold).toBe(365);
    expect(byDefault.stuck.map((s: { id: string }) => s.id).sort()).toEqual(over(365));
    const at200 = await analytics("?stuck=200");
    expect(at200.threshold).toBe(200);
    expect(at200.stuck.map((s: { id: string }) => s.id).sort()).toEqual(over(200));
    expect(over(200).length).toBeGreaterThan(over(365).length);
    expect((await analytics("?stuck=-4")).threshold).toBe(365);
  });

  it("counts advances and slips back per quarter, and a recorded slip back shows up in its quarter", async () => {
    const advances = await db.selectFrom("stage_transitions").select("id").where("kind", "=", "advance").execute();
    const before = await analytics();
    const sum = (d: { quarters: { advances: number; slipsBack: number }[] }, k: "advances" | "slipsBack") =>
      d.quarters.reduce((n, q) => n + q[k], 0);
    expect(sum(before, "advances")).toBe(advances.length);
    expect(sum(before, "slipsBack")).toBe(0);

    const za = await db
      .selectFrom("institutions")
      .select("id")
      .where("name", "=", "Eastern Cape Automotive Suppliers Forum")
      .executeTakeFirstOrThrow();
    await db.transaction().execute((tx) =>
      recordTransition(tx, {
        id: "test-slip-za",
        institutionId: za.id,
        fromStage: "certification",
        toStage: "tot",
        kind: "slip_back",
        reason: "test",
        decidedBy: "test",
        at: now,
      }),
    );
    const after = await analytics();
    expect(sum(after, "slipsBack")).toBe(1);
    expect(after.quarters.at(-1)!.slipsBack).toBe(1);
    // The stay it ended counts as closed; ToT gains an open stay.
    const tot = after.timeInStage.find(
      (r: { stageKey: string; country: string | null }) => r.stageKey === "tot" && r.country === null,
    );
    expect(tot!.open).toBe((await dbCounts()).tot);
  });

  it("filters like the portfolio graph", async () => {
    const data = await analytics("?country=VN");
    const vn = await db.selectFrom("institutions").select("id").where("country_code", "=", "VN").execute();
    const vnTransitions = await db
      .selectFrom("stage_transitions")
      .select("id")
      .where(
        "institution_id",
        "in",
        vn.map((v) => v.id),
      )
      .execute();
    expect(data.institutions).toBe(vn.length);
    expect(new Set(data.timeInStage.map((r: { country: string | null }) => r.country))).toEqual(new Set([null, "Viet Nam"]));
    const all = data.timeInStage.filter((r: { country: string | null }) => r.country === null);
    expect(all.reduce((n: number, r: { stays: number }) => n + r.stays, 0)).toBe(vnTransitions.length);
  });

  it("shows an institution reporter their own institution only, in every number", async () => {
    const data = await analytics("?stuck=1", reporter);
    const own = await db.selectFrom("stage_transitions").select(["kind"]).where("institution_id", "=", storyId).execute();
    expect(data.institutions).toBe(1);
    const all = data.timeInStage.filter((r: { country: string | null }) => r.country === null);
    expect(all.reduce((n: number, r: { stays: number }) => n + r.stays, 0)).toBe(own.length);
    expect(data.stuck.map((s: { name: string }) => s.name)).toEqual([DEMO_STORY_INSTITUTION]);
    expect(data.quarters.reduce((n: number, q: { advances: number }) => n + q.advances, 0)).toBe(
      own.filter((t) => t.kind === "advance").length,
    );
    const file = await csv("?table=stuck&stuck=1", reporter);
    expect(file.lines.slice(1).map((l) => l.split(",")[0])).toEqual([DEMO_STORY_INSTITUTION]);
  });
});

describe("the CSV downloads", () => {
  it("give each table with its header and the same rows as the page", async () => {
    const page = await analytics("?stuck=200");
    const time = await csv("?table=time-in-stage&stuck=200");
    expect(time.res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(time.res.headers.get("Content-Disposition")).toContain('filename="pathways-time-in-stage.csv"');
    expect(time.lines[0]).toBe("stage,country,stays,still_there,median_days,p25_days,p75_days,min_days,max_days");
    expect(time.lines).toHaveLength(page.timeInStage.length + 1);
    const first = page.timeInStage[0];
    expect(time.lines[1]).toBe(
      `${first.stage},All countries,${first.stays},${first.open},${first.median},${first.p25},${first.p75},${first.min},${first.max}`,
    );

    const stuck = await csv("?table=stuck&stuck=200");
    expect(stuck.lines[0]).toBe("institution,country,stage,since,days_in_stage");
    expect(stuck.lines).toHaveLength(page.stuck.length + 1);

    const quarters = await csv("?table=quarters");
    expect(quarters.lines[0]).toBe("quarter,advances,slips_back");
    expect(quarters.lines.slice(1)).toEqual(
      page.quarters.map(
        (q: { quarter: string; advances: number; slipsBack: number }) => `${q.quarter},${q.advances},${q.slipsBack}`,
      ),
    );
  });

  it("keeps the filters, and refuses an unknown table", async () => {
    const gh = await csv("?table=stuck&stuck=1&country=GH");
    expect(gh.lines.length).toBeGreaterThan(1);
    expect(gh.lines.slice(1).every((l) => l.includes("Ghana"))).toBe(true);
    const bad = await csvLoader({
      request: request("/analytics.csv?table=secrets", manager),
      params: {},
      context: context(),
    }).catch((e) => e);
    expect(bad.status).toBe(400);
  });
});
