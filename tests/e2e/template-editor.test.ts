import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * The template editor in Chromium, as an ILO administrator on the demo data: add a stage to the
 * default@2 draft, save it broken, see the refusal on the graph and next to the fields, fix it
 * with the keyboard controls, save, publish.
 */
describe("the template editor in the browser", () => {
  const chromium = appInChromium("templates");
  let page: Page;

  beforeAll(async () => {
    page = await chromium.signedIn("admin@pathways.example");
  });

  const nodes = () => page.locator(".react-flow__node");
  const panel = () => page.locator(".tpl-panel");

  it("reaches the editor from the Templates page", async () => {
    await page.getByRole("link", { name: "Templates" }).click();
    // The demo publishes default@2; changing the pathway starts a new draft from it.
    await page.getByRole("link", { name: "default@2" }).click();
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.waitForURL(/\/admin\/templates\/default(@|%40)3\/edit/);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await nodes().first().waitFor();
    expect(await nodes().count()).toBe(5);
    expect(await page.locator(".react-flow__edge").count()).toBe(4);
  });

  it("refuses a new stage that nothing leads to, on the graph and next to the field", async () => {
    await page.getByRole("button", { name: "Add a stage" }).click();
    expect(await nodes().count()).toBe(6);
    await panel().getByLabel("Name", { exact: true }).fill("Alumni network");
    await page.getByRole("button", { name: "Save the draft" }).click();
    const alert = page.getByRole("alert");
    await alert
      .getByText("Stage “Alumni network” cannot be reached from “Engaged”: connect it to the stage before it.")
      .waitFor();
    await alert.getByText("Stage “Alumni network”, criterion “criterion_1”: enter a threshold.").waitFor();
    // The broken stage says so in words on the graph, not only in colour.
    const broken = page.locator(".react-flow__node", { hasText: "Alumni network" });
    expect(await broken.locator(".tpl-node-problem").textContent()).toMatch(/⚠ \d problems/);
    const threshold = panel().getByLabel("Threshold");
    expect(await threshold.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await threshold.getAttribute("aria-describedby"))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain("enter a threshold");
  });

  it("saves once it is fixed with the plain controls, and publishes", async () => {
    await panel().getByLabel("Comes after").selectOption({ label: "Independent delivery" });
    await panel().getByLabel("Criterion", { exact: true }).fill("Alumni trainers");
    await panel().getByLabel("Measure").selectOption("national_expert_trainers");
    await panel().getByLabel("Threshold").fill("3");
    await page.locator(".react-flow__edge").nth(4).waitFor();
    expect(await page.locator(".react-flow__edge").count()).toBe(5);
    await page.getByRole("button", { name: "Save the draft" }).click();
    await page.getByText("The draft is saved.").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);

    await page.getByRole("link", { name: "View this version" }).click();
    await page.getByText("Alumni trainers").waitFor();
    await page.getByRole("button", { name: "Publish this draft" }).click();
    await page.getByText("Published. New institutions start on default@3 from now on.").waitFor();
    expect(await page.getByRole("link", { name: "Edit this draft" }).count()).toBe(0);
  });
});
