import { formatMinor, formatShareBp, summarisePlan, type PlanSummary } from "~/domain/handover";
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "~/domain/records";
import { csvCell } from "~/platform/spreadsheet";
import type { TemplateDefinition } from "~/domain/template";
import type { Translator } from "~/i18n/translate";
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

/** How amounts and shares are written: plainly for files (CSV), in the reader's language on pages. */
export interface PlanFormats {
  money(minor: number): string;
  share(bp: number | null): string;
}

export const PLAIN_FORMATS: PlanFormats = { money: formatMinor, share: formatShareBp };

/** "44,000.00" / "44.000,00" and "36.36%" / "36,36 %": exact from integers (t.money), shares in the language's one percentage format (two decimals at most). */
export function localFormats(t: Translator): PlanFormats {
  return {
    money: (minor) => t.money(minor, "X").slice(2),
    share: (bp) => (bp === null ? "—" : t.percent(bp / 100, 2)),
  };
}

export function planTable(
  plan: HandoverPlan,
  def: TemplateDefinition,
  fmt: PlanFormats = PLAIN_FORMATS,
): { summary: PlanSummary; rows: PlanTableRow[] } {
  const summary = summarisePlan(plan, def);
  const rows = summary.years.map((f) => {
    const y = plan.years.find((py) => py.year === f.year)!;
    return {
      year: f.year,
      cycles: f.cycles,
      enterprises: f.enterprises,
      cost: fmt.money(f.costMinor),
      funding: Object.fromEntries(FUNDING_SOURCES.map((s) => [s, fmt.money(y.funding[s])])),
      funded: fmt.money(f.fundedMinor),
      nonIloShare: fmt.share(f.nonIloShareBp),
      gap: fmt.money(f.gapMinor),
      floorsMet: summary.floors.filter((fl) => fl.firstYear === f.year).map((fl) => fl.stageName),
    };
  });
  return { summary, rows };
}

const cell = csvCell;

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
      [
        r.year,
        r.cycles,
        r.enterprises,
        money(r.cost),
        ...FUNDING_SOURCES.map((s) => money(r.funding[s])),
        money(r.funded),
        r.nonIloShare.replace(" %", ""),
        money(r.gap),
      ]
        .map(cell)
        .join(","),
    );
  }
  lines.push("");
  lines.push(["Stage floor", "Non-ILO share needed (%)", "First year met"].map(cell).join(","));
  for (const f of summary.floors)
    lines.push([f.stageName, f.thresholdPct, f.firstYear ?? "not within the plan"].map(cell).join(","));
  return lines.join("\r\n") + "\r\n";
}
