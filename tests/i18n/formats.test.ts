import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate, formatPercent } from "../../app/i18n/format";
import type { Locale } from "../../app/i18n/locales";
import { pageShape } from "../support/pages";
import { Client, DEMO, securityApp, signedIn, type SecurityApp } from "../security/support";

/**
 * One date format and one percentage format per language, on every page: the pages a person
 * reaches by following links (the institutions, an institution's page, the portfolio, the
 * logframe, the plans, the analytics, the admin pages) are read as text, in English, Spanish and
 * French, and must show no ISO date ("2026-10-06") and only percentages written the language's
 * one way ("48.6%" in English, "48,6 %" in Spanish and French).
 */

const started = securityApp();
let s: SecurityApp;
let plan: string;

beforeAll(async () => {
  s = await started.start();
  // A plan (with a floor, shares and a scenario) for the plan pages to show.
  const reporter = await signedIn(s.url, DEMO.reporter);
  const me = await s.db.selectFrom("users").select("institution_id").where("email", "=", DEMO.reporter).executeTakeFirstOrThrow();
  const res = await reporter.post(`/institutions/${me.institution_id}/plans`, {
    name: "Handover plan",
    currency: "GHS",
    unitsPerUsd: "15.5",
    exitYear: "2028",
    varianceThresholdPp: "10",
    "years.0.year": "2027",
    "years.0.lines.0.module": "M1",
    "years.0.lines.0.cycles": "4",
    "years.0.lines.0.enterprises": "18",
    "years.0.lines.0.unitCost": "8000",
    "years.0.funding.enterprise_fee": "11000",
    "years.0.funding.government": "5000",
    "years.0.funding.ilo": "24000",
    "years.1.year": "2028",
    "years.1.lines.0.module": "M1",
    "years.1.lines.0.cycles": "6",
    "years.1.lines.0.enterprises": "27",
    "years.1.lines.0.unitCost": "8000",
    "years.1.funding.enterprise_fee": "18000",
    "years.1.funding.ilo": "20000",
  });
  expect(res.status).toBe(302);
  plan = res.headers.get("Location")!;
});
afterAll(async () => {
  await started.stop();
});

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'", nbsp: "\u00a0" };

/**
 * What a reader sees of a page: the body's text without scripts, styles, tags and their
 * attributes (a form field's ISO value is for the browser, not the reader), nor code samples.
 */
function visibleText(html: string): string {
  const body = /<body[\s\S]*<\/body>/.exec(html)?.[0] ?? html;
  return body
    .replace(/<(script|style|code|pre|textarea)\b[\s\S]*?<\/\1>/g, " ")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (ENTITIES[name.toLowerCase()]) return ENTITIES[name.toLowerCase()];
      if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return whole;
    });
}

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
/** A number and a percent sign, with whatever spacing and separators the page used. */
const PERCENT = /\d+(?:[.,\u00a0\u202f]\d+)*[ \u00a0\u202f]?%/g;

/** The value a percentage written in `lang` stands for (groups and decimal sign as the language writes them). */
function percentValue(lang: Locale, token: string): number {
  const digits = token.replace(/[ \u00a0\u202f]?%$/, "");
  const plain = lang === "en" ? digits.replace(/,/g, "") : digits.replace(/[.\u00a0\u202f]/g, "").replace(",", ".");
  return Number(plain);
}

/** Percentages on the page not written as the language's formatter writes them. */
function offPercentages(lang: Locale, text: string): string[] {
  return [...text.matchAll(PERCENT)]
    .map((m) => m[0])
    .filter((token) => {
      const value = percentValue(lang, token);
      return Number.isNaN(value) || formatPercent(lang, value, 2) !== token;
    });
}

const NOT_PAGES = [
  /^\/logout/,
  /^\/language/,
  /^\/evidence\//,
  /^\/api\//,
  /\.(csv|pdf|xlsx|json)$/,
  /\/(dossier|export)/,
  /^\/import\/template/,
  /^\/healthz/,
];

function linksOf(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"#]+)[^"]*"/g)) {
    const href = m[1].replace(/&amp;/g, "&");
    if (!href.startsWith("/") || href.startsWith("//")) continue;
    const u = new URL(href, "http://x");
    if (NOT_PAGES.some((re) => re.test(u.pathname))) continue;
    if (/download|format=/.test(u.search)) continue;
    out.push(`${u.pathname}${u.search}`);
  }
  return out;
}

interface Finding {
  page: string;
  what: string;
}

/** Walks the role's pages by their links (each kind of page once) and reports every off date and percentage. */
async function findings(c: Client, lang: Locale, starts: string[], max = 70): Promise<{ pages: string[]; found: Finding[] }> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const push = (href: string) => {
    const shape = pageShape(href);
    if (seen.has(shape)) return;
    seen.add(shape);
    queue.push(href);
  };
  starts.forEach(push);
  const pages: string[] = [];
  const found: Finding[] = [];
  while (queue.length > 0 && pages.length < max) {
    const href = queue.shift()!;
    let res = await c.get(href);
    let at = href;
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
      at = res.headers.get("Location")!;
      if (!at.startsWith("/")) break;
      res = await c.get(at);
    }
    if (res.status !== 200 || !(res.headers.get("content-type") ?? "").includes("text/html")) {
      await res.body?.cancel();
      continue;
    }
    const html = await res.text();
    pages.push(at);
    const text = visibleText(html);
    for (const m of text.matchAll(ISO_DATE)) {
      const around = text.slice(Math.max(0, m.index - 40), m.index + 50).replace(/\s+/g, " ");
      found.push({ page: at, what: `ISO date: …${around}…` });
    }
    for (const p of offPercentages(lang, text)) found.push({ page: at, what: `percentage "${p}" (expected ${lang} style)` });
    linksOf(html).forEach(push);
  }
  return { pages, found };
}

async function speaking(email: string, locale: Locale): Promise<Client> {
  const c = await signedIn(s.url, email);
  expect((await c.post("/language", { locale, redirectTo: "/institutions" })).status).toBe(302);
  return c;
}

describe("the formatters", () => {
  it("write one date and one percentage format per language", () => {
    expect(formatDate("en", "2026-09-21")).toBe("21 Sept 2026");
    expect(formatDate("es", "2026-09-21")).toBe("21 sept 2026");
    expect(formatDate("fr", "2026-09-21")).toBe("21 sept. 2026");
    expect(formatPercent("en", 48.61)).toBe("48.6%");
    expect(formatPercent("es", 48.61)).toBe("48,6\u00a0%");
    expect(formatPercent("fr", 63)).toBe("63\u00a0%");
  });

  it("tell a stray percentage from the language's own", () => {
    expect(offPercentages("en", "48.6% and 63% but 48.61 % and 63 %")).toEqual(["48.61 %", "63 %"]);
    expect(offPercentages("fr", "48,6\u00a0% and 63%")).toEqual(["63%"]);
  });
});

const STARTS = () => [
  plan,
  "/institutions",
  "/portfolio",
  "/logframe",
  "/analytics",
  "/plans",
  "/verify",
  "/notifications",
  "/admin/audit",
];

describe.each(["en", "es", "fr"] as const)("pages in %s", (lang) => {
  it("show dates and percentages in the language's one format", async () => {
    const admin = await speaking(DEMO.admin, lang);
    const { pages, found } = await findings(admin, lang, STARTS());
    if (process.env.FORMATS_DEBUG) console.warn(pages.join("\n"));
    expect(pages.length).toBeGreaterThan(20);
    for (const p of ["/portfolio", "/logframe", "/analytics"])
      expect(
        pages.some((x) => x.startsWith(p)),
        p,
      ).toBe(true);
    expect(pages.some((x) => /^\/institutions\/[^/]+$/.test(x))).toBe(true);
    expect(pages.some((x) => /\/plans\//.test(x))).toBe(true);
    expect(found).toEqual([]);
  });

  it("show a reporter's pages in the language's one format", async () => {
    const reporter = await speaking(DEMO.reporter, lang);
    const { pages, found } = await findings(reporter, lang, [plan, "/institutions", "/notifications", "/inbox"]);
    expect(pages.length).toBeGreaterThan(5);
    expect(found).toEqual([]);
  });
});
