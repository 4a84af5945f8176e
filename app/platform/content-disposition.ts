/**
 * `attachment` with the file's name for any script (RFC 6266 / RFC 8187 `filename*=UTF-8''…`)
 * and a plain-ASCII `filename` for old clients: quotes, `;`, `=`, backslashes and anything
 * outside printable ASCII become `_` there.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\;=%]/g, "_").trim() || "evidence";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
