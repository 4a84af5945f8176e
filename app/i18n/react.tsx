import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { catalogFor } from "./catalog-source";
import { DEFAULT_LOCALE, isLocale } from "./locales";
import common from "./messages/common";
import { makeTranslator, type Translator } from "./translate";

interface RootI18n {
  locale: string;
  /** The address of the language's catalogue script (decision 034). */
  script: string;
}

/**
 * The translator for the page, in the language the root loader chose, with the messages of
 * that language's catalogue script (the server holds every catalogue). Server and browser
 * format with the same Intl locale, so hydration matches.
 */
export function useT(): Translator {
  const data = useRouteLoaderData("root") as { i18n?: RootI18n } | undefined;
  const locale = isLocale(data?.i18n?.locale) ? data!.i18n!.locale : DEFAULT_LOCALE;
  const messages = catalogFor(locale);
  useReloadForMissingCatalog(!messages && !!data?.i18n);
  return useMemo(() => makeTranslator(locale, messages ?? common[locale]), [locale, messages]);
}

/**
 * The language changed without a page load (a sign-in that brings the user's own language,
 * say): this page has only the common words of the new language, so it loads itself again
 * once, which brings the new catalogue script.
 */
function useReloadForMissingCatalog(missing: boolean) {
  useEffect(() => {
    if (!missing) return;
    const key = "pathways.catalogReload";
    if (sessionStorage.getItem(key) === window.location.href) return;
    sessionStorage.setItem(key, window.location.href);
    window.location.reload();
  }, [missing]);
}
