import basis from "./messages/basis";
import problems from "./messages/problems";
import type { Translator } from "./translate";

/**
 * Messages written in English by code that must stay free of i18n (the shared zod schemas the
 * workflow imports, server helpers) are translated where they are shown: each English text of
 * the `problem.*` catalogue is a pattern (`{label} must be a whole number`); a message that
 * matches one is given in the reader's language, its `{name}` parts filled from the English
 * (translated too when they are field names; numbers and ISO dates formatted for the language).
 * Anything else is shown as it is.
 */
interface Pattern {
  key: string;
  re: RegExp;
  names: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const PATTERNS: Pattern[] = Object.entries({ ...problems.en, ...basis.en })
  .filter(([key]) => !key.startsWith("problem.label."))
  .map(([key, english]) => {
    const names: string[] = [];
    const source = english
      .split(/(\{\w+\})/)
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m) return escape(part);
        names.push(m[1]);
        return "(.+?)";
      })
      .join("");
    return { key, re: new RegExp(`^${source}$`), names };
  })
  // Exact texts before templates, so "Choose a trainer" never reads as a template's fill.
  .sort((a, b) => a.names.length - b.names.length);

const LABEL_KEY = new Map(
  Object.entries(problems.en)
    .filter(([key]) => key.startsWith("problem.label."))
    .map(([key, english]) => [english, key]),
);

export function localise(t: Translator, message: string | null | undefined): string {
  if (!message) return "";
  if (t.locale === "en") return message;
  for (const p of PATTERNS) {
    const m = p.re.exec(message);
    if (!m) continue;
    const vars: Record<string, string> = {};
    p.names.forEach((name, i) => {
      const value = m[i + 1];
      const labelKey = LABEL_KEY.get(value);
      vars[name] = labelKey ? t(labelKey) : /^\d+$/.test(value) ? t.number(Number(value)) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? t.date(value) : value;
    });
    return t(p.key, vars);
  }
  return message;
}
