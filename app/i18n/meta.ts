import { DEFAULT_LOCALE, isLocale } from "./locales";
import { catalogFor } from "./catalog-source";
import { makeTranslator, type Translator } from "./translate";

interface MatchLike {
  id: string;
  data?: unknown;
}

/**
 * The page's translator inside a `meta` function (titles), in the root loader's language, with
 * that language's catalogue (decision 034).
 */
export function metaT(matches: readonly MatchLike[] | undefined): Translator {
  const root = matches?.find((m) => m.id === "root")?.data as { i18n?: { locale?: string } } | undefined;
  const locale = isLocale(root?.i18n?.locale) ? root!.i18n!.locale : DEFAULT_LOCALE;
  return makeTranslator(locale, catalogFor(locale) ?? {});
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
