/**
 * What an audit entry changed, as a short list of fields with their value before and after,
 * instead of two walls of JSON. Pure, so the page and its tests share it.
 */

export interface FieldChange {
  field: string;
  /** The value shown, shortened; null when the field was absent on that side. */
  before: string | null;
  after: string | null;
}

const MAX_VALUE = 80;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const absent = (v: unknown) => v === null || v === undefined;
  if (absent(before) && absent(after)) return [];
  if (!isRecord(before) && !isRecord(after)) {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ field: "", before: absent(before) ? null : show(before), after: absent(after) ? null : show(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const out: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (JSON.stringify(b[field]) === JSON.stringify(a[field])) continue;
    out.push({
      field,
      before: field in b && b[field] !== undefined ? show(b[field]) : null,
      after: field in a && a[field] !== undefined ? show(a[field]) : null,
    });
  }
  return out;
}
