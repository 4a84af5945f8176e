import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Under the Content-Security-Policy the pages still come alive in Chromium: the scripts run (the
 * page marks itself hydrated), React Flow draws, and the browser reports no blocked script or style.
 */
describe("pages under the Content-Security-Policy", () => {
  const chromium = appInChromium("csp");
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    page = await chromium.signedIn("manager@pathways.example");
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  });

  for (const path of ["/institutions", "/portfolio", "/analytics"]) {
    it(`${path} hydrates with nothing blocked`, async () => {
      await page.goto(chromium.app.url + path);
      await page.locator("html[data-hydrated=true]").waitFor({ timeout: 15_000 });
      if (path === "/portfolio") await page.locator(".react-flow__node").first().waitFor();
      expect(violations).toEqual([]);
    });
  }

  it("a link to another page opens without a full load and without asking the server for routes (decision 049)", async () => {
    const asked: string[] = [];
    const note = (r: { resourceType(): string; url(): string }) => asked.push(`${r.resourceType()} ${r.url()}`);
    page.on("request", note);
    try {
      await page.goto(chromium.app.url + "/institutions");
      await page.locator("html[data-hydrated=true]").waitFor({ timeout: 15_000 });
      // Lazy route discovery would ask the server for the routes of the links once the page is up:
      // waited for, so such a request would be seen.
      await page.waitForLoadState("networkidle");
      await page.locator('nav a[href="/analytics"]').click();
      await page.waitForURL(/\/analytics$/);
      await page.locator("h1").first().waitFor();
      expect(asked.filter((a) => a.includes("/__manifest"))).toEqual([]);
      // One document, the first page: the second came as data.
      expect(asked.filter((a) => a.startsWith("document ")).map((a) => new URL(a.split(" ")[1]!).pathname)).toEqual([
        "/institutions",
      ]);
      expect(asked.some((a) => a.includes("_data=routes%2Fanalytics"))).toBe(true);
      expect(violations).toEqual([]);
    } finally {
      page.off("request", note);
    }
  });

  it("a page cannot be put in a frame", async () => {
    await page.setContent(`<iframe src="${chromium.app.url}/institutions"></iframe>`);
    await page.waitForTimeout(1000);
    const frame = page.frames().find((f) => f.url().includes("/institutions"));
    const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "") : "";
    expect(framedText).not.toContain("Pathways");
  });
});
