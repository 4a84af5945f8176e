import { DEFAULT_LOCALE, isLocale } from "./locales";
import { makeTranslator, type Catalog, type Translator } from "./translate";

interface MatchLike {
  id: string;
  data?: unknown;
}

/**
 * The page's translator inside a `meta` function (titles), from the root loader's language and
 * catalogue (no other catalogue is bundled for the browser).
 */
export function metaT(matches: readonly MatchLike[] | undefined): Translator {
  const root = matches?.find((m) => m.id === "root")?.data as { i18n?: { locale?: string; messages?: Catalog } } | undefined;
  const locale = isLocale(root?.i18n?.locale) ? root!.i18n!.locale : DEFAULT_LOCALE;
  return makeTranslator(locale, root?.i18n?.messages ?? {});
}

/** "Page · Pathways" in the page's language. */
export function pageTitle(
  matches: readonly MatchLike[] | undefined,
  key: string,
  vars?: Record<string, string | number>,
): { title: string }[] {
  const t = metaT(matches);
  return [{ title: `${t(key, vars)} · ${t("app.name")}` }];
}
