import { Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n/react";
import { listHref, pageNumbers, type PageWindow, type SortDir } from "~/platform/list-query";

/**
 * The controls every long list shares: "51–100 of 5,000", the page links, sortable column
 * headers and the search box. All of them are plain links and GET forms, so they work before
 * (and without) JavaScript, and every state of a list has an address that can be shared.
 */

/** "51–100 of 5,000" (or nothing shown when the list is empty: the page says so itself). */
export function ListRange({ window: w, id }: { window: PageWindow; id?: string }) {
  const t = useT();
  if (w.total === 0) return null;
  return (
    <p className="list-range muted" id={id} role="status">
      {t("list.range", { from: t.number(w.from), to: t.number(w.to), total: t.number(w.total) })}
    </p>
  );
}

/** Previous / numbered / next page links, with the current page marked for assistive technology. */
export function Pager({ window: w, label }: { window: PageWindow; label?: string }) {
  const t = useT();
  const { pathname, search } = useLocation();
  if (w.pages <= 1) return null;
  const href = (page: number) => listHref(pathname, search, { page });
  return (
    <nav className="pager" aria-label={label ?? t("list.pages")}>
      <ul>
        <li>
          {w.page > 1 ? (
            <Link to={href(w.page - 1)} rel="prev">
              {t("list.previous")}
            </Link>
          ) : (
            <span aria-disabled="true" className="muted">
              {t("list.previous")}
            </span>
          )}
        </li>
        {pageNumbers(w.page, w.pages).map((n, i) =>
          n === null ? (
            <li key={`gap-${i}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={n}>
              <Link
                to={href(n)}
                aria-current={n === w.page ? "page" : undefined}
                aria-label={t("list.pageN", { page: t.number(n) })}
              >
                {t.number(n)}
              </Link>
            </li>
          ),
        )}
        <li>
          {w.page < w.pages ? (
            <Link to={href(w.page + 1)} rel="next">
              {t("list.next")}
            </Link>
          ) : (
            <span aria-disabled="true" className="muted">
              {t("list.next")}
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}

/**
 * A column header that sorts the list: a link to the same list sorted by this column (the other
 * direction when it already is), with aria-sort saying how the list is sorted now.
 */
export function SortHeader({
  column,
  sort,
  dir,
  children,
  firstDir = "asc",
  scope = "col",
}: {
  column: string;
  sort: string;
  dir: SortDir;
  children: ReactNode;
  firstDir?: SortDir;
  scope?: "col" | "row";
}) {
  const t = useT();
  const { pathname, search } = useLocation();
  const active = column === sort;
  const next: SortDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
  return (
    <th scope={scope} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link to={listHref(pathname, search, { sort: column, dir: next })} className="sort-link">
        {children}
        <span className="visually-hidden"> {t(next === "asc" ? "list.sortAsc" : "list.sortDesc")}</span>
        {active ? <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}

/** The search box of a list: a GET field named `q`, keeping the other parameters but the page. */
export function SearchBox({ q, label, keep = [] }: { q: string; label: string; keep?: [string, string][] }) {
  const t = useT();
  return (
    <form method="get" role="search" className="list-search">
      {keep.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor="list-q">{label}</label>
      <input id="list-q" type="search" name="q" defaultValue={q} maxLength={100} />
      <button type="submit" className="button button-secondary">
        {t("list.search")}
      </button>
    </form>
  );
}
