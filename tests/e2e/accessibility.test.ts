import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";
import { hydrated, overflow, pageShape, runAxe, walkPages, type AxeViolation } from "../support/pages";

/**
 * Issue 14's "accessibility as a test" (decision 027). For each role, every page it can reach by
 * following links (each kind of page once: one institution, one report, each report form for the
 * reporter), in Chromium:
 *   - axe-core's rules, all impacts, at 390 px (a phone) and at 1366 px: no violation;
 *   - at 360 px (a small phone) no page wider than the screen (a wide table scrolls in its own region).
 * One browser; each role walks with one phone page and one wide page, reused from page to page.
 */
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 780 };
const WIDE = { width: 1366, height: 900 };

/** Where each walk starts: the list, and what the header offers that the list may not link to. */
const STARTS = ["/institutions", "/notifications", "/inbox", "/plans?country=GH"];

/** Pages each role must have reached, so a walk that stops early cannot pass unnoticed. */
const ROLES: Record<string, string[]> = {
  "admin@pathways.example": ["/admin/users", "/admin/audit", "/admin/templates/:x", "/admin/programme", "/import", "/verify"],
  "officer@pathways.example": ["/verify", "/institutions/:x", "/institutions/:x/assessment", "/portfolio"],
  "manager@pathways.example": ["/portfolio", "/analytics", "/logframe", "/logframe/edit?country&indicator&phase", "/plans"],
  "reporter@pathways.example": [
    "/institutions/:x/report?kind=tot_cohort",
    "/institutions/:x/report?kind=training_cycle",
    "/inbox",
  ],
};

function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.join(" | ")}`);
}

describe("every page, every role: axe-core at 1366 and 390 px, no sideways scroll at 360 px", () => {
  const chromium = appInChromium("accessibility");

  it("the sign-in page, signed out", async () => {
    const context = await chromium.browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(`${chromium.app.url}/login`);
      await hydrated(page);
      const found = describeViolations("/login 390", await runAxe(page));
      await page.setViewportSize(WIDE);
      found.push(...describeViolations("/login 1366", await runAxe(page)));
      expect(found).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const [email, mustReach] of Object.entries(ROLES)) {
    const reporter = email.startsWith("reporter");
    it(`${email.split("@")[0]}: every page it can reach`, { timeout: 300_000 }, async () => {
      const phone = await chromium.signedIn(email, { viewport: PHONE });
      const wide: Page = await chromium.signedIn(email, { viewport: WIDE });
      const base = chromium.app.url;
      const found: string[] = [];
      const tooWide: string[] = [];
      const visits = await walkPages(
        phone,
        base,
        STARTS,
        async (href) => {
          found.push(...describeViolations(`${href} at 390 px`, await runAxe(phone)));
          await phone.setViewportSize(SMALL_PHONE);
          const { extra, culprit } = await overflow(phone);
          if (extra > 0) tooWide.push(`${href}: ${extra}px too wide at 360 px — ${culprit}`);
          await phone.setViewportSize(PHONE);
          await wide.goto(`${base}${href}`);
          await hydrated(wide);
          found.push(...describeViolations(`${href} at 1366 px`, await runAxe(wide)));
        },
        { kinds: reporter, max: 80 },
      );
      const opened = visits.filter((v) => v.status < 400).map((v) => pageShape(v.href, reporter));
      for (const shape of mustReach) expect(opened, `${email} reached ${shape}`).toContain(shape);
      expect(found).toEqual([]);
      expect(tooWide).toEqual([]);
    });
  }
});
