import type { Translator } from "./translate";

/**
 * Names of the built-in codes (report kinds, funding sources, roles, report statuses, enterprise
 * sizes) in the reader's language. Template stage and criterion names are data typed by
 * administrators and are shown as entered.
 */
const named = (prefix: string) => (t: Translator, code: string) => {
  const key = `${prefix}.${code}`;
  const text = t(key);
  return text === key ? code.replaceAll("_", " ") : text;
};

export const reportKindName = named("kind");
export const fundingSourceName = named("funding");
export const roleName = named("role");
export const reportStatusName = named("status");
export const enterpriseSizeName = named("size");
export const sexName = named("sex");
