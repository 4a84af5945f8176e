import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import type { RunningApp } from "../support/app";
import { appInChromium } from "../support/browser";

/**
 * Issue 3's loop, in Chromium, with three people in three browsers: a reporter reports a
 * training cycle with evidence, the ILO officer returns it, the reporter fixes and resubmits,
 * the officer approves and signs off — and the reporter of another institution sees none of it.
 */
describe("the verification loop between an institution and the ILO", () => {
  const chromium = appInChromium("loop");
  const { dir, signedIn } = chromium;
  const invoice = path.join(dir, "invoice.pdf");
  let app: RunningApp;
  let reporter: Page;
  let officer: Page;
  let institutionUrl = "";
  let cycleReportUrl = "";

  beforeAll(async () => {
    writeFileSync(invoice, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    app = chromium.app;
    reporter = await signedIn("reporter@pathways.example");
    officer = await signedIn("officer@pathways.example");
  });

  it("the reporter sees only their institution and reports a ToT cohort and a training cycle with evidence", async () => {
    // Signed in, the reporter lands on their one institution's page (the list sends them there).
    await reporter.locator("h1", { hasText: DEMO_STORY_INSTITUTION }).waitFor();
    expect(new URL(reporter.url()).pathname).toMatch(/^\/institutions\/[0-9a-f-]{36}$/);
    institutionUrl = reporter.url().split("?")[0];

    await reporter.goto(`${institutionUrl}/report?kind=tot_cohort`);
    await reporter.selectOption("#f-payload-module", "M1");
    await reporter.fill("#f-payload-startedOn", "2026-10-05");
    await reporter.fill("#f-payload-endedOn", "2026-10-09");
    for (const [i, sex] of ["female", "male", "female", "male", "male", "male"].entries()) {
      await reporter.fill(`#f-payload-trainers-${i}-name`, `Trainer ${i + 1}`);
      await reporter.selectOption(`#f-payload-trainers-${i}-sex`, sex);
    }
    await reporter.getByRole("button", { name: "Send the report" }).click();
    await reporter.getByText("It now waits for verification").waitFor();

    await reporter.goto(`${institutionUrl}/report?kind=training_cycle`);
    await reporter.selectOption("#f-payload-module", "M1");
    await reporter.fill("#f-payload-enterpriseName", "Tema Garments Ltd");
    await reporter.selectOption("#f-payload-enterpriseSize", "small");
    await reporter.fill("#f-payload-startedOn", "2026-08-03");
    await reporter.fill("#f-payload-endedOn", "2026-10-30");
    await reporter.fill("#f-payload-visits", "3");
    await reporter.fill("#f-payload-participants-managersFemale", "2");
    await reporter.fill("#f-payload-participants-workersMale", "4");
    await reporter.fill("#f-payload-cost", "2000");
    await reporter.fill("#f-payload-funding-enterprise_fee", "500");
    await reporter.fill("#f-payload-funding-ilo", "1000");

    // The browser refuses a split that does not add up, without sending anything.
    await reporter.locator("html[data-hydrated]").waitFor({ state: "attached" });
    let posts = 0;
    reporter.on("request", (r) => (posts += r.method() === "POST" ? 1 : 0));
    await reporter.getByRole("button", { name: "Send the report" }).click();
    await reporter.getByText("The funding split must add up to the cost").first().waitFor();
    expect(posts).toBe(0);

    await reporter.fill("#f-payload-funding-ilo", "1500");
    await reporter.setInputFiles("#f-evidenceFiles", invoice);
    await reporter.getByRole("button", { name: "Send the report" }).click();
    await reporter.getByText("It now waits for verification").waitFor();
  });

  it("the officer verifies the cohort from the queue and returns the cycle with a comment", async () => {
    await officer.goto(`${app.url}/verify`);
    const row = (label: string) => officer.locator("tr", { hasText: DEMO_STORY_INSTITUTION }).filter({ hasText: label });
    await row("ToT cohort completed").getByRole("checkbox").check();
    await officer.getByRole("button", { name: "Verify the selected reports" }).click();
    await officer.getByText("1 report verified.").waitFor();

    await row("Training cycle delivered").getByRole("link").click();
    await officer.getByRole("link", { name: "Download the file" }).waitFor();
    cycleReportUrl = officer.url();
    await officer.getByLabel("Comment").fill("Four visits were made, not three: please correct.");
    await officer.getByRole("button", { name: "Return for revision" }).click();
    await officer.waitForURL((u) => /^\/institutions\/[^/]+$/.test(u.pathname));
  });

  it("the reporter finds it in the inbox, fixes it and sends it again", async () => {
    await reporter.goto(`${app.url}/inbox`);
    await reporter.getByText("Four visits were made, not three").waitFor();
    await reporter.getByRole("link", { name: "Fix and send again" }).click();
    expect(await reporter.inputValue("#f-payload-enterpriseName")).toBe("Tema Garments Ltd");
    await reporter.fill("#f-payload-visits", "4");
    await reporter.getByRole("button", { name: "Send the report" }).click();
    await reporter.getByText("Report sent again (revision 2)").waitFor();
  });

  it("the officer approves it and signs off; the graph moves and the history shows every step", async () => {
    await officer.goto(cycleReportUrl);
    await officer.getByRole("button", { name: "Verify" }).click();
    await officer.waitForURL((u) => /^\/institutions\/[^/]+$/.test(u.pathname));
    await officer.goto(cycleReportUrl);
    const history = await officer.locator("ol.history").textContent();
    expect(history).toMatch(/Submitted.*Returned for revision.*Fixed and sent again \(revision 2\).*Verified/s);

    await officer.goto(institutionUrl);
    await officer.getByRole("button", { name: "Sign off: move to Training of Trainers" }).click();
    await officer
      .locator(".react-flow__node", { hasText: "Current stage" })
      .filter({ hasText: "Training of Trainers" })
      .waitFor();
  });

  it("the reporter of another institution can see none of it", async () => {
    const other = await signedIn("reporter2@pathways.example");
    expect(await other.content()).not.toContain(DEMO_STORY_INSTITUTION);
    for (const url of [institutionUrl, cycleReportUrl, `${institutionUrl}/report`]) {
      const res = await other.goto(url);
      expect([403, 404]).toContain(res!.status());
      expect(await other.content()).not.toContain(DEMO_STORY_INSTITUTION);
    }
    await other.goto(`${app.url}/notifications`);
    expect(await other.content()).not.toContain(DEMO_STORY_INSTITUTION);
  });
});
