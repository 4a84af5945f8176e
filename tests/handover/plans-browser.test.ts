import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { appInChromium } from "../support/browser";

/**
 * Issue 5 in Chromium against the app as `npm start` runs it: the institution's reporter types a
 * plan into the form, sees the computed table, downloads it as CSV and submits it; the ILO
 * officer of the country approves it. Proves the pages render, their forms carry the CSRF
 * token, and the buttons reach the workflow.
 */
describe("a handover plan from the form to approval", () => {
  const chromium = appInChromium("handover");
  const { signedIn } = chromium;
  let reporter: Page;
  let officer: Page;

  beforeAll(async () => {
    reporter = await signedIn("reporter@pathways.example");
    officer = await signedIn("officer@pathways.example");
  });

  it("creates, exports, submits and approves a plan", async () => {
    // Signed in, the reporter is on their one institution's page (the list sends them there).
    await reporter.locator("h1", { hasText: DEMO_STORY_INSTITUTION }).waitFor();
    const plansUrl = `${reporter.url().split("?")[0]}/plans`;
    await reporter.goto(plansUrl);
    await reporter.getByRole("heading", { name: "New plan" }).waitFor();

    const fill = (name: string, value: string) => reporter.fill(`[name="${name}"]`, value);
    await fill("name", "Handover 2027–2028");
    await fill("unitsPerUsd", "15.5");
    await fill("exitYear", "2028");
    await fill("years.0.year", "2027");
    await reporter.selectOption('[name="years.0.lines.0.module"]', "M1");
    await fill("years.0.lines.0.cycles", "4");
    await fill("years.0.lines.0.enterprises", "18");
    await fill("years.0.lines.0.unitCost", "8000");
    await fill("years.0.funding.enterprise_fee", "16000");
    await fill("years.0.funding.ilo", "16000");
    await fill("years.1.year", "2028");
    await reporter.selectOption('[name="years.1.lines.0.module"]', "M1");
    await fill("years.1.lines.0.cycles", "5");
    await fill("years.1.lines.0.enterprises", "22");
    await fill("years.1.lines.0.unitCost", "8000");
    await fill("years.1.funding.enterprise_fee", "20000");
    await fill("years.1.funding.government", "16000");
    await fill("years.1.funding.ilo", "2000");
    await reporter.getByRole("button", { name: "Create the plan" }).click();

    await reporter.getByText("created as a draft").waitFor();
    const planUrl = reporter.url().split("?")[0];
    // 2027: 16,000 of 32,000 non-ILO = 50 % (the Cost recovery floor); 2028: 36,000 of 40,000 = 90 %, gap 2,000.
    const rows = reporter.locator("table.data").first().locator("tbody tr");
    await expect(rows.nth(0).innerText()).resolves.toMatch(/2027\s+4\s+18\s+32,000\.00[\s\S]*50%\s+0\.00\s+Cost recovery/);
    await expect(rows.nth(1).innerText()).resolves.toMatch(
      /2028\s+5\s+22\s+40,000\.00[\s\S]*90%\s+2,000\.00\s+Independent delivery/,
    );

    const csv = await reporter.context().request.get(`${planUrl}/export.csv`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split("\r\n")[2]).toBe(
      "2028,5,22,40000.00,20000.00,0.00,16000.00,0.00,0.00,2000.00,38000.00,90.00,2000.00",
    );

    await reporter.getByRole("button", { name: "Submit for ILO review" }).click();
    await reporter.getByText("Submitted for review by the ILO.").waitFor();

    await officer.goto(planUrl);
    await officer.getByRole("button", { name: "Approve" }).click();
    await officer.getByText("Approved.", { exact: true }).waitFor();
    expect(await officer.locator(".status-badge").first().innerText()).toBe("Approved");
  });
});
