import type { MetricUnit } from "~/domain/gate";

/**
 * How numbers and durations read on the pages. Dates stay ISO (`2025-03-14`): the same in every
 * language our users work in, and the same on the server and in the browser.
 */

export function formatValue(value: number, unit: MetricUnit): string {
  if (unit === "yes/no") return value >= 1 ? "Yes" : "No";
  if (unit === "percent") return `${value}%`;
  if (unit === "score") return `${value}/100`;
  return String(value);
}

export function formatThreshold(threshold: number, unit: MetricUnit): string {
  if (unit === "yes/no") return threshold >= 1 ? "Yes" : "No";
  return `at least ${formatValue(threshold, unit)}`;
}

/** Compact "value / needed" for the graph, where space is short. */
export function formatAgainst(value: number, threshold: number, unit: MetricUnit): string {
  if (unit === "yes/no") return formatValue(value, unit);
  return `${formatValue(value, unit)} / ${formatValue(threshold, unit)}`;
}

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "12 days", "5 months", "2 years 3 months": how long an institution has sat at its stage. */
export function formatDuration(days: number): string {
  if (days < 1) return "less than a day";
  if (days < 60) return plural(days, "day");
  const months = Math.floor(days / 30.44);
  if (months < 24) return plural(months, "month");
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest ? `${plural(years, "year")} ${plural(rest, "month")}` : plural(years, "year");
}

/** The date part of an ISO timestamp, as the loader serialised it. */
export function day(timestamp: string | Date | null | undefined): string {
  if (!timestamp) return "";
  return (typeof timestamp === "string" ? timestamp : timestamp.toISOString()).slice(0, 10);
}

export function criteriaMetText(met: number, total: number): string {
  return `${met} of ${total} ${total === 1 ? "criterion" : "criteria"} met`;
}
