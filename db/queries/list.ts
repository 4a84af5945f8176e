/** What the paged lists' queries share. */

/** `%text%` for LIKE / ILIKE, with the text's own `%`, `_` and `\` matched literally (`\` is PostgreSQL's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
