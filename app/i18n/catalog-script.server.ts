import { createHash } from "node:crypto";
import { CATALOGS } from "./catalog";
import { LOCALES, type Locale } from "./locales";
import type { PageCatalog } from "./catalog-source";

interface CatalogScript {
  /** `/i18n/en.0123456789ab.js`: the version is the hash of the body, so a changed catalogue gets a new address. */
  path: string;
  version: string;
  body: string;
}

function build(locale: Locale): CatalogScript {
  const payload: PageCatalog = { locale, messages: CATALOGS[locale] };
  // `<` escaped: the text can never close a script element, whatever a message says.
  const body = `window.__pathwaysCatalog=${JSON.stringify(payload).replace(/</g, "\\u003c")};\n`;
  const version = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { path: `/i18n/${locale}.${version}.js`, version, body };
}

/** Each language's catalogue as a script, made once per process (decision 034). */
export const CATALOG_SCRIPTS: Record<Locale, CatalogScript> = Object.fromEntries(LOCALES.map((l) => [l, build(l)])) as Record<
  Locale,
  CatalogScript
>;
