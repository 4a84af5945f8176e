import { Form, useLocation } from "@remix-run/react";
import { useRef } from "react";
import { LOCALES, LOCALE_NAMES } from "~/i18n/locales";
import { useT } from "~/i18n/react";
import { CsrfInput } from "./CsrfInput";

/**
 * A plain form (works before scripts load): pick a language and press Change. With scripts, the
 * choice applies as soon as it is made; the button stays for keyboard users who tab through.
 * The page loads anew in the new language, which brings that language's catalogue script
 * (decision 034).
 */
export function LanguagePicker() {
  const t = useT();
  const location = useLocation();
  const form = useRef<HTMLFormElement>(null);
  return (
    <Form method="post" action="/language" className="language-picker" ref={form} reloadDocument>
      <CsrfInput />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <label>
        <span className="visually-hidden">{t("language.label")}</span>
        <select
          name="locale"
          defaultValue={t.locale}
          key={t.locale}
          onChange={() => form.current?.requestSubmit()}
          aria-label={t("language.label")}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="link">
        {t("language.apply")}
      </button>
    </Form>
  );
}
