import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Issue 14's phone-first layout, in Chromium at 360 × 780 (a small phone): for each role, every
 * page its menu offers and the pages one click deeper (an institution, its report form, plans,
 * the assessment, a template) are no wider than the screen (a wide table scrolls inside its own
 * region), and the header's links sit behind a menu button that opens them.
 */
// No `isMobile`: a mobile viewport zooms out to fit a wide page, which would hide the fault.
const PHONE = { viewport: { width: 360, height: 780 } };
const SHOTS = path.resolve(".scratch");

const ROLES = ["admin@pathways.example", "officer@pathways.example", "manager@pathways.example", "reporter@pathways.example"];

/** How far the page reaches past the viewport, and the widest element that does it (for the message). */
async function overflow(page: Page): Promise<{ extra: number; culprit: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const extra = document.documentElement.scrollWidth - width;
    let culprit = "";
    if (extra > 0) {
      let widest = 0;
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        if (r.right > width && r.right > widest && !el.closest(".table-scroll, .pathway-graph-scroll, .react-flow")) {
          widest = r.right;
          culprit = `${el.tagName.toLowerCase()}.${el.className}#${el.id} (right edge ${Math.round(r.right)})`;
        }
      }
    }
    return { extra, culprit };
  });
}

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

  for (const email of ROLES) {
    it(`no page is wider than the screen for ${email.split("@")[0]}`, async () => {
      const page = await chromium.signedIn(email, PHONE);
      const base = chromium.app.url;
      await page.goto(`${base}/institutions`);
      const links = await page.$$eval("nav[aria-label=Main] a", (as) => as.map((a) => a.getAttribute("href")!));
      // One institution the role may see, and the pages under it.
      const inst = (await page.$$eval("main a", (as) => as.map((a) => a.getAttribute("href") ?? ""))).find((h) =>
        /^\/institutions\/[0-9a-f-]{36}$/.test(h),
      );
      const deeper = inst ? [inst, `${inst}/report`, `${inst}/plans`, `${inst}/assessment`] : [];
      await page.goto(`${base}/admin/templates`);
      const template = email.startsWith("admin")
        ? await page.locator("a[href^='/admin/templates/']").first().getAttribute("href")
        : null;
      // The plans list shows its table once a country is picked.
      const plans = links.includes("/plans") ? ["/plans?country=GH"] : [];
      const pages = [...new Set([...links, ...plans, ...deeper, ...(template ? [template] : [])])];
      const wide: string[] = [];
      for (const href of pages) {
        const res = await page.goto(`${base}${href}`);
        if (!res || res.status() >= 400) continue; // a page this role may not open is not laid out
        await page.waitForLoadState("networkidle");
        const { extra, culprit } = await overflow(page);
        if (extra > 0) {
          wide.push(`${href}: ${extra}px too wide — ${culprit}`);
          await page.screenshot({ path: path.join(SHOTS, `phone-wide${href.replaceAll("/", "_")}.png`), fullPage: true });
        }
      }
      expect(pages.length, pages.join(" ")).toBeGreaterThan(4);
      expect(wide).toEqual([]);
    });
  }
});
