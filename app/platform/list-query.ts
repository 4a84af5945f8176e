/**
 * What every list that can grow reads from its address: the page, the page size, the sort
 * column and direction and the search text. Values that name nothing (an unknown column, a page
 * that is not a number, a size out of range) fall back to the defaults instead of failing, so a
 * shared or hand-edited link always opens a page. Control characters are refused earlier by
 * `searchParams` (request-body.server.ts, 400). Pure: the pager links use it in the browser too.
 */

export type SortDir = "asc" | "desc";

export interface ListQuery<S extends string> {
  /** 1-based page asked for (clamped to the last page once the total is known, by `pageWindow`). */
  page: number;
  per: number;
  sort: S;
  dir: SortDir;
  /** The search text, trimmed, at most MAX_SEARCH characters; "" when none. */
  q: string;
}

export interface ListSpec<S extends string> {
  sorts: readonly S[];
  defaultSort: S;
  /** The direction each column sorts in when first chosen (default "asc"). */
  defaultDir?: Partial<Record<S, SortDir>>;
  perDefault?: number;
}

export const PER_DEFAULT = 50;
export const PER_MIN = 10;
export const PER_MAX = 200;
export const MAX_SEARCH = 100;
/** A page number past this is not a page anyone pages to; it is read as "the last page". */
const MAX_PAGE = 1_000_000;

function wholeNumber(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const s = raw.trim();
  if (!/^\d{1,9}$/.test(s)) return undefined;
  return Number(s);
}

export function parseListQuery<S extends string>(params: URLSearchParams, spec: ListSpec<S>): ListQuery<S> {
  const rawSort = params.get("sort");
  const sort = spec.sorts.find((s) => s === rawSort) ?? spec.defaultSort;
  const rawDir = params.get("dir");
  const dir: SortDir = rawDir === "asc" || rawDir === "desc" ? rawDir : (spec.defaultDir?.[sort] ?? "asc");
  const per = wholeNumber(params.get("per"));
  const page = wholeNumber(params.get("page"));
  return {
    page: page && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
    per: per && per >= PER_MIN && per <= PER_MAX ? per : (spec.perDefault ?? PER_DEFAULT),
    sort,
    dir,
    q: (params.get("q") ?? "").trim().slice(0, MAX_SEARCH),
  };
}

export interface PageWindow {
  page: number;
  per: number;
  pages: number;
  total: number;
  offset: number;
  /** 1-based position of the first and last row shown (0 and 0 when there are none). */
  from: number;
  to: number;
}

/** The page actually shown once the total is known: a page past the end shows the last one. */
export function pageWindow(total: number, page: number, per: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / per));
  const p = Math.min(Math.max(1, page), pages);
  const offset = (p - 1) * per;
  return { page: p, per, pages, total, offset, from: total === 0 ? 0 : offset + 1, to: Math.min(total, offset + per) };
}

/**
 * The address of the same list with some parameters changed (undefined or "" removes one).
 * Changing anything but the page goes back to page 1.
 */
export function listHref(
  path: string,
  current: URLSearchParams | string,
  changes: Record<string, string | number | undefined>,
): string {
  const p = new URLSearchParams(current);
  if (!("page" in changes)) p.delete("page");
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "" || (k === "page" && v === 1)) p.delete(k);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** Page numbers to offer around the current one: first, last, and two either side; null marks a gap. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const keep = new Set([1, pages]);
  for (let i = page - 2; i <= page + 2; i++) if (i >= 1 && i <= pages) keep.add(i);
  const sorted = [...keep].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of sorted) {
    const prev = out[out.length - 1];
    if (typeof prev === "number" && n - prev > 1) out.push(null);
    out.push(n);
  }
  return out;
}
