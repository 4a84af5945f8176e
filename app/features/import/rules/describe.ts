import type { Column, Problem } from "./columns";
import { columnVars } from "./columns";

type T = (key: string, vars?: Record<string, string | number>) => string;

/** A column's allowed values in the reader's language: "Date, YYYY-MM-DD", "One of: female, male"… */
export function describeFormat(c: Column, t: T): string {
  const type = c.type;
  if (type.kind === "enum") return t("import.format.enum", { allowed: type.values.join(", ") });
  return t(`import.format.${type.kind}`, columnVars(c));
}

/** A problem as a sentence in the reader's language. */
export function problemMessage(p: Problem, t: T): string {
  return t(p.code, p.vars);
}
