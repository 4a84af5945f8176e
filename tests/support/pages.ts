import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/**
 * Every page a signed-in person can reach, found the way they would find it: by following links
 * from the institutions list and the header, breadth first. Links that lead to the same kind of
 * page (the same route, other ids or filter values) are followed once, so a role's walk is a few
 * dozen pages, not every institution. Downloads, sign-out and other origins are not followed.
 */

/** Parameters that sort, filter or page a list: the same page, laid out the same. */
const LIST_PARAMS = new Set(["sort", "dir", "before", "after", "page", "show", "stage", "q"]);

/**
 * The route a URL shows: ids and values folded, so two institutions' pages are one shape. Each
 * kind of report is its own form when `kinds` is set (the reporter's walk); other parameters count
 * by name only, and a list's sorting and filtering not at all.
 */
export function pageShape(href: string, kinds = false): string {
  const url = new URL(href, "http://x");
  const path = url.pathname
    .split("/")
    .map((seg) => (/\d/.test(seg) ? ":x" : seg))
    .join("/");
  const keys = [...url.searchParams.keys()]
    .filter((k) => !LIST_PARAMS.has(k))
    .sort()
    .map((k) => (k === "kind" && kinds ? `kind=${url.searchParams.get(k)}` : k));
  return keys.length ? `${path}?${[...new Set(keys)].join("&")}` : path;
}

const NOT_PAGES = [
  /^\/logout/,
  /^\/language/,
  /^\/evidence\//,
  /\.(csv|pdf|xlsx)$/,
  /\/(dossier|export)/,
  /^\/import\/template/,
  /^\/healthz/,
];

/** Same-origin links on the page that lead to another page worth visiting. */
export async function pageLinks(page: Page): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
  const out: string[] = [];
  for (const h of hrefs) {
    const u = new URL(h);
    if (u.origin !== origin) continue;
    const rel = `${u.pathname}${u.search}`;
    if (NOT_PAGES.some((re) => re.test(u.pathname))) continue;
    if (/download|format=/.test(u.search)) continue;
    out.push(rel);
  }
  return out;
}

export interface Visit {
  href: string;
  status: number;
}

/**
 * Walks a role's pages breadth first from `starts`, calling `check` on each page that opened
 * (status < 400); returns what was visited. `max` bounds the walk.
 */
export async function walkPages(
  page: Page,
  base: string,
  starts: string[],
  check: (href: string) => Promise<void>,
  { max = 60, kinds = false }: { max?: number; kinds?: boolean } = {},
): Promise<Visit[]> {
  const shapeOf = (href: string) => pageShape(href, kinds);
  const seen = new Set<string>();
  const queue: string[] = [];
  const push = (href: string) => {
    const shape = shapeOf(href);
    if (seen.has(shape)) return;
    seen.add(shape);
    queue.push(href);
  };
  starts.forEach(push);
  const visits: Visit[] = [];
  while (queue.length > 0 && visits.length < max) {
    const href = queue.shift()!;
    const res = await page.goto(`${base}${href}`);
    const status = res?.status() ?? 0;
    // A page that sent us elsewhere (a redirect) is checked where it landed, under its own shape.
    const landed = new URL(page.url());
    const at = `${landed.pathname}${landed.search}`;
    if (at !== href && shapeOf(at) !== shapeOf(href)) {
      if (seen.has(shapeOf(at))) continue;
      seen.add(shapeOf(at));
    }
    visits.push({ href: at, status });
    if (status >= 400) continue;
    // Documents that are not pages (the API's OpenAPI JSON, CSV files) are not walked.
    if (!(res?.headers()["content-type"] ?? "").includes("text/html")) continue;
    await hydrated(page).catch((e: Error) => {
      throw new Error(`${at} never ran its scripts: ${e.message}`);
    });
    await check(at);
    for (const link of await pageLinks(page)) push(link);
  }
  return visits;
}

/**
 * Waits until the page's scripts run: layouts that depend on the width are drawn by then. Pages
 * served without the app's scripts (the API reference, the public results) are ready as loaded.
 */
export async function hydrated(page: Page): Promise<void> {
  const scripted = await page.locator("script[type=module]").count();
  if (scripted === 0) return;
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's rules run on the page as it is (all impacts); the violations, with the elements' selectors. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  // Evaluated, not added as a <script>: the app's content security policy refuses inline scripts.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
}

/** How far the page reaches past the viewport, and the widest element that does it (for the message). */
export async function overflow(page: Page): Promise<{ extra: number; culprit: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const extra = document.documentElement.scrollWidth - width;
    let culprit = "";
    if (extra > 0) {
      let widest = 0;
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        if (
          r.right > width &&
          r.right > widest &&
          !el.closest(".table-scroll, .chart-scroll, .pathway-graph-scroll, .react-flow")
        ) {
          widest = r.right;
          culprit = `${el.tagName.toLowerCase()}.${el.className}#${el.id} (right edge ${Math.round(r.right)})`;
        }
      }
    }
    return { extra, culprit };
  });
}
