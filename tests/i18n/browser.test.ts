import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { startApp, type RunningApp } from "../support/app";
import { launchChromium, signInThroughForm } from "../support/browser";

/**
 * Issue 6 in Chromium: the language picker changes the page as soon as a language is chosen,
 * the page hydrates without a mismatch (server and browser format numbers and dates alike), and
 * the live funding total writes money the Spanish way.
 */
describe("languages in the browser", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pathways-i18n-"));
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  /** Errors the browser's console reported (a hydration mismatch is one). */
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startApp({ dataDir: path.join(dir, "data") });
    browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-GB" });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await signInThroughForm(page, app.url, "reporter@pathways.example");
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hydrated = () => page.locator("html[data-hydrated]").waitFor({ state: "attached" });

  it("switches to Spanish from the picker and stays there", async () => {
    // A reporter signs in to their institution's page (the list sends them there). The address
    // changes as the signed-in page starts to render: wait for that page, whose picker carries the
    // new session's CSRF token, before choosing (a busy machine showed the sign-in page's form).
    await page.locator("h2", { hasText: "Milestone reports" }).waitFor();
    await hydrated();
    await page.getByLabel("Language").selectOption("es");
    await page.locator("h2", { hasText: "Informes de hitos" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    await page.reload();
    await hydrated();
    expect(await page.locator("h1").textContent()).toContain(DEMO_STORY_INSTITUTION);
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    expect(problems).toEqual([]);
  });

  it("hydrates the institution page and the report form in Spanish without a mismatch", async () => {
    await page.goto(`${app.url}/institutions`);
    await page.locator("h2", { hasText: "Informes de hitos" }).waitFor();
    await hydrated();
    await page.getByRole("link", { name: "Informar un hito" }).first().click();
    await page.getByRole("link", { name: /Ciclo de formación impartido/ }).click();
    await page.locator("#f-payload-cost").waitFor();
    await hydrated();
    await page.fill("#f-payload-cost", "15000");
    await page.fill("#f-payload-funding-enterprise_fee", "12345,5");
    const total = page.locator(".funding-total");
    // Spanish groups thousands with a point from five digits on (CLDR: "2654,50" but "12.345,50").
    await expect
      .poll(() => total.textContent())
      .toMatch(
        /Financiación introducida: [A-Z]{3} 12\.345,50 de un costo de [A-Z]{3} 15\.000,00 — faltan [A-Z]{3} 2654,50 por asignar\./,
      );
    // Sent without a module and with the split off: the browser's own check answers in Spanish, next to the fields.
    await page.getByRole("button", { name: "Enviar el informe" }).click();
    await page.locator("#f-payload-module-error", { hasText: "Elija un módulo" }).waitFor();
    await page.locator(".error-summary", { hasText: "Corrija lo siguiente:" }).waitFor();
    expect(await page.locator("#f-payload-module").getAttribute("aria-describedby")).toContain("f-payload-module-error");
    expect(problems).toEqual([]);
  });

  it("goes back to English for the same account", async () => {
    await page.getByLabel("Idioma").selectOption("en");
    await page.waitForURL(/report/);
    await page.locator("html[lang=en]").waitFor({ state: "attached" });
    await hydrated();
    expect(problems).toEqual([]);
  });
});
