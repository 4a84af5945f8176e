import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * The plan form's years and lines in Chromium: without scripts, "Add a line" and the other row
 * buttons send the form and it comes back with the row added or removed, what was typed kept and
 * nothing saved; with scripts, a line or a year is added on the page at once and takes the
 * focus. A plan of four lines in a year is saved; a refused one shows its errors next to the fields.
 */
describe("adding and removing years and lines in a plan", () => {
  const chromium = appInChromium("plan-rows");
  const { signedIn } = chromium;
  let plansUrl: string;

  beforeAll(async () => {
    const reporter = await signedIn("reporter@pathways.example");
    plansUrl = `${reporter.url().split("?")[0]}/plans`;
    await reporter.context().close();
  });

  const modules = (page: Page, y: number) => page.locator(`select[name^="years.${y}.lines."][name$=".module"]`);
  const years = (page: Page) => page.locator('input[name$=".year"][name^="years."]');

  it("works without scripts: each button sends the form back with the rows changed and nothing saved", async () => {
    const page = await signedIn("reporter@pathways.example", { javaScriptEnabled: false });
    await page.goto(plansUrl);
    await expect(modules(page, 0).count()).resolves.toBe(3);
    await expect(years(page).count()).resolves.toBe(3);
    await page.fill('[name="name"]', "Four lines");
    await page.selectOption('[name="years.0.lines.0.module"]', "M1");
    await page.fill('[name="years.0.lines.0.cycles"]', "1");
    await page.selectOption('[name="years.0.lines.1.module"]', "M2");
    await page.fill('[name="years.0.lines.1.cycles"]', "2");

    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Add a line to year 1" }).click()]);
    await expect(modules(page, 0).count()).resolves.toBe(4);
    await expect(modules(page, 1).count()).resolves.toBe(3);
    await expect(page.inputValue('[name="name"]')).resolves.toBe("Four lines");
    await expect(page.inputValue('[name="years.0.lines.1.cycles"]')).resolves.toBe("2");
    await expect(page.locator(".notice-bad, .field-error").count()).resolves.toBe(0);

    // Removing the first line moves the second up.
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Remove line 1 of year 1" }).click()]);
    await expect(modules(page, 0).count()).resolves.toBe(3);
    await expect(page.inputValue('[name="years.0.lines.0.module"]')).resolves.toBe("M2");
    await expect(page.inputValue('[name="years.0.lines.0.cycles"]')).resolves.toBe("2");

    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Add a year" }).click()]);
    await expect(years(page).count()).resolves.toBe(4);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Remove year 4" }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Remove year 3" }).click()]);
    await expect(years(page).count()).resolves.toBe(2);
    // Nothing was saved by any of it.
    await expect(page.getByText("No handover plan yet.").count()).resolves.toBe(1);
  });

  it("adds rows on the page with scripts, moves the focus to them, and saves a year of four lines", async () => {
    const page = await signedIn("reporter@pathways.example");
    await page.goto(plansUrl);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Add a line to year 1" }).click();
    await modules(page, 0).nth(4).waitFor();
    await expect(modules(page, 0).count()).resolves.toBe(5);
    await expect(page.evaluate(() => (document.activeElement as HTMLSelectElement).name)).resolves.toBe("years.0.lines.4.module");
    await page.getByRole("button", { name: "Add a year" }).click();
    await years(page).nth(3).waitFor();
    await expect(years(page).count()).resolves.toBe(4);
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).name)).resolves.toBe("years.3.year");
    expect(posts).toEqual([]);

    await page.fill('[name="name"]', "A year of four lines");
    await page.fill('[name="unitsPerUsd"]', "15.5");
    await page.fill('[name="exitYear"]', "2027");
    await page.fill('[name="years.0.year"]', "2027");
    for (const l of [0, 1, 2, 4]) {
      await page.selectOption(`[name="years.0.lines.${l}.module"]`, "M1");
      await page.fill(`[name="years.0.lines.${l}.cycles"]`, "1");
      await page.fill(`[name="years.0.lines.${l}.enterprises"]`, "5");
      await page.fill(`[name="years.0.lines.${l}.unitCost"]`, l === 4 ? "" : "1000");
    }
    await page.fill('[name="years.0.funding.ilo"]', "4000");
    // A line without its unit cost is refused next to that field.
    await page.getByRole("button", { name: "Create the plan" }).click();
    const error = page.locator("#f-years-0-lines-4-unitCost-error");
    await error.waitFor();
    await expect(modules(page, 0).count()).resolves.toBe(5);
    await expect(page.getAttribute("#f-years-0-lines-4-unitCost", "aria-invalid")).resolves.toBe("true");
    await page.fill('[name="years.0.lines.4.unitCost"]', "1000");
    await page.getByRole("button", { name: "Create the plan" }).click();
    await page.waitForURL((u) => /\/plans\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.getByRole("heading", { name: "A year of four lines" }).waitFor();
    // Four lines of one cycle each: four cycles and twenty enterprises in 2027.
    await expect(page.locator("main").innerText()).resolves.toMatch(/2027\s+4\s+20\s+4,000\.00/);
  });
});
