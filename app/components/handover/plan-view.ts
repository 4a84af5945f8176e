import { formatMinor, formatShareBp, summarisePlan, type PlanSummary } from "~/domain/handover";
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "~/domain/records";
import type { TemplateDefinition } from "~/domain/template";
import type { HandoverPlan } from "../../../db/queries/handover";

/** A plan's table as pages and exports show it: one row per year, money already formatted. */

export interface PlanTableRow {
  year: number;
  cycles: number;
  enterprises: number;
  cost: string;
  funding: Record<string, string>;
  funded: string;
  nonIloShare: string;
  gap: string;
  /** The stages whose non-ILO floor this year is the first to meet. */
  floorsMet: string[];
}

export function planTable(plan: HandoverPlan, def: TemplateDefinition): { summary: PlanSummary; rows: PlanTableRow[] } {
  const summary = summarisePlan(plan, def);
  const rows = summary.years.map((f) => {
    const y = plan.years.find((py) => py.year === f.year)!;
    return {
      year: f.year,
      cycles: f.cycles,
      enterprises: f.enterprises,
      cost: formatMinor(f.costMinor),
      funding: Object.fromEntries(FUNDING_SOURCES.map((s) => [s, formatMinor(y.funding[s])])),
      funded: formatMinor(f.fundedMinor),
      nonIloShare: formatShareBp(f.nonIloShareBp),
      gap: formatMinor(f.gapMinor),
      floorsMet: summary.floors.filter((fl) => fl.firstYear === f.year).map((fl) => fl.stageName),
    };
  });
  return { summary, rows };
}

function cell(v: string | number): string {
  const s = String(v);
  // Quote what a spreadsheet would split or evaluate; a leading = + - @ is neutralised.
  const safe = /^[=+\-@]/.test(s) && !/^-?[\d,.]+$/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The plan's table as CSV, amounts in the plan's currency with two decimals, then the floor years. */
export function planCsv(plan: HandoverPlan, def: TemplateDefinition): string {
  const { summary, rows } = planTable(plan, def);
  const money = (s: string) => s.replaceAll(",", "");
  const header = [
    "Year",
    "Cycles",
    "Enterprises",
    `Cost (${plan.currency})`,
    ...FUNDING_SOURCES.map((s) => `${FUNDING_SOURCE_LABELS[s]} (${plan.currency})`),
    `Funded (${plan.currency})`,
    "Non-ILO share of cost (%)",
    `Funding gap (${plan.currency})`,
  ];
  const lines = [header.map(cell).join(",")];
  for (const r of rows) {
    lines.push(
      [r.year, r.cycles, r.enterprises, money(r.cost), ...FUNDING_SOURCES.map((s) => money(r.funding[s])), money(r.funded), r.nonIloShare.replace(" %", ""), money(r.gap)]
        .map(cell)
        .join(","),
    );
  }
  lines.push("");
  lines.push(["Stage floor", "Non-ILO share needed (%)", "First year met"].map(cell).join(","));
  for (const f of summary.floors) lines.push([f.stageName, f.thresholdPct, f.firstYear ?? "not within the plan"].map(cell).join(","));
  return lines.join("\r\n") + "\r\n";
}
