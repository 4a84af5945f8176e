import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollUpUsd } from "../../app/domain/handover";
import { getPlan, insertPlan, listCountryPlans, setPlanStatus, updatePlanContent } from "../../db/queries/handover";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { makeInstitution } from "../support/temporal";
import { funding, sampleYears } from "./support";

/** The handover queries on a real (PGlite) database: JSON columns read back through zod, and a country's roll-up. */

let t: TestDb;
let db: Kysely<Database>;
beforeAll(async () => {
  t = await createTestDb("pglite");
  db = t.db;
});
afterAll(async () => {
  await t?.close();
});

async function plan(
  institutionId: string,
  currency: string,
  usdRate: { num: number; den: number },
  years = sampleYears(2026),
  scenarioOf: string | null = null,
) {
  const id = randomUUID();
  await db.transaction().execute((trx) =>
    insertPlan(
      trx,
      {
        id,
        institutionId,
        name: `${currency} plan`,
        currency,
        usdRate,
        exitYear: 2027,
        varianceThresholdPp: 10,
        scenarioOf,
        years,
      },
      "test",
      new Date(),
    ),
  );
  return id;
}

async function approve(planId: string) {
  await setPlanStatus(db, { planId, from: ["draft"], to: "approved", actor: "test", comment: null, at: new Date() });
}

describe("handover queries", () => {
  it("reads a plan back with its years checked by zod, and refuses a corrupted line", async () => {
    const inst = await makeInstitution(db, { countryCode: "GH" });
    const id = await plan(inst, "GHS", { num: 2, den: 31 });
    const back = await getPlan(db, id);
    expect(back).toMatchObject({ currency: "GHS", usdRate: { num: 2, den: 31 }, status: "draft", years: sampleYears(2026) });

    await db
      .updateTable("handover_plan_years")
      .set({ lines: JSON.stringify([{ module: "M1", cycles: -1, enterprises: 0, unitCostMinor: 1 }]) })
      .where("plan_id", "=", id)
      .where("year", "=", 2026)
      .execute();
    await expect(getPlan(db, id)).rejects.toThrow();
  });

  it("does not change a plan once it left draft", async () => {
    const inst = await makeInstitution(db, { countryCode: "GH" });
    const id = await plan(inst, "GHS", { num: 2, den: 31 });
    await approve(id);
    const changed = await updatePlanContent(
      db,
      id,
      { name: "x", currency: "GHS", usdRate: { num: 1, den: 1 }, exitYear: 2027, varianceThresholdPp: 5, years: [] },
      "test",
      new Date(),
    );
    expect(changed).toBe(false);
    expect((await getPlan(db, id))!.years).toHaveLength(2);
  });

  it("rolls up a country's agreed plans in two currencies into USD, leaving out drafts, scenarios and other countries", async () => {
    const accra = await makeInstitution(db, { countryCode: "PE" });
    const lima = await makeInstitution(db, { countryCode: "PE" });
    const hanoi = await makeInstitution(db, { countryCode: "VN" });
    // A: the GHS worked example at 2/31 USD per unit: 2026 cost 4,400,000 → 283,871 cents.
    const a = await plan(accra, "GHS", { num: 2, den: 31 });
    // B: in PEN at 1 USD = 3.75 PEN (4/15): one M1 cycle of PEN 7,500.00 in 2026, all from fees.
    const b = await plan(lima, "PEN", { num: 4, den: 15 }, [
      {
        year: 2026,
        lines: [{ module: "M1", cycles: 1, enterprises: 4, unitCostMinor: 750_000 }],
        funding: funding({ enterprise_fee: 750_000 }),
      },
    ]);
    await approve(a);
    await approve(b);
    await plan(lima, "PEN", { num: 4, den: 15 }); // a draft
    const scenario = await plan(accra, "GHS", { num: 2, den: 31 }, sampleYears(2026), a);
    await approve(scenario);
    await approve(await plan(hanoi, "VND", { num: 1, den: 25_400 }));

    const plans = await listCountryPlans(db, "PE");
    expect(plans.map((p) => p.id).sort()).toEqual([a, b].sort());
    const rows = rollUpUsd(plans);
    // 2026 cost: 283,871 + 750,000·4/15 = 200,000 → 483,871 cents; non-ILO: 103,226 + 200,000 = 303,226
    expect(rows[0]).toMatchObject({ year: 2026, costUsdCents: 483_871, nonIloUsdCents: 303_226, plans: 2 });
    // 303,226 / 483,871 = 62.666… % → 6267 bp
    expect(rows[0].nonIloShareBp).toBe(6267);
    expect(rows[1]).toMatchObject({ year: 2027, plans: 1 });
  });
});
