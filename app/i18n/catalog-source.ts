import type { Locale } from "./locales";
import type { Catalog } from "./translate";

/** What the catalogue script (`/i18n/<language>.<version>.js`) leaves on the page. */
export interface PageCatalog {
  locale: string;
  messages: Catalog;
}

declare global {
  interface Window {
    __pathwaysCatalog?: PageCatalog;
  }
}

type Source = (locale: Locale) => Catalog | undefined;

/**
 * Where the page's messages come from (decision 034). In the browser, from the catalogue script
 * the page loads before it hydrates: a file named by its content's hash, cached by the browser
 * for good, so the words travel once per language and version instead of inside every page and
 * every root revalidation. On the server, entry.server sets the source to every catalogue it
 * holds in memory.
 */
let source: Source = (locale) => {
  const page = typeof window === "undefined" ? undefined : window.__pathwaysCatalog;
  return page && page.locale === locale ? page.messages : undefined;
};

export function setCatalogSource(s: Source): void {
  source = s;
}

/** The language's messages where this process has them, or undefined. */
export function catalogFor(locale: Locale): Catalog | undefined {
  return source(locale);
}
