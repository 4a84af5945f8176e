import { isMessage, type Message, type MessageParam } from "./message";
import type { Translator } from "./translate";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function renderParam(t: Translator, value: MessageParam | undefined, depth: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return t.number(value);
  if (Array.isArray(value)) return value.map((v) => renderParam(t, v, depth)).join(", ");
  if (isMessage(value)) return depth < 4 ? renderAt(t, value, depth + 1) : value.key;
  return ISO_DATE.test(value) ? t.date(value) : value;
}

function renderAt(t: Translator, m: Message, depth: number): string {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.params ?? {})) {
    vars[name] = renderParam(t, value, depth);
    // A number the message shows as a share (`{actual:percent}`): in the language's one percentage format.
    if (typeof value === "number") vars[`${name}:percent`] = t.percent(value);
  }
  // A message with a count (`count`, or `n` as the gate bases name it) takes the plural form
  // the reader's language gives that number; one with a single form is used as it is.
  const count = m.params?.count ?? m.params?.n;
  return typeof count === "number" ? t.plural(m.key, count, vars) : t(m.key, vars);
}

/**
 * A message in the reader's language: its key looked up in the reader's catalogue, numbers and
 * ISO dates formatted for the language, and a parameter that is itself a message (a translated
 * word, a reason inside a notice) rendered in turn.
 */
export function render(t: Translator, m: Message | null | undefined): string {
  return m ? renderAt(t, m, 0) : "";
}

/**
 * A stored message: its key rendered when it has one, else the text as it was stored (an
 * officer's own words, or a row no key was found for).
 */
export function shown(t: Translator, m: Message | null | undefined, stored: string | null | undefined): string {
  return m ? render(t, m) : (stored ?? "");
}

/** A message from a row's key and params columns, or null when the row has no key. */
export function storedMessage(key: string | null | undefined, params: unknown): Message | null {
  if (!key) return null;
  return typeof params === "object" && params !== null ? { key, params: params as Message["params"] } : { key };
}
