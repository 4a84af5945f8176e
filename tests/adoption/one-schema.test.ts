import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readNumber } from "../../app/features/indicators/edit-form";
import { readWorkbookTable } from "../../app/features/import/sheet-reader.server";
import { targetsImport } from "../../app/features/import/rules/targets";
import type { ImportReference } from "../../app/features/import/rules/entity";
import { validateSheet } from "../../app/features/import/rules/validate";
import { indicatorDefinition } from "../../app/features/indicators/indicators";
import { readDimension } from "../../app/features/indicators/dimensions";
import { readTargetInput } from "../../app/features/indicators/figure-value";
import { LOCALES } from "../../app/i18n/locales";
import { translatorFor } from "../../app/i18n/server";

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

describe("targets for a part of an indicator, and qualitative targets, in the import as on the form", () => {
  const PART_HEADER = ["indicator_key", "country", "phase_key", "dimension", "target", "target_text", "note"];
  const REF5 = { ...REF, modules: ["M1", "M2", "M3", "M4", "M5"] };
  const check = (rows: string[][]) => validateSheet(targetsImport, { header: PART_HEADER, rows }, REF5);
  const row = (indicator: string, dimension: string, target: string, text = "") => [
    indicator,
    "GH",
    "phase-4",
    dimension,
    target,
    text,
    "",
  ];

  it("reads a module group and a sex in their canonical form, the share of women as a percentage", () => {
    const v = check([
      row("non_ilo_cost_share", "m3+M2, m5 M4", "25 %"),
      row("non_ilo_cost_share", "module:M1", "40"),
      row("national_expert_trainers", "Women_Share", "50"),
      row("partner_staff_trained", "women", "12"),
      row("centre_of_excellence", "", "", "A national centre of excellence recognised by the ministry"),
    ]);
    expect(v.problems).toEqual([]);
    expect(v.rows.map((r) => [r.values.dimension, r.values.target, r.values.target_text])).toEqual([
      ["module:M2+M3+M4+M5", "25", null],
      ["module:M1", "40", null],
      ["women_share", "50", null],
      ["women", "12", null],
      ["", null, "A national centre of excellence recognised by the ministry"],
    ]);
  });

  it("refuses what the form refuses, with the form's messages, next to the column", () => {
    const v = check([
      row("mous_signed", "women", "3"), // no such part of a count of MoUs
      row("non_ilo_cost_share", "M9", "30"), // no module M9
      row("partner_staff_trained", "women_share", "150"), // a share above 100
      row("clusters_selected", "", "4", "four clusters"), // both a figure and words
      row("business_plans", "", "", ""), // neither
      row("partner_staff_trained", "WOMEN", "3"), // the same part as row 5, named in capitals
      row("partner_staff_trained", "women", "4"),
    ]);
    expect(v.problems.map(({ row: r, column, code }) => [r, column, code])).toEqual([
      [2, "dimension", "indicators.error.dimension"],
      [3, "dimension", "indicators.error.module"],
      [4, "target", "indicators.error.percent"],
      [5, "target_text", "indicators.error.oneValue"],
      [6, "target", "indicators.error.targetMissing"],
      [8, "dimension", "import.problem.duplicate"],
    ]);
    expect(readDimension(indicatorDefinition("mous_signed")!, "women", REF5.modules)).toEqual({
      ok: false,
      error: "indicators.error.dimension",
    });
    expect(readTargetInput("4", "four clusters", "clusters")).toMatchObject({ ok: false, error: "indicators.error.oneValue" });
  });

  it("every message the import gives here reads in English, Spanish and French", () => {
    for (const locale of LOCALES) {
      const t = translatorFor(locale);
      for (const key of [
        "indicators.error.dimension",
        "indicators.error.module",
        "indicators.error.targetMissing",
        "import.column.dimension",
        "import.column.target_text",
      ])
        expect(t(key), `${locale} ${key}`).not.toBe(key);
    }
    expect(translatorFor("es")("indicators.error.targetMissing")).not.toBe(translatorFor("en")("indicators.error.targetMissing"));
  });
});
