import { CATALOGS } from "./catalog";
import { DEFAULT_LOCALE, fromAcceptLanguage, isLocale, type Locale } from "./locales";
import { makeTranslator, type Translator } from "./translate";

export const LOCALE_COOKIE = "pathways_lang";
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

function cookieLocale(request: Request): Locale | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === LOCALE_COOKIE) {
      const value = decodeURIComponent(rest.join("="));
      return isLocale(value) ? value : null;
    }
  }
  return null;
}

/**
 * The language of a request: the signed-in user's saved choice, else the language cookie (set by
 * the picker, for the sign-in page), else the browser's Accept-Language, else English.
 */
export function resolveLocale(request: Request, user?: { locale?: string | null } | null): Locale {
  if (isLocale(user?.locale)) return user.locale;
  return cookieLocale(request) ?? fromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

/** The translator for a request, for loaders and actions (error messages, file exports). */
export function getTranslator(request: Request, user?: { locale?: string | null } | null): Translator {
  const locale = resolveLocale(request, user);
  return makeTranslator(locale, CATALOGS[locale]);
}

export function translatorFor(locale: Locale): Translator {
  return makeTranslator(locale, CATALOGS[locale]);
}

export function localeCookie(locale: Locale, secure: boolean): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${secure ? "; Secure" : ""}`;
}
