import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { extractText, getDocumentProxy } from "unpdf";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { appInChromium } from "../support/browser";

/**
 * Issue 5's "done when", in Chromium against the app as `npm start` runs it: the programme
 * manager creates a plan, copies it as a scenario with a higher enterprise fee, compares the two
 * side by side, submits the plan, and downloads its dossier, whose text names the institution,
 * its stage and the funding table.
 */
describe("a programme manager plans a handover and downloads the dossier", () => {
  const chromium = appInChromium("dossier");
  let page: Page;

  beforeAll(async () => {
    page = await chromium.signedIn("manager@pathways.example", { acceptDownloads: true });
  });

  const fill = (name: string, value: string) => page.fill(`[name="${name}"]`, value);

  it("creates a plan, a scenario with a higher fee, compares them, submits the plan and gets its dossier", async () => {
    await page.getByRole("link", { name: DEMO_STORY_INSTITUTION }).click();
    await page.locator("h1", { hasText: DEMO_STORY_INSTITUTION }).waitFor();
    const stage = (await page.locator(".stage-line strong").innerText()).trim();
    await page.getByRole("link", { name: "Handover plans" }).click();
    await page.getByRole("heading", { name: "New plan" }).waitFor();

    // One year: 4 cycles of M1 at 8,000 = 32,000; fees 12,000, government 4,000, ILO 16,000 → 50 % non-ILO.
    await fill("name", "Handover plan 2027");
    await fill("unitsPerUsd", "15.5");
    await fill("exitYear", "2027");
    await fill("years.0.year", "2027");
    await page.selectOption('[name="years.0.lines.0.module"]', "M1");
    await fill("years.0.lines.0.cycles", "4");
    await fill("years.0.lines.0.enterprises", "18");
    await fill("years.0.lines.0.unitCost", "8000");
    await fill("years.0.funding.enterprise_fee", "12000");
    await fill("years.0.funding.government", "4000");
    await fill("years.0.funding.ilo", "16000");
    await page.getByRole("button", { name: "Create the plan" }).click();
    await page.getByText("created as a draft").waitFor();
    const planUrl = page.url().split("?")[0];

    // The scenario: fees up to 20,000, the ILO down to 8,000 → 75 % non-ILO.
    await page.getByRole("button", { name: "Copy as scenario" }).click();
    await page.getByText("Copied as a scenario").waitFor();
    const scenarioUrl = page.url().split("?")[0];
    expect(scenarioUrl).not.toBe(planUrl);
    await page.getByRole("link", { name: "Change the plan" }).click();
    await fill("name", "Higher fees 2027");
    await fill("years.0.funding.enterprise_fee", "20000");
    await fill("years.0.funding.ilo", "8000");
    await page.getByRole("button", { name: "Save the plan" }).click();
    await page.getByText("Plan changed.").waitFor();
    await expect(page.locator("table.data").first().locator("tbody tr").first().innerText()).resolves.toMatch(
      /2027[\s\S]*20,000\.00[\s\S]*75%/,
    );

    // Side by side: A is the scenario, B the plan.
    await page.selectOption("#compare-with", { label: "Handover plan 2027" });
    await page.getByRole("button", { name: "Compare side by side" }).click();
    await page.getByRole("heading", { name: "Two plans side by side" }).waitFor();
    const compared = await page.locator("table.data").first().locator("tbody tr").first().innerText();
    expect(compared).toMatch(/2027\s+32,000\.00\s+32,000\.00\s+32,000\.00\s+32,000\.00\s+75%\s+50%/);

    // Submit the plan itself, then download its dossier from its page.
    await page.getByRole("link", { name: "Handover plan 2027" }).click();
    await page.waitForURL(planUrl);
    await page.getByRole("button", { name: "Submit for ILO review" }).click();
    await page.getByText("Submitted for review by the ILO.").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download dossier (PDF)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `dossier-${DEMO_STORY_INSTITUTION.replace(/[^A-Za-z0-9]+/g, "-")}-Handover-plan-2027.pdf`,
    );
    const file = await download.path();
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(file)));
    const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, " ");

    expect(text).toContain(`Handover dossier: ${DEMO_STORY_INSTITUTION}`);
    expect(text).toContain(`Current stage ${stage} (stage`);
    expect(text).toContain("Plan status Submitted for review");
    expect(text).toContain("Funding by source per year (GHS)");
    // Year, the six sources in order (fees, own funds, government, sponsors, other donors, ILO), funded.
    expect(text).toContain("2027 12,000.00 0.00 4,000.00 0.00 0.00 16,000.00 32,000.00");
    expect(text).toContain("2027 4 18 32,000.00 32,000.00 50% 0.00 Cost recovery");
    expect(text).toMatch(/Plan approval steps .* Created .* Submitted for review /);
  });
});
