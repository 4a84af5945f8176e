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

/** A message's text and placeholders, in order: `{name}`, or `{name:percent}` for a value a message renders as a percentage (./render.ts). */
type Part = string | { name: string; whole: string };

/**
 * Messages already split into their parts, by text. A page of a hundred rows fills the same few
 * messages hundreds of times; each is split once per process (or browser tab). Bounded, because a
 * key with no message is its own text.
 */
const split = new Map<string, Part[]>();
const SPLIT_KEPT = 4_000;

function partsOf(template: string): Part[] {
  let parts = split.get(template);
  if (parts) return parts;
  parts = [];
  const placeholder = /\{(\w+(?::percent)?)\}/g;
  let last = 0;
  for (let m = placeholder.exec(template); m; m = placeholder.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ name: m[1]!, whole: m[0] });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  if (split.size >= SPLIT_KEPT) split.clear();
  split.set(template, parts);
  return parts;
}

function fill(template: string, vars: Vars | undefined): string {
  if (!vars || !template.includes("{")) return template;
  let out = "";
  // A placeholder with no value given stays as written.
  for (const p of partsOf(template)) out += typeof p === "string" ? p : p.name in vars ? String(vars[p.name]) : p.whole;
  return out;
}

/** Whole numbers below this are counted often enough (rows, badges, "3 of 5") to keep their plural category and plain format. */
const SMALL = 1_024;
const isSmall = (n: number) => Number.isInteger(n) && n >= 0 && n < SMALL && !Object.is(n, -0);

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
  // Categories and plain formats of small whole numbers, worked out once per translator.
  const categories: (Intl.LDMLPluralRule | undefined)[] = new Array(SMALL);
  const plainSmall: (string | undefined)[] = new Array(SMALL);
  const category = (n: number) => (isSmall(n) ? (categories[n] ??= rules.select(n)) : rules.select(n));
  const plainNumber = (n: number) => (isSmall(n) ? (plainSmall[n] ??= plain.format(n)) : plain.format(n));
  const lookup = (key: string) => catalog[key] ?? key;
  const t = ((key: string, vars?: Vars) => fill(lookup(key), vars)) as Translator;
  t.locale = locale;
  t.plural = (key, count, vars) => {
    const chosen = catalog[`${key}.${category(count)}`] ?? catalog[`${key}.other`] ?? catalog[key] ?? key;
    return fill(chosen, { count: plainNumber(count), ...vars });
  };
  t.number = (n, options) => (options ? nf(options).format(n) : plainNumber(n));
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
