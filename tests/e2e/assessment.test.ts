import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CRITERION_KEYS, SCORECARD_CRITERIA } from "../../app/features/scorecard/scorecard";
import scorecardMessages from "../../app/i18n/messages/scorecard";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import type { RunningApp } from "../support/app";
import { appInChromium } from "../support/browser";

/**
 * Issue 4's end-to-end path in Chromium, on the demo data: the portfolio graph filtered to a
 * country, a click on a stage, an institution from the list, and its readiness assessment with
 * the self-assessment beside the ILO's and the wide gaps marked in words.
 */
describe("from the portfolio graph to an institution's readiness assessment", () => {
  const chromium = appInChromium("assessment");
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = chromium.app;
    page = await chromium.signedIn("manager@pathways.example");
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

  it("the institution's reporter records a new self-assessment with the keyboard, and the page compares it", async () => {
    const p = await chromium.signedIn("reporter@pathways.example");
    await p.goto(page.url());
    await p.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const label = (key: string) => scorecardMessages.en[`scorecard.criterion.${key}.label` as keyof typeof scorecardMessages.en];
    // Each criterion is a group named by its legend; each choice is a radio named by its level and rubric.
    const group = (key: string) => p.getByRole("group", { name: label(key), exact: true });
    expect(await group("trainer_pool").getByRole("radio").count()).toBe(4);
    await group("trainer_pool")
      .getByRole("radio", { name: /^1 No trained trainers/ })
      .focus();
    await p.keyboard.press("Space");
    await p.keyboard.press("ArrowRight");
    expect(await group("trainer_pool").getByRole("radio", { name: /^2 / }).isChecked()).toBe(true);
    for (const key of CRITERION_KEYS.filter((k) => k !== "trainer_pool")) await group(key).getByRole("radio").nth(3).check();
    await p.getByRole("button", { name: "Record the assessment" }).click();
    await p.getByText("Assessment recorded.").waitFor();

    // Self now 4 everywhere but the trainer pool (2). Against the ILO's 1–2 every gap is wide except the
    // trainer pool (+1) and the strategy, which the ILO also rates 4.
    expect(await p.locator("tr.row-gap-wide").count()).toBe(SCORECARD_CRITERIA.length - 2);
    await p.getByText(`${SCORECARD_CRITERIA.length - 2} wide gaps between the two assessments`).waitFor();
    expect(
      await p
        .getByRole("row", { name: /^Trainer pool/ })
        .locator("td")
        .nth(2)
        .textContent(),
    ).toBe("+1");
  });
});
