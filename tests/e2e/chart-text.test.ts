import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Chart text keeps its size on screen whatever the data: a chart of two columns is not blown up
 * to the page's width (and its text with it). The size read is the text's font size times the
 * scale the SVG is drawn at, for every text of every chart, at 1366 px, with all the data and with
 * one country's.
 */
describe("text in charts", () => {
  const chromium = appInChromium("charts");
  let admin: Page;

  beforeAll(async () => {
    admin = await chromium.signedIn("admin@pathways.example", { viewport: { width: 1366, height: 900 } });
  });

  /** Each chart text's size on screen in CSS pixels (font size × the SVG's scale), with what it says. */
  async function textSizes(page: Page): Promise<{ text: string; px: number }[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGTextElement>("figure.bar-chart svg text")).map((el) => ({
        text: (el.textContent ?? "").slice(0, 40),
        // The scale of the text's axis (a rotated label's matrix holds it as cos and sin).
        px: (() => {
          const m = el.getScreenCTM();
          const scale = m ? Math.hypot(m.a, m.b) : 1;
          return Math.round(parseFloat(getComputedStyle(el).fontSize) * scale * 10) / 10;
        })(),
      })),
    );
  }

  for (const query of ["", "?country=GH"]) {
    it(`draws every chart's text at 11 or 12 px on /analytics${query}`, async () => {
      await admin.goto(`${chromium.app.url}/analytics${query}`);
      await admin.locator("figure.bar-chart svg").first().waitFor();
      const sizes = await textSizes(admin);
      expect(sizes.length).toBeGreaterThan(10);
      const off = sizes.filter((s) => s.px < 11 || s.px > 12);
      expect(off).toEqual([]);
    });
  }
});
