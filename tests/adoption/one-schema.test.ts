import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readNumber } from "../../app/features/indicators/edit-form";
import { readWorkbookTable } from "../../app/features/import/sheet-reader.server";
import { targetsImport } from "../../app/features/import/rules/targets";
import type { ImportReference } from "../../app/features/import/rules/entity";
import { validateSheet } from "../../app/features/import/rules/validate";
import { indicatorDefinition } from "../../app/features/indicators/indicators";

/**
 * The targets import and the target form read a figure by one rule: they accept and refuse the
 * same values (a cost share of 150 was accepted by the import and refused by the form), and a
 * percentage reads as shown, typed "40 %" or formatted as percent in Excel (once read as 0.4).
 */

const REF: ImportReference = {
  countries: ["GH", "VN", "ID"],
  modules: ["M1"],
  phases: ["phase-4"],
  institutions: new Map(),
  enterprises: new Map(),
};
const HEADER = ["indicator_key", "country", "phase_key", "target", "note"];

function importTarget(indicator: string, target: string) {
  return validateSheet(targetsImport, { header: HEADER, rows: [[indicator, "GH", "phase-4", target, ""]] }, REF);
}

describe("one rule for a target, in the form and in the import", () => {
  it("refuses a cost share of 150 in the import, as the form does", () => {
    expect(readNumber("150", "percent")).toEqual({ ok: false, error: "indicators.error.percent" });
    const v = importTarget("non_ilo_cost_share", "150");
    expect(v.rows).toEqual([]);
    expect(v.problems).toEqual([expect.objectContaining({ row: 2, column: "target", code: "indicators.error.percent" })]);
  });

  it("gives the same verdict as the form for every value and unit", () => {
    const cases: [string, string][] = [
      ["non_ilo_cost_share", "40"],
      ["non_ilo_cost_share", "40 %"],
      ["non_ilo_cost_share", "100.5"],
      ["non_ilo_cost_share", "0,5"],
      ["mous_signed", "12"],
      ["mous_signed", "12%"],
      ["mous_signed", "4,5"],
      ["mous_signed", "-1"],
      ["mous_signed", "1e5"],
      ["mous_signed", "2000000000"],
    ];
    cases.push(["centre_of_excellence", "1"], ["centre_of_excellence", "2"]);
    for (const [indicator, text] of cases) {
      const unit = indicatorDefinition(indicator)!.unit;
      const form = readNumber(text, unit);
      const imported = importTarget(indicator, text);
      expect(imported.rows.length === 1, `${indicator} ${text}`).toBe(form.ok);
      if (form.ok) expect(Number(imported.rows[0].values.target), `${indicator} ${text}`).toBe(form.value);
    }
  });

  it("reads a percentage typed with its sign in a CSV cell as the percentage", () => {
    const v = importTarget("non_ilo_cost_share", "40 %");
    expect(v.problems).toEqual([]);
    expect(v.rows[0].values.target).toBe("40");
  });
});

describe("a cell formatted as percent in Excel", () => {
  async function workbook(cells: { country: string; value: number; numFmt?: string }[]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("targets");
    ws.addRow(HEADER);
    for (const c of cells) {
      const row = ws.addRow(["non_ilo_cost_share", c.country, "phase-4", c.value, ""]);
      if (c.numFmt) row.getCell(4).numFmt = c.numFmt;
    }
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it("reads 40 % (stored 0.4) as 40, without float noise, and an unformatted number as it is", async () => {
    const table = await readWorkbookTable(
      await workbook([
        { country: "GH", value: 0.4, numFmt: "0%" },
        { country: "VN", value: 0.07, numFmt: "0.0%" },
        { country: "ID", value: 35 },
      ]),
    );
    expect(table.slice(1).map((r) => r[3])).toEqual(["40%", "7%", "35"]);
    const [header, ...rows] = table;
    const v = validateSheet(targetsImport, { header, rows }, REF);
    expect(v.problems).toEqual([]);
    expect(v.rows.map((r) => r.values.target)).toEqual(["40", "7", "35"]);
  });
});
