import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Issue 14's phone-first layout, in Chromium at 360 × 780 (a small phone): the header's links sit
 * behind a menu button that opens them, and the pathway is drawn top to bottom. That no page is
 * wider than the screen, for every page of every role, is checked by accessibility.test.ts, on
 * the same walk as axe-core.
 */
// No `isMobile`: a mobile viewport zooms out to fit a wide page, which would hide the fault.
const PHONE = { viewport: { width: 360, height: 780 } };
const SHOTS = path.resolve(".scratch");

describe("every page on a 360 px phone", () => {
  const chromium = appInChromium("phone-layout");
  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  it("the menu button opens the header's links, and they close again on a page change", async () => {
    const page = await chromium.signedIn("officer@pathways.example", PHONE);
    const menu = page.locator("summary", { hasText: "Menu" });
    await menu.waitFor();
    const portfolio = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Portfolio" });
    expect(await portfolio.isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, "phone-menu-closed.png") });
    await menu.click();
    await portfolio.waitFor({ state: "visible" });
    await page.screenshot({ path: path.join(SHOTS, "phone-menu-open.png") });
    await portfolio.click();
    await page.waitForURL(/\/portfolio/);
    await portfolio.waitFor({ state: "hidden" });
    // And by keyboard: the button is a summary, focusable, opened with Enter.
    await menu.focus();
    await page.keyboard.press("Enter");
    await portfolio.waitFor({ state: "visible" });
  });

  it("on a wide screen the links show with no menu button", async () => {
    const page = await chromium.signedIn("manager@pathways.example", { viewport: { width: 1366, height: 900 } });
    await page.screenshot({ path: path.join(SHOTS, "wide-header.png") });
    expect(await page.locator("summary", { hasText: "Menu" }).isVisible()).toBe(false);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Portfolio" }).isVisible()).toBe(true);
  });

  it("draws an institution's pathway top to bottom, every stage in the screen's width", async () => {
    // A reporter signs in straight to their institution's page.
    const page = await chromium.signedIn("reporter@pathways.example", PHONE);
    await page.goto(`${chromium.app.url}/institutions`);
    expect(new URL(page.url()).pathname).toMatch(/^\/institutions\/[0-9a-f-]{36}$/);
    await page.locator(".pathway-graph .react-flow__node").first().waitFor();
    // The browser redraws the server's left-to-right picture once it knows the screen is narrow.
    await page.waitForFunction(() => {
      const boxes = Array.from(document.querySelectorAll(".pathway-graph .react-flow__node")).map((n) =>
        n.getBoundingClientRect(),
      );
      return boxes.length === 5 && boxes.every((b, i) => i === 0 || b.top >= boxes[i - 1].bottom);
    });
    const boxes = await page.$$eval(".pathway-graph .react-flow__node", (ns) =>
      ns.map((n) => {
        const r = n.getBoundingClientRect();
        return { left: r.left, right: r.right };
      }),
    );
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(360);
    }
  });
});
