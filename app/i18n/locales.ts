/**
 * The languages Pathways speaks. Adding one (Chinese, Vietnamese and Indonesian are next) means
 * adding its code here, its name, its Intl locale and a column in every messages file — the
 * compiler then lists each message still missing.
 */
export const LOCALES = ["en", "es", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Languages planned next; the structure (Intl formatting, per-area catalogues) is ready for them. */
export const PLANNED_LOCALES = ["zh", "vi", "id"] as const;

/** Each language named in itself, as a language picker should show it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", es: "Español", fr: "Français" };

/** The Intl locale used for numbers, dates and money. */
export const INTL_LOCALE: Record<Locale, string> = { en: "en-GB", es: "es-ES", fr: "fr-FR" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The best supported language in an Accept-Language header, or null. */
export function fromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const base = r.tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return null;
}
