import { digitsInUse } from "../domain/currency";
import { formatDate, formatDateTime, formatPercent } from "./format";
import { INTL_LOCALE, type Locale } from "./locales";

export type Catalog = Record<string, string>;
export type Vars = Record<string, string | number>;

export interface Translator {
  locale: Locale;
  /** The message for `key` with `{name}` placeholders filled; the key itself if it is unknown. */
  (key: string, vars?: Vars): string;
  /**
   * The form of `key` the language's plural rule (`Intl.PluralRules`) picks for `count`:
   * `key.one`, `key.few`, `key.many`…, falling back to `key.other`, then to `key` itself for a
   * message that has a single form. `{count}` is filled with `count`, formatted.
   */
  plural(key: string, count: number, vars?: Vars): string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
  /** `value` in percent points (42.5 → "42.5 %" / "42,5 %"). */
  percent(value: number, maximumFractionDigits?: number): string;
  /** An ISO date or timestamp as a date in the language's one format (always read in UTC). */
  date(value: string | Date | null | undefined): string;
  /** A timestamp as the date in the language's format and the time of day in UTC. */
  dateTime(value: string | Date | null | undefined): string;
  /** Stored minor units (hundredths) of a currency (12345, "GHS") → "GHS 123.45", with the currency's digits in use (VND none), in the user's language. */
  money(minor: number | bigint, currency: string, minorDigits?: number): string;
}

function fill(template: string, vars: Vars | undefined): string {
  if (!vars) return template;
  // `{name}`, or `{name:percent}` for a value a message renders as a percentage (./render.ts).
  return template.replace(/\{(\w+(?::percent)?)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * Translators made so far, per catalogue object and language. Every component that asks `useT`
 * gets the same one instead of a new translator with its own `Intl.PluralRules` and number
 * formats (a page of a hundred rows made hundreds); a catalogue no longer referenced takes its
 * translators with it. A translator reads its catalogue at each call, so it holds no copy.
 */
const made = new WeakMap<Catalog, Map<Locale, Translator>>();

export function makeTranslator(locale: Locale, catalog: Catalog): Translator {
  let perLocale = made.get(catalog);
  if (!perLocale) made.set(catalog, (perLocale = new Map()));
  let t = perLocale.get(locale);
  if (!t) perLocale.set(locale, (t = newTranslator(locale, catalog)));
  return t;
}

function newTranslator(locale: Locale, catalog: Catalog): Translator {
  const intl = INTL_LOCALE[locale];
  const rules = new Intl.PluralRules(intl);
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const plain = new Intl.NumberFormat(intl);
  const nf = (options?: Intl.NumberFormatOptions) => {
    if (!options) return plain;
    const k = JSON.stringify(options);
    let f = numberFormats.get(k);
    if (!f) numberFormats.set(k, (f = new Intl.NumberFormat(intl, options)));
    return f;
  };
  const lookup = (key: string) => catalog[key] ?? key;
  const t = ((key: string, vars?: Vars) => fill(lookup(key), vars)) as Translator;
  t.locale = locale;
  t.plural = (key, count, vars) => {
    const chosen = catalog[`${key}.${rules.select(count)}`] ?? catalog[`${key}.other`] ?? catalog[key] ?? key;
    return fill(chosen, { count: nf().format(count), ...vars });
  };
  t.number = (n, options) => nf(options).format(n);
  t.percent = (value, maximumFractionDigits = 1) => formatPercent(locale, value, maximumFractionDigits);
  t.date = (value) => formatDate(locale, value);
  t.dateTime = (value) => formatDateTime(locale, value);
  t.money = (minor, currency, minorDigits = 2) => {
    const m = typeof minor === "bigint" ? minor : BigInt(Math.round(minor));
    const negative = m < 0n;
    // Shown with the currency's digits in use (VND none), rounded half to even from the stored scale.
    const shown = Math.min(minorDigits, digitsInUse(currency));
    const drop = 10n ** BigInt(minorDigits - shown);
    let abs = negative ? -m : m;
    if (drop > 1n) {
      const q = abs / drop;
      const r = abs % drop;
      abs = r * 2n > drop || (r * 2n === drop && q % 2n === 1n) ? q + 1n : q;
    }
    const scale = 10n ** BigInt(shown);
    const whole = abs / scale;
    const frac = abs % scale;
    // Whole part grouped by Intl; fraction kept exact from the integer, never through a float.
    const group = nf({ maximumFractionDigits: 0 }).format(whole);
    const decimal =
      nf()
        .formatToParts(1.5)
        .find((p) => p.type === "decimal")?.value ?? ".";
    const amount = shown > 0 ? `${group}${decimal}${frac.toString().padStart(shown, "0")}` : group;
    return `${currency} ${negative ? "−" : ""}${amount}`;
  };
  return t;
}
