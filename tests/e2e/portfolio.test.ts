import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/app";
import { appInChromium } from "../support/browser";

/**
 * Issue 4's manager view, in Chromium on the demo data: the portfolio graph, filtered to one
 * country; a click on a stage lists its institutions, and one click more opens an institution.
 */
describe("the portfolio graph in the browser", () => {
  const chromium = appInChromium("portfolio");
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = chromium.app;
    page = await chromium.signedIn("manager@pathways.example");
  });

  const node = (stage: string) => page.locator(".react-flow__node", { hasText: stage });

  it("draws every stage with its count, and the table says the same", async () => {
    await page.goto(`${app.url}/portfolio`);
    await node("Independent delivery").waitFor();
    expect(await page.locator(".react-flow__node").count()).toBe(5);
    expect(await page.locator(".react-flow__edge").count()).toBe(4);
    const row = page.locator("tr[data-stage=certification] td").first();
    expect(await node("Certification").textContent()).toContain(`${await row.textContent()} institutions`);
  });

  it("every stage's words fit inside its box, in English, Spanish and French", async () => {
    for (const locale of ["en-GB", "es-ES", "fr-FR"]) {
      const reader = await chromium.signedIn("manager@pathways.example", { locale });
      await reader.goto(`${app.url}/portfolio`);
      await reader.locator(".portfolio-stage-node").nth(4).waitFor();
      const spilling = await reader
        .locator(".portfolio-stage-node")
        .evaluateAll((boxes) =>
          boxes
            .filter((b) => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1)
            .map((b) => (b.querySelector(".stage-node-name")?.textContent ?? "?") + ` (${b.scrollHeight} > ${b.clientHeight})`),
        );
      expect(spilling, locale).toEqual([]);
      expect(await reader.locator("html").getAttribute("lang")).toBe(locale.slice(0, 2));
      await reader.context().close();
    }
  });

  it("filters by a country", async () => {
    await page.selectOption("#filter-country", "GH");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/country=GH/);
    await page.getByText("3 institutions on the pathway matching the filters").waitFor();
    expect(await node("Certification").textContent()).toContain("1 institution");
    expect(await node("Independent delivery").textContent()).toContain("0 institutions");
  });

  it("a click on a stage lists its institutions, with time in stage and forecast", async () => {
    // The graph is a picture for the mouse (hidden from screen readers, who use the table's links).
    await node("Certification").locator("a.portfolio-stage-link").click();
    await page.waitForURL(/stage=certification/);
    expect(page.url()).toContain("country=GH");
    await page.getByRole("heading", { name: "Certification: 1 institution" }).waitFor();
    const row = page.locator("section tbody tr");
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain("Ghana Federation of Private Employers");
    // The forecast date, written for the page's language (English here: "11 Oct 2027").
    expect(await row.locator("td").nth(2).textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}/);
  });

  it("the institution's name opens its page", async () => {
    await page.getByRole("link", { name: "Ghana Federation of Private Employers" }).click();
    await page.waitForURL(/\/institutions\/[0-9a-f-]{36}/);
    await page.locator("h1", { hasText: "Ghana Federation of Private Employers" }).waitFor();
  });
});
