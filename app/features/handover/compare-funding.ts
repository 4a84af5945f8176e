import { FUNDING_SOURCES, type FundingSource } from "~/domain/records";
import type { PlanYear } from "~/domain/handover";

type WithYears = { years: Pick<PlanYear, "funding">[] };

/** One funding source across two scenarios: totals over all years, in minor units. */
export interface SourceComparison {
  source: FundingSource;
  aMinor: number;
  bMinor: number;
  /** B minus A. */
  diffMinor: number;
  differs: boolean;
}

/** Funding by source for two plans side by side, with the sources where they differ marked. Pure. */
export function compareFunding(a: WithYears, b: WithYears): SourceComparison[] {
  const total = (p: WithYears, s: FundingSource) => p.years.reduce((n, y) => n + y.funding[s], 0);
  return FUNDING_SOURCES.map((source) => {
    const aMinor = total(a, source);
    const bMinor = total(b, source);
    return { source, aMinor, bMinor, diffMinor: bMinor - aMinor, differs: aMinor !== bMinor };
  });
}
