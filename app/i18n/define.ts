import type { Locale } from "./locales";

/**
 * One area's messages: English first, then every other language with exactly the same keys
 * (the type refuses a missing or extra one). `{name}` marks a value put in at run time; a key
 * ending in `.one` / `.other` is a plural pair, chosen with `t.plural`.
 */
export type AreaMessages<K extends string> = { en: Record<K, string> } & Record<Exclude<Locale, "en">, Record<K, string>>;

export function defineMessages<K extends string>(messages: AreaMessages<K>): AreaMessages<K> {
  return messages;
}
