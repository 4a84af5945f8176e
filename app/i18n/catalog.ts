import type { AreaMessages } from "./define";
import { LOCALES, type Locale } from "./locales";
import type { Catalog } from "./translate";
import common from "./messages/common";
import importArea from "./messages/import";

/**
 * Every area's messages. Each area owns a file in ./messages with its own key prefix; add the
 * file here. Keys must be unique across areas (checked below and by a unit test).
 */
const AREAS: Record<string, AreaMessages<string>> = {
  common,
  import: importArea,
};

function build(): Record<Locale, Catalog> {
  const out = Object.fromEntries(LOCALES.map((l) => [l, {} as Catalog])) as Record<Locale, Catalog>;
  const owner = new Map<string, string>();
  for (const [area, messages] of Object.entries(AREAS)) {
    for (const key of Object.keys(messages.en)) {
      const other = owner.get(key);
      if (other) throw new Error(`Message "${key}" is defined by both ${other} and ${area}`);
      owner.set(key, area);
    }
    for (const l of LOCALES) Object.assign(out[l], messages[l]);
  }
  return out;
}

export const CATALOGS: Record<Locale, Catalog> = build();
export const AREA_NAMES = Object.keys(AREAS);
