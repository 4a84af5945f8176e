import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../app/routes/plans";
import { parseConfig } from "../../app/platform/config";
import { insertPlan, setPlanStatus } from "../../db/queries/handover";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";
import { makeInstitution } from "../support/temporal";
import { funding } from "./support";

/** The country roll-up page: agreed plans only, in USD, and only for those who may see a country. */

let t: TestDb;
let lima = "";
beforeAll(async () => {
  t = await createTestDb("pglite");
  lima = await makeInstitution(t.db, { countryCode: "PE" });
  const other = await makeInstitution(t.db, { countryCode: "PE" });
  // PEN 7,500.00 at 4/15 USD per PEN = USD 2,000.00, 60% from fees.
  for (const [institutionId, status] of [
    [lima, "approved"],
    [other, "draft"],
  ] as const) {
    const id = randomUUID();
    await insertPlan(
      t.db,
      {
        id,
        institutionId,
        name: `Plan ${status}`,
        currency: "PEN",
        usdRate: { num: 4, den: 15 },
        exitYear: 2027,
        varianceThresholdPp: 10,
        scenarioOf: null,
        years: [
          {
            year: 2026,
            lines: [{ module: "M1", cycles: 1, enterprises: 4, unitCostMinor: 750_000 }],
            funding: funding({ enterprise_fee: 450_000, ilo: 300_000 }),
          },
        ],
      },
      "test",
      new Date(),
    );
    if (status === "approved")
      await setPlanStatus(t.db, { planId: id, from: ["draft"], to: "approved", actor: "test", comment: null, at: new Date() });
  }
});
afterAll(async () => {
  await t?.close();
});

const context = () =>
  ({ db: t.db, config: parseConfig({}), temporalUiUrl: null, clientIp: "127.0.0.1" }) as unknown as AppLoadContext;

async function open(s: TestSession, query: string) {
  try {
    return await loader({
      request: new Request(`http://test/plans${query}`, { headers: { Cookie: s.cookie } }),
      params: {},
      context: context(),
    });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

describe("handover by country", () => {
  it("rolls up the agreed plans of Peru in USD, leaving the draft out", async () => {
    const manager = await signInAs(t.db, "programme_manager");
    const data = (await (await open(manager, "?country=PE")).json()) as {
      plans: { name: string }[];
      years: { year: number; costUsdCents: number; nonIloShareBp: number; plans: number }[];
    };
    expect(data.plans.map((p) => p.name)).toEqual(["Plan approved"]);
    expect(data.years).toEqual([expect.objectContaining({ year: 2026, costUsdCents: 200_000, nonIloShareBp: 6000, plans: 1 })]);
  });

  it("is refused to an institution's reporter; an officer reads every country, as on the institutions' own pages", async () => {
    const reporter = await signInAs(t.db, "institution_reporter", { institutionId: lima });
    expect((await open(reporter, "?country=PE")).status).toBe(403);
    const officer = await signInAs(t.db, "ilo_officer", { countries: ["GH"] });
    expect((await open(officer, "?country=PE")).status).toBe(200);
    const all = (await (await open(officer, "")).json()) as { countries: { code: string }[] };
    expect(all.countries.map((c) => c.code)).toContain("PE");
  });

  it("pages, searches, sorts and filters by status in the address; a value that names nothing falls back", async () => {
    const manager = await signInAs(t.db, "programme_manager");
    type Page = {
      plans: { name: string; status: string }[];
      agreed: number;
      status: string | null;
      page: { total: number; page: number };
      list: { sort: string; q: string };
      years: unknown[];
    };
    const get = async (q: string) => (await (await open(manager, q)).json()) as Page;
    const active = await get("?country=PE&status=active");
    expect(active.status).toBe("active");
    expect(active.agreed).toBe(0);
    expect(active.years).toEqual([]);
    const searched = await get("?country=PE&q=APPROVED");
    expect(searched.plans.map((p) => p.name)).toEqual(["Plan approved"]);
    expect(searched.agreed).toBe(1);
    const none = await get("?country=PE&q=nothing-like-it");
    expect(none.plans).toEqual([]);
    expect(none.page.total).toBe(0);
    // The roll-up is the country's, whatever the search.
    expect(none.years).toHaveLength(1);
    const odd = await get("?country=PE&status=closed&sort=bogus&page=99");
    expect(odd.status).toBeNull();
    expect(odd.list.sort).toBe("institution");
    expect(odd.page.page).toBe(1);
    expect(odd.plans).toHaveLength(1);
  });
});
