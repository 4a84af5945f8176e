import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalCliPath } from "../../app/server/temporal-binaries";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { startApp, type RunningApp } from "../support/app";
import { launchChromium, signInThroughForm } from "../support/browser";

const run = promisify(execFile);

/**
 * The foundation's promise, as a new user lives it: open the portfolio, report a ToT cohort for
 * an institution at Engaged, verify it, sign off, and see the graph move — with the same events
 * in the workflow's history on the dev server, and all of it still there after a restart.
 */
describe("an institution moves from Engaged to Training of Trainers, in Chromium", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-e2e-"));
  let app: RunningApp | undefined;
  let browser: Browser;
  let page: Page;
  let institutionId = "";

  beforeAll(async () => {
    app = await startApp({ dataDir });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = (email: string) => signInThroughForm(page, app!.url, email);

  it("reports a ToT cohort, verifies it and signs off", async () => {
    await signIn("admin@pathways.example");
    await page.getByRole("link", { name: DEMO_STORY_INSTITUTION }).first().click();
    await page.locator("h1", { hasText: DEMO_STORY_INSTITUTION }).waitFor();
    institutionId = new URL(page.url()).pathname.split("/").pop()!;

    await page.getByRole("link", { name: "Report a milestone" }).click();
    await page.getByRole("link", { name: /ToT cohort completed/ }).click();
    await page.selectOption("#f-payload-module", "M1");
    await page.fill("#f-payload-startedOn", "2026-10-05");
    await page.fill("#f-payload-endedOn", "2026-10-09");
    const trainers: [string, "female" | "male"][] = [
      ["Akosua Boateng", "female"],
      ["Yaw Darko", "male"],
      ["Efua Mensah", "female"],
      ["Kojo Asante", "male"],
      ["Kwabena Ofori", "male"],
      ["Nana Adjei", "male"],
    ];
    for (const [i, [name, sex]] of trainers.entries()) {
      await page.fill(`#f-payload-trainers-${i}-name`, name);
      await page.selectOption(`#f-payload-trainers-${i}-sex`, sex);
    }
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.waitForURL((u) => /^\/institutions\/[^/]+$/.test(u.pathname));
    expect(await page.getByRole("status").first().textContent()).toContain("It now waits for verification");

    await page.getByRole("link", { name: "ToT cohort completed" }).first().click();
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(new RegExp(`/institutions/${institutionId}$`));
    const signOff = page.getByRole("button", { name: "Sign off: move to Training of Trainers" });
    await signOff.waitFor();
    expect(await page.getByText("4 of 4 criteria met").count()).toBeGreaterThan(0);

    await signOff.click();
    const current = page.locator(".react-flow__node", { hasText: "Current stage" });
    await current.filter({ hasText: "Training of Trainers" }).waitFor();
    expect(await current.count()).toBe(1);
    expect(await page.getByText(/Started at/).count()).toBeGreaterThan(0);
  });

  it("shows the same events in `temporal workflow show` against the dev server", async () => {
    const cli = await temporalCliPath();
    const { stdout } = await run(
      cli,
      ["workflow", "show", "--workflow-id", `pathway-${institutionId}`, "--address", app!.temporalAddress, "--output", "json"],
      { maxBuffer: 32 * 1024 * 1024 },
    );
    const history = JSON.parse(stdout) as {
      events: {
        eventType: string;
        workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
      }[];
    };
    const updates = history.events
      .filter((e) => /UPDATE_ACCEPTED|UpdateAccepted/i.test(e.eventType))
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name);
    expect(updates).toEqual(["reportMilestone", "decideReport", "signOffStage"]);
  });

  it("keeps the institution, its report and its workflow history across a restart", async () => {
    expect(await app!.stop()).toBe(0);
    app = await startApp({ dataDir });
    await page.context().clearCookies();
    await signIn("admin@pathways.example");
    await page.goto(`${app.url}/institutions/${institutionId}`);
    const current = page.locator(".react-flow__node", { hasText: "Current stage" });
    expect(await current.textContent()).toContain("Training of Trainers");
    expect(await page.getByText("Verified").count()).toBeGreaterThan(0);
    const { stdout } = await run(await temporalCliPath(), [
      "workflow",
      "describe",
      "--workflow-id",
      `pathway-${institutionId}`,
      "--address",
      app.temporalAddress,
      "--output",
      "json",
    ]);
    expect(JSON.parse(stdout).workflowExecutionInfo.status).toMatch(/RUNNING/);
  });
});
