import type { MetricUnit } from "~/domain/gate";
import type { Translator } from "~/i18n/translate";

/**
 * How numbers and durations read on the pages, in the reader's language (`t` from `useT()` or
 * `getTranslator`). Dates on pages go through `t.date`; `day` keeps the ISO form for machine-ish
 * places (CSV, form values).
 */

export function formatValue(t: Translator, value: number, unit: MetricUnit): string {
  if (unit === "yes/no") return value >= 1 ? t("format.yes") : t("format.no");
  if (unit === "percent") return t.percent(value);
  if (unit === "score") return t("format.score", { value: t.number(value) });
  return t.number(value);
}

export function formatThreshold(t: Translator, threshold: number, unit: MetricUnit): string {
  if (unit === "yes/no") return threshold >= 1 ? t("format.yes") : t("format.no");
  return t("format.atLeast", { value: formatValue(t, threshold, unit) });
}

/** Compact "value / needed" for the graph, where space is short. */
export function formatAgainst(t: Translator, value: number, threshold: number, unit: MetricUnit): string {
  if (unit === "yes/no") return formatValue(t, value, unit);
  return `${formatValue(t, value, unit)} / ${formatValue(t, threshold, unit)}`;
}

/** "12 days", "5 months", "2 years 3 months": how long an institution has sat at its stage. */
export function formatDuration(t: Translator, days: number): string {
  if (days < 1) return t("format.lessThanADay");
  if (days < 60) return t.plural("format.days", days);
  const months = Math.floor(days / 30.44);
  if (months < 24) return t.plural("format.months", months);
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest ? `${t.plural("format.years", years)} ${t.plural("format.months", rest)}` : t.plural("format.years", years);
}

/** The date part of an ISO timestamp, as the loader serialised it. */
export function day(timestamp: string | Date | null | undefined): string {
  if (!timestamp) return "";
  return (typeof timestamp === "string" ? timestamp : timestamp.toISOString()).slice(0, 10);
}

export function criteriaMetText(t: Translator, met: number, total: number): string {
  return t.plural("format.criteriaMet", total, { met: t.number(met) });
}
