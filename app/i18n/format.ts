import { INTL_LOCALE, type Locale } from "./locales";

/**
 * The one date format and the one percentage format of each language. Every date and every
 * percentage a person reads goes through these (the translator's `t.date`, `t.dateTime` and
 * `t.percent` call them), so a page never shows "2026-10-06" beside "21 Sept 2026", or "48.61 %"
 * beside "63%". Files and answers for machines (CSV, the API, form values) keep ISO dates.
 *
 * en "21 Sept 2026" · "48.6%"; es "21 sept 2026" · "48,6 %"; fr "21 sept. 2026" · "48,6 %".
 */

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
const percentFormats = new Map<string, Intl.NumberFormat>();

/** A date only (`YYYY-MM-DD`) is that day; a timestamp is read in UTC, the same on server and browser. */
function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** A date in the language's one format ("21 Sept 2026"); "" for none; the input as given if it is no date. */
export function formatDate(lang: Locale, value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  let f = dateFormats.get(lang);
  if (!f) dateFormats.set(lang, (f = new Intl.DateTimeFormat(INTL_LOCALE[lang], { dateStyle: "medium", timeZone: "UTC" })));
  return f.format(d);
}

/** A moment: the date in the language's format and the time of day in UTC ("21 Sept 2026 14:05 UTC"). */
export function formatDateTime(lang: Locale, value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${formatDate(lang, d)} ${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * A percentage in the language's one format, from percent points (48.61 → "48.6%" / "48,6 %"),
 * with at most one decimal (a floor's threshold may ask for two).
 */
export function formatPercent(lang: Locale, points: number, maximumFractionDigits = 1): string {
  const k = `${lang}:${maximumFractionDigits}`;
  let f = percentFormats.get(k);
  if (!f) percentFormats.set(k, (f = new Intl.NumberFormat(INTL_LOCALE[lang], { style: "percent", maximumFractionDigits })));
  return f.format(points / 100);
}

/** A share of a whole (0.486 → "48.6%"), in the language's one percentage format. */
export function formatShare(lang: Locale, share: number, maximumFractionDigits = 1): string {
  return formatPercent(lang, share * 100, maximumFractionDigits);
}
