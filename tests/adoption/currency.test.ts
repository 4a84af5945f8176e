import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digitsInUse, formatAmount, ISO_4217, parseAmount, STORED_SCALE } from "../../app/domain/currency";
import { parseMoney as importMoney } from "../../app/features/import/rules/columns";
import { cyclesImport } from "../../app/features/import/rules/cycles";
import { enterpriseKey, institutionKey, type ImportReference } from "../../app/features/import/rules/entity";
import { validateSheet } from "../../app/features/import/rules/validate";
import { parseMoney as formMoney } from "../../app/features/reports/report-form";
import { makeTranslator } from "../../app/i18n/translate";
import { COUNTRY_PROFILES } from "../../db/seed-catalogue";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * Amounts of every currency are stored in hundredths (decision 006); the currency's digits in use
 * (ISO 4217 minor units, or fewer where people use fewer: VND 0, IDR 0) decide what is typed and shown.
 * The demo data once stored VND in whole dong, 100× below what the report form and the import
 * store for the same typed amount.
 */

describe("currencies and their digits", () => {
  it("knows the ISO 4217 minor units and the digits in use", () => {
    expect(ISO_4217.VND).toEqual({ minorUnits: 0, digitsInUse: 0 });
    expect(ISO_4217.USD).toEqual({ minorUnits: 2, digitsInUse: 2 });
    expect(ISO_4217.IDR).toEqual({ minorUnits: 2, digitsInUse: 0 });
    expect(digitsInUse("GHS")).toBe(2);
  });

  it("reads an amount with the currency's digits and refuses more decimals than it uses", () => {
    expect(parseAmount("45,000,000", 0)).toBe(45_000_000 * STORED_SCALE);
    expect(parseAmount("45000000.00", 0)).toBe(45_000_000 * STORED_SCALE);
    expect(parseAmount("45000000.5", 0)).toBeNaN();
    expect(parseAmount("2000.50", 2)).toBe(200050);
    expect(parseAmount("2.000,5", 2)).toBe(200050);
    expect(parseAmount("2000.505", 2)).toBeNaN();
    expect(parseAmount("", 2)).toBeNull();
    expect(formatAmount(4_500_000_000, 0)).toBe("45000000");
    expect(formatAmount(200050, 2)).toBe("2000.50");
  });

  it("shows an amount with the currency's digits, from the same stored hundredths", () => {
    const en = makeTranslator("en", {});
    expect(en.money(4_500_000_000, "VND")).toBe("VND 45,000,000");
    expect(en.money(123_456_789_00, "IDR")).toBe("IDR 123,456,789");
    expect(en.money(200050, "USD")).toBe("USD 2,000.50");
    // A fraction a zero-digit currency cannot show is rounded half to even, never dropped silently.
    expect(en.money(150, "VND")).toBe("VND 2");
    expect(en.money(250, "VND")).toBe("VND 2");
  });
});

describe("demo, import and forms store the same amount for the same typed figure", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb("postgres");
    await seedDemoData(db.db, new Date("2026-05-31T12:00:00Z"));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a VND cycle cost of the demo reads as the dong a person would type in the form or the import", async () => {
    const typed = "45000000";
    expect(formMoney(typed)).toBe(importMoney(typed));
    const rows = await db.db
      .selectFrom("training_cycles")
      .select(["currency", "cost_minor"])
      .where("currency", "in", ["VND", "IDR", "GHS", "COP"])
      .execute();
    const byCurrency = new Map<string, number[]>();
    for (const r of rows) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), Number(r.cost_minor)]);
    expect(byCurrency.get("VND")?.length).toBeGreaterThan(0);
    const typical: Record<string, number> = {
      VND: COUNTRY_PROFILES.VN.cycleCost,
      IDR: COUNTRY_PROFILES.ID.cycleCost,
      GHS: COUNTRY_PROFILES.GH.cycleCost,
      COP: COUNTRY_PROFILES.CO.cycleCost,
    };
    for (const [currency, costs] of byCurrency) {
      const median = costs.sort((a, b) => a - b)[Math.floor(costs.length / 2)];
      // What the form would store for the profile's typical cost, typed in major units.
      const asTyped = formMoney(String(typical[currency]))!;
      const ratio = median / asTyped;
      expect(ratio, `${currency}: demo median ${median}, typed ${asTyped}`).toBeGreaterThan(0.5);
      expect(ratio, currency).toBeLessThan(2);
    }
  });
});

describe("the cycles import reads amounts with the institution's currency", () => {
  const ref: ImportReference = {
    countries: ["VN", "GH"],
    modules: ["M1"],
    phases: [],
    institutions: new Map([
      [institutionKey("VN", "Hanoi Centre"), { id: "vn-1", currency: "VND" }],
      [institutionKey("GH", "Accra Centre"), { id: "gh-1", currency: "GHS" }],
    ]),
    enterprises: new Map([
      [enterpriseKey("vn-1", "Song Hong Garments"), "e-1"],
      [enterpriseKey("gh-1", "Tema Foods"), "e-2"],
    ]),
  };
  const header = cyclesImport.columns(ref).map((c) => c.name);
  const row = (country: string, institution: string, enterprise: string, cost: string, fees: string, ilo: string) => {
    const cells: Record<string, string> = {
      country,
      institution,
      module: "M1",
      enterprise,
      started_on: "2015-01-01",
      ended_on: "2015-06-30",
      cost,
      fund_enterprise_fee: fees,
      fund_ilo: ilo,
    };
    return header.map((h) => cells[h] ?? (h === "cycle_code" ? "" : h === "ilo_staff_involved" ? "no" : "0"));
  };

  it("refuses a dong amount with decimals, accepts cents for cedis, and stores both in hundredths", () => {
    const v = validateSheet(
      cyclesImport,
      {
        header,
        rows: [
          row("VN", "Hanoi Centre", "Song Hong Garments", "45000000.50", "5000000.50", "40000000"),
          row("GH", "Accra Centre", "Tema Foods", "2000.50", "500.50", "1500"),
        ],
      },
      ref,
    );
    expect(v.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, "cost", "import.problem.moneyDigits"],
      [2, "fund_enterprise_fee", "import.problem.moneyDigits"],
    ]);
    expect(v.rows.map((r) => r.values.cost)).toEqual([200050]);
    const ok = validateSheet(
      cyclesImport,
      { header, rows: [row("VN", "Hanoi Centre", "Song Hong Garments", "45000000", "5000000", "40000000")] },
      ref,
    );
    expect(ok.problems).toEqual([]);
    expect(ok.rows[0].values.cost).toBe(45_000_000 * STORED_SCALE);
  });
});
