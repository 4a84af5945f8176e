import type { FormValues } from "./report-form";

/**
 * A report typed on a phone is kept on the phone until the server has it (decision 027): the
 * form's text fields, saved in `localStorage` as the user types, under the institution and the
 * report id the form was given. The id travels with the draft, so a report restored and sent
 * again after a dropped connection is the same report (decision 003): never two.
 *
 * Files are not kept (a browser cannot store a chosen file for later); the page says so.
 */

export interface ReportDraft {
  institutionId: string;
  reportId: string;
  kind: string;
  /** When it was last saved (ms since 1970), to offer the newest first. */
  savedAt: number;
  values: FormValues;
}

const PREFIX = "pathways.report-draft";

/** Fields that are not the report's content: the session token and which button was pressed. */
const NOT_KEPT = new Set(["csrf", "intent"]);

export function draftKey(institutionId: string, reportId: string): string {
  return `${PREFIX}:${institutionId}:${reportId}`;
}

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage refused (private mode, a policy): the form works without drafts
  }
}

/** Something worth keeping: at least one field typed beyond the id and the kind. */
export function hasContent(values: FormValues): boolean {
  return Object.entries(values).some(([name, v]) => name !== "reportId" && name !== "kind" && v.trim() !== "");
}

export function saveDraft(draft: Omit<ReportDraft, "savedAt">): void {
  const s = storage();
  if (!s) return;
  const values = Object.fromEntries(Object.entries(draft.values).filter(([name]) => !NOT_KEPT.has(name)));
  const key = draftKey(draft.institutionId, draft.reportId);
  try {
    if (!hasContent(values)) s.removeItem(key);
    else s.setItem(key, JSON.stringify({ ...draft, values, savedAt: Date.now() } satisfies ReportDraft));
  } catch {
    // Storage full: the form still sends; only the copy on the device is missing.
  }
}

function parse(text: string | null): ReportDraft | null {
  if (!text) return null;
  try {
    const d = JSON.parse(text) as Partial<ReportDraft>;
    if (typeof d.institutionId !== "string" || typeof d.reportId !== "string" || typeof d.kind !== "string") return null;
    if (typeof d.values !== "object" || d.values === null) return null;
    const values = Object.fromEntries(Object.entries(d.values).filter(([, v]) => typeof v === "string")) as FormValues;
    return { institutionId: d.institutionId, reportId: d.reportId, kind: d.kind, savedAt: Number(d.savedAt) || 0, values };
  } catch {
    return null;
  }
}

/** This institution's drafts on this device, newest first. */
export function listDrafts(institutionId: string): ReportDraft[] {
  const s = storage();
  if (!s) return [];
  const drafts: ReportDraft[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (!key?.startsWith(`${PREFIX}:${institutionId}:`)) continue;
    const d = parse(s.getItem(key));
    if (d && d.institutionId === institutionId) drafts.push(d);
  }
  return drafts.sort((a, b) => b.savedAt - a.savedAt);
}

export function clearDraft(institutionId: string, reportId: string): void {
  try {
    storage()?.removeItem(draftKey(institutionId, reportId));
  } catch {
    // nothing to do
  }
}
