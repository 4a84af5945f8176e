import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { startApp, type RunningApp } from "../support/app";
import { launchChromium, signInThroughForm } from "../support/browser";

/**
 * Issue 4's end-to-end path in Chromium, on the demo data: the portfolio graph filtered to a
 * country, a click on a stage, an institution from the list, and its readiness assessment with
 * the self-assessment beside the ILO's and the wide gaps marked in words.
 */
describe("from the portfolio graph to an institution's readiness assessment", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pathways-assessment-"));
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ dataDir: path.join(dir, "data") });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await signInThroughForm(page, app.url, "manager@pathways.example");
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("filters the graph by Ghana, opens the Engaged stage and the institution listed there", async () => {
    await page.goto(`${app.url}/portfolio`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.selectOption("#filter-country", "GH");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/country=GH/);
    await page.locator(".react-flow__node", { hasText: "Engaged" }).locator("a.portfolio-stage-link").click();
    await page.waitForURL(/stage=engaged/);
    expect(page.url()).toContain("country=GH");
    await page.getByRole("link", { name: DEMO_STORY_INSTITUTION }).click();
    await page.locator("h1", { hasText: DEMO_STORY_INSTITUTION }).waitFor();
  });

  it("opens the assessment: self and ILO side by side per dimension, with the wide gaps marked", async () => {
    await page.getByRole("link", { name: "Readiness assessment" }).click();
    await page.waitForURL(/\/institutions\/[0-9a-f-]{36}\/assessment$/);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });

    for (const dimension of ["Technical", "Institutional", "Financial"]) {
      const table = page.getByRole("table", { name: `${dimension}: self-assessment and ILO assessment side by side` });
      await table.waitFor();
      const headers = await table.locator("thead th").allTextContents();
      expect(headers).toEqual(["Criterion", "Self-assessment", "ILO assessment", "Gap (self − ILO)"]);
    }

    // The institution rates its quality assurance 3, the ILO 1: a wide gap, said in words.
    const qa = page.getByRole("row", { name: /Expert trainers and quality assurance/ });
    const cells = await qa.locator("td").allTextContents();
    expect(cells[0]).toMatch(/^3/);
    expect(cells[1]).toMatch(/^1/);
    expect(cells[2]).toContain("+2 · wide gap");
    expect(cells[2]).toContain("The institution rates itself higher than the ILO does.");

    // And one the other way: the ILO sees SCORE firmly in the strategy, the institution does not.
    const strategy = page.getByRole("row", { name: /SCORE in the service portfolio and strategy/ });
    expect(await strategy.locator("td").nth(2).textContent()).toContain("−2 · wide gap");

    expect(await page.locator("tr.row-gap-wide").count()).toBe(4);
    await page.getByText("4 wide gaps between the two assessments").waitFor();
    // The score the gates read is the ILO's, with the template's weights.
    await page.getByRole("heading", { name: "Readiness score" }).waitFor();
    await page.getByText(/Weights from the template/).waitFor();
    // A manager reads; there is no form.
    expect(await page.locator("form input[name=assessmentId]").count()).toBe(0);
  });
});
