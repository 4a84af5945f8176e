import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollUpUsd, type PlanYear } from "../../app/domain/handover";
import { FUNDING_SOURCES } from "../../app/domain/records";
import {
  countCountryPlans,
  countryRollUpUsd,
  insertPlan,
  listCountryPlans,
  pageCountryPlans,
  setPlanStatus,
} from "../../db/queries/handover";
import { createTestDb, type TestDb, type TestDbKind } from "../support/db";
import { makeInstitution } from "../support/temporal";
import { funding } from "./support";

/**
 * /plans counts its roll-up in PostgreSQL (`countryRollUpUsd`) instead of loading every plan's
 * years: on generated plans (odd rates so that halves occur, negative gaps, empty years, plans of
 * other countries, drafts and scenarios that do not count) it gives exactly what `rollUpUsd` gives
 * over the loaded plans, on the PostgreSQL server and on PGlite. And the plan list pages, sorts
 * and searches in SQL.
 */

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const kind of ["pglite", "postgres"] as TestDbKind[])
  describe(`a country's roll-up and plan list in SQL (${kind})`, () => {
    let t: TestDb;
    const peru: string[] = [];
    beforeAll(async () => {
      t = await createTestDb(kind);
      const random = rng(kind === "pglite" ? 11 : 29);
      const int = (n: number) => Math.floor(random() * n);
      for (let i = 0; i < 8; i++) peru.push(await makeInstitution(t.db, { countryCode: "PE" }));
      const ghana = await makeInstitution(t.db, { countryCode: "GH" });
      const rates = [
        { num: 4, den: 15 },
        { num: 1, den: 2 },
        { num: 2, den: 31 },
        { num: 1, den: 3_750 },
        { num: 7, den: 3 },
      ];
      for (let p = 0; p < 30; p++) {
        const years: PlanYear[] = [];
        const first = 2025 + int(3);
        for (let y = first; y < first + 1 + int(4); y++)
          years.push({
            year: y,
            lines:
              int(5) === 0
                ? []
                : Array.from({ length: 1 + int(3) }, () => ({
                    module: `M${1 + int(5)}`,
                    cycles: int(12),
                    enterprises: int(40),
                    unitCostMinor: 1 + int(2_000_001),
                  })),
            funding: funding(Object.fromEntries(FUNDING_SOURCES.map((s) => [s, int(3) === 0 ? 0 : int(9_000_001)]))),
          });
        const id = randomUUID();
        const institutionId = p === 29 ? ghana : peru[p % peru.length];
        await t.db.transaction().execute((trx) =>
          insertPlan(
            trx,
            {
              id,
              institutionId,
              name: `Plan ${String(p).padStart(2, "0")}${p % 4 === 0 ? " national budget" : ""}`,
              currency: "PEN",
              usdRate: rates[p % rates.length],
              exitYear: 2026 + (p % 5),
              varianceThresholdPp: 10,
              scenarioOf: null,
              years,
            },
            "test",
            new Date(),
          ),
        );
        // Most are agreed (approved, some then active); a few stay drafts.
        if (p % 7 !== 3)
          await setPlanStatus(t.db, {
            planId: id,
            from: ["draft"],
            to: "approved",
            actor: "test",
            comment: null,
            at: new Date(),
          });
        if (p % 3 === 0)
          await setPlanStatus(t.db, {
            planId: id,
            from: ["approved"],
            to: "active",
            actor: "test",
            comment: null,
            at: new Date(),
          });
      }
    });
    afterAll(async () => {
      await t?.close();
    });

    it("the roll-up in SQL is rollUpUsd over every agreed plan of the country, to the cent", async () => {
      const plans = await listCountryPlans(t.db, "PE");
      expect(plans.length).toBeGreaterThan(15);
      const expected = rollUpUsd(plans);
      expect(expected.some((y) => y.gapUsdCents < 0)).toBe(true);
      expect(await countryRollUpUsd(t.db, "PE", ["approved", "active"])).toEqual(expected);
      // A status filter narrows the roll-up the same way.
      expect(await countryRollUpUsd(t.db, "PE", ["active"])).toEqual(rollUpUsd(await listCountryPlans(t.db, "PE", ["active"])));
      expect(await countryRollUpUsd(t.db, "CO", ["approved", "active"])).toEqual([]);
    });

    it("pages, sorts and searches the plans; the count follows the search", async () => {
      const all = await listCountryPlans(t.db, "PE");
      const statuses = ["approved", "active"] as const;
      expect(await countCountryPlans(t.db, "PE", statuses)).toBe(all.length);
      const first = await pageCountryPlans(t.db, "PE", { statuses, sort: "plan", dir: "asc", limit: 10, offset: 0 });
      const second = await pageCountryPlans(t.db, "PE", { statuses, sort: "plan", dir: "asc", limit: 10, offset: 10 });
      const names = all.map((p) => p.name).sort();
      expect([...first, ...second].map((p) => p.name)).toEqual(names.slice(0, 20));
      const byExit = await pageCountryPlans(t.db, "PE", { statuses, sort: "exit", dir: "desc", limit: 100, offset: 0 });
      expect(byExit.map((p) => p.exitYear)).toEqual([...all.map((p) => p.exitYear)].sort((a, b) => b - a));

      const budget = all.filter((p) => p.name.includes("national budget"));
      expect(budget.length).toBeGreaterThan(0);
      expect(await countCountryPlans(t.db, "PE", statuses, "NATIONAL")).toBe(budget.length);
      // Wildcards in the search are matched literally.
      expect(await countCountryPlans(t.db, "PE", statuses, "%")).toBe(0);
    });
  });
