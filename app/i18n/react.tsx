import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { DEFAULT_LOCALE, isLocale } from "./locales";
import common from "./messages/common";
import { makeTranslator, type Catalog, type Translator } from "./translate";

interface RootI18n {
  locale: string;
  messages: Catalog;
}

/**
 * The translator for the page, from the root loader (which sends the catalogue of the user's
 * language only). Server and browser format with the same Intl locale, so hydration matches.
 */
export function useT(): Translator {
  const data = useRouteLoaderData("root") as { i18n?: RootI18n } | undefined;
  const locale = isLocale(data?.i18n?.locale) ? data!.i18n!.locale : DEFAULT_LOCALE;
  const messages = data?.i18n?.messages;
  return useMemo(() => makeTranslator(locale, messages ?? common[locale]), [locale, messages]);
}
