import basis from "./messages/basis";
import format from "./messages/format";
import problems from "./messages/problems";
import type { Translator } from "./translate";

/**
 * Form validation messages written in English by code that must stay free of i18n (the shared
 * zod schemas, server helpers) are translated where they are shown. So are the English bases of
 * gate results stored before criteria carried a `basisMessage`, and the forecast's summary.
 * Notifications, stage transitions and workflow refusals do not come here: they travel as message
 * keys with parameters (./message.ts, ./render.ts). Each English text of the `problem.*` and
 * `basis.*` catalogues is a pattern (`{label} must be a whole number`); a message that
 * matches one is given in the reader's language, its `{name}` parts filled from the English:
 * field names, report kinds and statuses translated, numbers and ISO dates formatted for the
 * language, and a part that is itself such a message translated in turn. Anything else is
 * shown as it is, so a wording no pattern knows still reads, in English. English readers get the
 * same treatment, so a stored "active since 2025-12-06" reads "active since 6 Dec 2025".
 */
interface Pattern {
  key: string;
  re: RegExp;
  names: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const PATTERNS: Pattern[] = Object.entries({ ...problems.en, ...basis.en })
  // Field names are words, not patterns; a template of placeholders alone would match anything.
  .filter(([key, english]) => !key.startsWith("problem.label.") && english.replace(/\{\w+\}/g, "").trim().length > 1)
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
    return { key, re: new RegExp(`^${source}$`, "s"), names };
  })
  // Exact texts first, then the most specific templates (more fixed text), so a short template
  // never swallows a message a longer one describes.
  .sort((a, b) => a.names.length - b.names.length || b.re.source.length - a.re.source.length);

/** English words that fill templates, with the key that translates them. */
const WORDS = new Map<string, string>([
  ...Object.entries(problems.en)
    .filter(([key]) => key.startsWith("problem.label."))
    .map(([key, english]) => [english, key] as [string, string]),
  // Report kinds and funding sources as the workflow writes them ("tot cohort"), report statuses.
  ...Object.keys(format.en)
    .filter((key) => key.startsWith("kind."))
    .map((key) => [key.slice(5).replaceAll("_", " "), key] as [string, string]),
  ...Object.keys(format.en)
    .filter((key) => key.startsWith("funding."))
    .map((key) => [key.slice(8).replaceAll("_", " "), key] as [string, string]),
  ...Object.keys(format.en)
    .filter((key) => key.startsWith("status."))
    .map((key) => [key.slice(7), key] as [string, string]),
]);

function fill(t: Translator, value: string, depth: number): string {
  const word = WORDS.get(value);
  if (word) return t(word);
  if (/^\d+$/.test(value)) return t.number(Number(value));
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return t.date(value);
  return depth < 3 ? translate(t, value, depth + 1) : value;
}

function translate(t: Translator, message: string, depth: number): string {
  // A list of known words ("enterprise fee, government"), as the metrics write sources.
  const parts = message.split(", ");
  if (parts.every((p) => WORDS.has(p))) return parts.map((p) => t(WORDS.get(p)!)).join(", ");
  for (const p of PATTERNS) {
    const m = p.re.exec(message);
    if (!m) continue;
    const vars: Record<string, string> = {};
    p.names.forEach((name, i) => (vars[name] = fill(t, m[i + 1], depth)));
    // One form of a plural pair matched: the reader's language picks its own form for the count.
    const plural = /^(.+)\.(zero|one|two|few|many|other)$/.exec(p.key);
    const at = p.names.includes("count") ? p.names.indexOf("count") : p.names.indexOf("n");
    const count = at >= 0 ? m[at + 1] : undefined;
    if (plural && count && /^\d+$/.test(count)) return t.plural(plural[1], Number(count), vars);
    return t(p.key, vars);
  }
  return message;
}

export function localise(t: Translator, message: string | null | undefined): string {
  if (!message) return "";
  // English too: the stored English text is matched so its dates and numbers read as the language writes them.
  return translate(t, message, 0);
}
