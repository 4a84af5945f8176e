import type { AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as xlsx from "../../app/routes/institutions.$id.plans.$planId.export[.xlsx]";
import { parseConfig } from "../../app/platform/config";
import type { PlanYear } from "../../app/domain/handover";
import { insertPlan } from "../../db/queries/handover";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";
import { makeInstitution } from "../support/temporal";
import { BASE } from "../web/harness";
import { funding, recordCycle } from "./support";

/**
 * The plan as an XLSX workbook, read back with exceljs: numbers are numbers with formats, every
 * amount and total is the exact decimal (no sum of floats), actuals per quarter are there, and
 * only those who may see the plan get it.
 */

let db: TestDb;
let context: AppLoadContext;
let institutionId: string;
let stranger: string;
let planId: string;
let admin: TestSession;

// Cents chosen so that adding the amounts as floats drifts: 0.1 + 0.2 + 0.3 = 0.6000000000000001.
const YEARS: PlanYear[] = [
  {
    year: 2026,
    lines: [{ module: "M1", cycles: 3, enterprises: 12, unitCostMinor: 3_333_333 }],
    funding: funding({ enterprise_fee: 10, government: 4_000_000, ilo: 5_999_989 }),
  },
  {
    year: 2027,
    lines: [{ module: "M1", cycles: 1, enterprises: 4, unitCostMinor: 123_456_789_012 }],
    funding: funding({ enterprise_fee: 20, sponsor: 100_000_000_000, ilo: 23_456_788_992 }),
  },
  {
    year: 2028,
    lines: [{ module: "M2", cycles: 2, enterprises: 9, unitCostMinor: 15 }],
    funding: funding({ enterprise_fee: 30 }),
  },
];

beforeAll(async () => {
  db = await createTestDb("postgres");
  context = {
    db: db.db,
    temporal: null,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
  institutionId = await makeInstitution(db.db, { countryCode: "GH" });
  stranger = await makeInstitution(db.db, { countryCode: "GH" });
  planId = randomUUID();
  await db.db.transaction().execute((trx) =>
    insertPlan(
      trx,
      {
        id: planId,
        institutionId,
        name: "Plan à l’essai",
        currency: "GHS",
        usdRate: { num: 2, den: 31 },
        exitYear: 2028,
        varianceThresholdPp: 10,
        scenarioOf: null,
        years: YEARS,
      },
      "test",
      new Date(),
    ),
  );
  // Q2 2026: one cycle of 10,000.00 of which 2,000.00 from fees → 20 % non-ILO against 40.00 % planned.
  await recordCycle(db.db, institutionId, "2026-05-15", 1_000_000, { enterprise_fee: 200_000, ilo: 800_000 });
  admin = await signInAs(db.db, "ilo_admin");
}, 60_000);

afterAll(async () => {
  await db?.close();
});

async function download(s: TestSession, id = institutionId): Promise<Response> {
  const request = await asSession(new Request(`${BASE}/institutions/${id}/plans/${planId}/export.xlsx`), s);
  try {
    return await xlsx.loader({ request, params: { id, planId }, context });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

async function workbook(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

describe("the plan as XLSX", () => {
  it("is a download with a safe name, never cached", async () => {
    const res = await download(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="plan-Plan-a-l-essai.xlsx"');
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("writes the plan per year as numbers with formats, and totals that are the exact decimal sums", async () => {
    const wb = await workbook(await download(admin));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Plan per year",
      "Funding by source",
      "Actuals per quarter",
      "Stage floors",
    ]);
    const plan = wb.getWorksheet("Plan per year")!;
    expect(values(plan, 1)).toEqual([
      "Year",
      "Cycles",
      "Enterprises",
      "Cost (GHS)",
      "Funded (GHS)",
      "Non-ILO share",
      "Gap (GHS)",
      "Floor met",
    ]);
    // 2026: 3 × 33,333.33 = 99,999.99; funded 0.10 + 40,000.00 + 59,999.89 = 99,999.99; non-ILO 40,000.10 → 40.00 %.
    expect(values(plan, 2)).toEqual([2026, 3, 12, 99999.99, 99999.99, 0.4, 0, ""]);
    // 2027: 1,234,567,890.12 of which 1,000,000,000.20 non-ILO → 81.00 %: the Cost recovery floor (50 %), not yet Independent delivery (90 %).
    expect(values(plan, 3)).toEqual([2027, 1, 4, 1234567890.12, 1234567890.12, 0.81, 0, "Cost recovery"]);
    expect(values(plan, 4)).toEqual([2028, 2, 9, 0.3, 0.3, 1, 0, "Independent delivery"]);
    const totalMinor = 9_999_999 + 123_456_789_012 + 30;
    // Non-ILO 1,000,040,000.60 of 1,234,667,890.41 = 80.9966… % → 81.00 %.
    expect(values(plan, 5)).toEqual(["Total", 6, 25, 1234667890.41, 1234667890.41, 0.81, 0, ""]);
    expect(Math.round((values(plan, 5)[3] as number) * 100)).toBe(totalMinor);
    expect(plan.getCell("D2").numFmt).toBe("#,##0.00");
    expect(plan.getCell("F2").numFmt).toBe("0.00%");

    const fund = wb.getWorksheet("Funding by source")!;
    expect(values(fund, 1)[0]).toBe("Year");
    expect(values(fund, 1)[1]).toBe("Enterprise fees (GHS)");
    // Fees over the three years: 0.10 + 0.20 + 0.30, written as the exact 0.6 — not the float sum.
    const feeTotal = values(fund, 5)[1] as number;
    expect(feeTotal).toBe(0.6);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(values(fund, 5)).toEqual(["Total", 0.6, 0, 40000, 1000000000, 0, 234627889.81, 1234667890.41]);
  });

  it("writes actuals per quarter against the planned share, and the floors", async () => {
    const wb = await workbook(await download(admin));
    const actuals = wb.getWorksheet("Actuals per quarter")!;
    expect(actuals.rowCount).toBe(1 + 12);
    expect(values(actuals, 3)).toEqual(["2026-Q2", 1, 10000, 0.2, 0.4, -20]);
    expect(values(actuals, 2)).toEqual(["2026-Q1", 0, 0]);
    const floors = wb.getWorksheet("Stage floors")!;
    expect(values(floors, 2)).toEqual(["Cost recovery", 0.5, 2027]);
    expect(values(floors, 3)).toEqual(["Independent delivery", 0.9, 2028]);
  });

  it("speaks the user's language in headers and sheet names", async () => {
    const french = await signInAs(db.db, "viewer");
    await db.db.updateTable("users").set({ locale: "fr" }).where("id", "=", french.userId).execute();
    const wb = await workbook(await download(french));
    expect(wb.worksheets[0].name).toBe("Plan par année");
    expect(values(wb.worksheets[0], 1)[3]).toBe("Coût (GHS)");
  });

  it("is refused to another institution's reporter (404) and given to the institution's own", async () => {
    const own = await signInAs(db.db, "institution_reporter", { institutionId });
    expect((await download(own)).status).toBe(200);
    const other = await signInAs(db.db, "institution_reporter", { institutionId: stranger });
    const refused = await download(other);
    expect(refused.status).toBe(404);
    expect(refused.headers.get("Content-Type") ?? "").not.toContain("spreadsheetml");
    expect((await download(admin, stranger)).status).toBe(404);
  });
});
