import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { overflow, runAxe } from "../support/pages";
import { Client, DEMO, securityApp, type SecurityApp } from "../security/support";

/**
 * The public results page of a country (decision 028), in Chromium and over plain HTTP, on the
 * real app: published by an administrator through /admin/programme (audited: who, when, before →
 * after, and shown on the audit log page), at 360 px without sideways scroll and with no axe-core
 * violation, its figures readable with JavaScript off, no person's name or e-mail in its HTML or
 * CSV, and 404 again (page and CSV, not kept by shared caches) the moment it is unpublished.
 */

const SMALL_PHONE = { width: 360, height: 780 };
const INDICATOR = "institutions_embedding";
const started = securityApp();
let s: SecurityApp;
let browser: Browser;
let admin: Client;
let country: string;

const get = (path: string) => fetch(`${s.url}${path}`).catch(() => fetch(`${s.url}${path}`));

/** Sends the administrator's publication form with these countries and indicators ticked. */
async function publish(countries: string[], indicators: string[]): Promise<void> {
  const res = await admin.post("/admin/programme", { intent: "results-publish", country: countries, indicator: indicators });
  expect(res.status).toBe(302);
}

async function auditOf(action: string) {
  return s.db
    .selectFrom("audit_log")
    .select(["actor", "action", "entity_type", "entity_id", "before", "after", "occurred_at"])
    .where("action", "=", action)
    .where("entity_id", "=", country)
    .orderBy("id", "desc")
    .execute();
}

/** The audit log page's row for this action on the country, as text. */
async function auditPageRow(action: string): Promise<string> {
  const res = await admin.get(`/admin/audit?action=${encodeURIComponent(action)}`);
  expect(res.status).toBe(200);
  // React's text separators out, so the row reads as text does.
  const html = (await res.text()).replace(/<!-- -->/g, "");
  const row = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]).find((r) => r.includes(`country ${country}`));
  expect(row, `${action} on the audit log page`).toBeTruthy();
  return row!;
}

beforeAll(async () => {
  s = await started.start();
  browser = await launchChromium();
  admin = new Client(s.url);
  expect((await admin.signIn(DEMO.admin)).status).toBe(302);
  const reporter = await s.db
    .selectFrom("users as u")
    .innerJoin("institutions as i", "i.id", "u.institution_id")
    .select("i.country_code")
    .where("u.email", "=", DEMO.reporter)
    .executeTakeFirstOrThrow();
  country = reporter.country_code;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await started.stop();
});

describe("a country's public results page", () => {
  it("is 404 while the country is not published", async () => {
    for (const p of [`/results/${country}`, `/results/${country}/results.csv`]) {
      const res = await get(p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    }
  });

  it("publishing is audited (who, when, false → true) and shown on the audit log page", async () => {
    const before = new Date();
    await publish([country], [INDICATOR]);
    const [row] = await auditOf("results.publish_country");
    expect(row).toMatchObject({
      actor: DEMO.admin,
      entity_type: "country",
      before: { published: false },
      after: { published: true },
    });
    expect(row.occurred_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    const shown = await auditPageRow("results.publish_country");
    expect(shown).toContain(DEMO.admin);
    expect(shown).toMatch(/<del>false<\/del>[\s\S]*<ins>true<\/ins>/);
  });

  it("shows its figures with JavaScript off, the same as its CSV", async () => {
    const csv = await (await get(`/results/${country}/results.csv`)).text();
    const totals = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","))
      .filter((r) => r[0] === "totals");
    expect(totals.length).toBeGreaterThan(5);
    // Not a page of zeros: the demo data has institutions and enterprises in this country.
    expect(totals.some((r) => Number(r[2]) > 0)).toBe(true);

    const context = await browser.newContext({ viewport: SMALL_PHONE, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const res = await page.goto(`${s.url}/results/${country}`);
      expect(res?.status()).toBe(200);
      const table = page.locator("table").first();
      const rows = await table
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())));
      const n = new Intl.NumberFormat("en");
      expect(rows).toHaveLength(totals.length);
      totals.forEach((r, i) => {
        expect(rows[i][0], r[1]).toBe(n.format(Number(r[2])));
        if (r[3] !== "") expect(rows[i].slice(1), r[1]).toEqual([n.format(Number(r[3])), n.format(Number(r[4]))]);
      });
      // The published indicator (one row) and the chart are there without a script.
      expect(await page.locator("table").nth(1).locator("tbody tr").count()).toBe(1);
      expect(await page.locator("svg").count()).toBeGreaterThan(0);
      expect(await page.locator("a[href$='.csv'], a[href*='.csv?']").count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("at 360 px: no sideways scroll and no axe-core violation", async () => {
    const context = await browser.newContext({ viewport: SMALL_PHONE });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/results/${country}`);
      const { extra, culprit } = await overflow(page);
      expect(extra, culprit).toBe(0);
      expect(await runAxe(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("carries no person's name or e-mail, nor an institution's or enterprise's name, in its HTML or CSV", async () => {
    const [users, trainers, assessors, institutions, enterprises] = await Promise.all([
      s.db.selectFrom("users").select(["name", "email"]).execute(),
      s.db.selectFrom("trainers").select("name").execute(),
      s.db.selectFrom("readiness_assessments").select("assessed_by as name").distinct().execute(),
      s.db.selectFrom("institutions").select("name").where("country_code", "=", country).execute(),
      s.db
        .selectFrom("enterprises as e")
        .innerJoin("institutions as i", "i.id", "e.institution_id")
        .select("e.name")
        .where("i.country_code", "=", country)
        .execute(),
    ]);
    const personal = [
      ...users.flatMap((u) => [u.name, u.email]),
      ...trainers.map((t) => t.name),
      ...assessors.map((a) => a.name),
      ...institutions.map((i) => i.name),
      ...enterprises.map((e) => e.name),
    ].filter((v) => v.length >= 5);
    expect(trainers.length).toBeGreaterThan(0);
    expect(users.length).toBeGreaterThan(0);
    const html = await (await get(`/results/${country}`)).text();
    const csv = await (await get(`/results/${country}/results.csv`)).text();
    const escaped = (v: string) => v.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");
    const found = personal.filter((v) => html.includes(v) || html.includes(escaped(v)) || csv.includes(v));
    expect(found).toEqual([]);
  });

  it("unpublishing is audited (true → false) and the page and its CSV are 404 at once, not cached", async () => {
    const live = await get(`/results/${country}`);
    expect(live.status).toBe(200);
    expect(live.headers.get("Cache-Control")).toBe("public, max-age=300");
    await publish([], [INDICATOR]);
    for (const p of [`/results/${country}`, `/results/${country}/results.csv`]) {
      const res = await get(p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    }
    const [row] = await auditOf("results.unpublish_country");
    expect(row).toMatchObject({ actor: DEMO.admin, before: { published: true }, after: { published: false } });
    const shown = await auditPageRow("results.unpublish_country");
    expect(shown).toMatch(/<del>true<\/del>[\s\S]*<ins>false<\/ins>/);
  });
});
