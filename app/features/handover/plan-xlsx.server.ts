import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import { actualsByQuarter, shareBp, shareVariance, summarisePlan, type QuarterActuals, type Variance } from "~/domain/handover";
import { FUNDING_SOURCES } from "~/domain/records";
import { guardWorkbook } from "~/platform/spreadsheet";
import type { TemplateDefinition } from "~/domain/template";
import type { Translator } from "~/i18n/translate";
import type { Database } from "../../../db/schema";
import { loadActualCycles, type HandoverPlan } from "../../../db/queries/handover";

/**
 * A plan's tables as an Excel workbook: numbers as numbers with number formats, so funders can
 * work with them. Every amount, totals included, is computed in integer minor units and turned
 * into a number once, from its exact decimal text: a cell holds the double nearest to the
 * amount (what Excel itself would store if the amount were typed), and no total is ever a sum
 * of such doubles.
 */

/** An integer scaled down by 10^places, via its exact decimal text: decimal(1234567, 2) → 12345.67. */
function decimal(n: number, places: number): number {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(n)).padStart(places + 1, "0");
  return Number(`${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`);
}

/** Minor units → the amount in major units (1234567 → 12345.67), never through float arithmetic. */
export const majorUnits = (minor: number) => decimal(minor, 2);

const MONEY = "#,##0.00";
const SHARE = "0.00%";
/** Basis points → the fraction Excel shows as a percentage (3636 → 0.3636, shown 36.36%). */
const fraction = (bp: number | null) => (bp === null ? null : decimal(bp, 4));

export interface ActualRow {
  actual: QuarterActuals;
  variance: Variance | null;
}

/** The plan's quarters with what the records show and the share variance, as the plan page computes them. */
export async function planActuals(db: Kysely<Database>, plan: HandoverPlan): Promise<ActualRow[]> {
  const years = plan.years.map((y) => y.year);
  if (years.length === 0) return [];
  const cycles = await loadActualCycles(db, plan.institutionId, `${Math.min(...years)}-01-01`, `${Math.max(...years)}-12-31`);
  return actualsByQuarter(cycles, years).map((actual) => {
    const [year, q] = actual.quarter.split("-Q").map(Number);
    return { actual, variance: shareVariance(plan, actual, { year, q: q as 1 | 2 | 3 | 4 }, plan.varianceThresholdPp) };
  });
}

function header(sheet: ExcelJS.Worksheet, titles: string[], widths: number[]) {
  sheet.columns = titles.map((title, i) => ({ header: title, width: widths[i] ?? 16 }));
  const row = sheet.getRow(1);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: "top" };
  sheet.views = [{ state: "frozen", ySplit: 1, xSplit: 1 }];
}

function formats(sheet: ExcelJS.Worksheet, money: number[], share: number[]) {
  for (const c of money) sheet.getColumn(c).numFmt = MONEY;
  for (const c of share) sheet.getColumn(c).numFmt = SHARE;
}

export async function planWorkbook(
  plan: HandoverPlan,
  def: TemplateDefinition,
  actuals: ActualRow[],
  t: Translator,
  now: Date,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Pathways";
  wb.created = now;
  wb.title = plan.name;
  const cur = plan.currency;
  const inCur = (label: string) => t("handover.xlsx.inCurrency", { label, currency: cur });
  const summary = summarisePlan(plan, def);
  const sorted = [...plan.years].sort((a, b) => a.year - b.year);

  // ---- the plan per year --------------------------------------------------------------------
  const planSheet = wb.addWorksheet(sheetName(t("handover.xlsx.plan")));
  header(
    planSheet,
    [
      t("handover.col.year"),
      t("handover.col.cycles"),
      t("handover.col.enterprises"),
      inCur(t("handover.col.cost")),
      inCur(t("handover.col.funded")),
      t("handover.col.nonIloShare"),
      inCur(t("handover.col.gap")),
      t("handover.col.floorMet"),
    ],
    [8, 10, 12, 18, 18, 14, 18, 30],
  );
  for (const y of summary.years) {
    const floors = summary.floors
      .filter((f) => f.firstYear === y.year)
      .map((f) => f.stageName)
      .join(", ");
    planSheet.addRow([
      y.year,
      y.cycles,
      y.enterprises,
      majorUnits(y.costMinor),
      majorUnits(y.fundedMinor),
      fraction(y.nonIloShareBp),
      majorUnits(y.gapMinor),
      floors,
    ]);
  }
  const sum = (f: (y: (typeof summary.years)[number]) => number) => summary.years.reduce((n, y) => n + f(y), 0);
  const totalNonIlo = sum((y) => y.nonIloMinor);
  const totalRow = planSheet.addRow([
    t("handover.col.total"),
    sum((y) => y.cycles),
    sum((y) => y.enterprises),
    majorUnits(summary.totalCostMinor),
    majorUnits(sum((y) => y.fundedMinor)),
    fraction(shareBp(totalNonIlo, summary.totalCostMinor)),
    majorUnits(summary.totalGapMinor),
    "",
  ]);
  totalRow.font = { bold: true };
  formats(planSheet, [4, 5, 7], [6]);

  // ---- funding by source --------------------------------------------------------------------
  const fundingSheet = wb.addWorksheet(sheetName(t("handover.xlsx.funding")));
  header(
    fundingSheet,
    [t("handover.col.year"), ...FUNDING_SOURCES.map((s) => inCur(t(`handover.source.${s}`))), inCur(t("handover.col.funded"))],
    [8, ...FUNDING_SOURCES.map(() => 18), 18],
  );
  for (const y of sorted) {
    fundingSheet.addRow([
      y.year,
      ...FUNDING_SOURCES.map((s) => majorUnits(y.funding[s])),
      majorUnits(FUNDING_SOURCES.reduce((n, s) => n + y.funding[s], 0)),
    ]);
  }
  const bySource = FUNDING_SOURCES.map((s) => sorted.reduce((n, y) => n + y.funding[s], 0));
  fundingSheet.addRow([
    t("handover.col.total"),
    ...bySource.map(majorUnits),
    majorUnits(bySource.reduce((a, b) => a + b, 0)),
  ]).font = { bold: true };
  formats(fundingSheet, FUNDING_SOURCES.map((_, i) => i + 2).concat(FUNDING_SOURCES.length + 2), []);

  // ---- actuals per quarter ------------------------------------------------------------------
  if (actuals.length > 0) {
    const sheet = wb.addWorksheet(sheetName(t("handover.xlsx.actuals")));
    header(
      sheet,
      [
        t("handover.xlsx.quarter"),
        t("handover.col.cycles"),
        inCur(t("handover.col.cost")),
        t("handover.col.nonIloShare"),
        t("handover.xlsx.plannedShare"),
        t("handover.xlsx.variance"),
      ],
      [10, 10, 18, 14, 16, 16],
    );
    for (const { actual, variance } of actuals) {
      sheet.addRow([
        actual.quarter,
        actual.cycles,
        majorUnits(actual.costMinor),
        fraction(actual.nonIloShareBp),
        variance ? fraction(variance.plannedShareBp) : null,
        variance ? decimal(variance.varianceBp, 2) : null,
      ]);
    }
    formats(sheet, [3], [4, 5]);
    sheet.getColumn(6).numFmt = "+0.00;-0.00;0.00";
  }

  // ---- stage floors -------------------------------------------------------------------------
  const floorSheet = wb.addWorksheet(sheetName(t("handover.xlsx.floors")));
  header(floorSheet, [t("handover.xlsx.floorStage"), t("handover.xlsx.floorNeeded"), t("handover.xlsx.floorYear")], [26, 20, 26]);
  for (const f of summary.floors)
    floorSheet.addRow([f.stageName, f.thresholdPct / 100, f.firstYear ?? t("handover.floor.never")]);
  floorSheet.getColumn(2).numFmt = "0%";

  guardWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Excel refuses sheet names over 31 characters or with : \ / ? * [ ]. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31);
}
