import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_AWAITING_SIGN_OFF } from "../../db/seed";
import { appInChromium } from "../support/browser";

/**
 * After an action, the keyboard goes to what it produced: the result message, or the first error
 * (app/components/FocusAfterAction.tsx, used once in the root layout). Checked in Chromium for a
 * sign-off, a report returned without a comment, a refused plan, an API token created and the
 * verification queue's refusal.
 */
describe("focus after an action", () => {
  const chromium = appInChromium("focus");
  const { signedIn } = chromium;
  let admin: Page;
  let reporter: Page;

  beforeAll(async () => {
    admin = await signedIn("admin@pathways.example");
    reporter = await signedIn("reporter@pathways.example");
  });

  interface Focused {
    tag: string;
    role: string | null;
    className: string;
    text: string;
    invalid: string | null;
  }

  /** What has the keyboard once the page settled on something other than the button pressed. */
  async function focusAfter(page: Page, press: () => Promise<void>): Promise<Focused> {
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await press();
    await page.waitForFunction(() => {
      const el = document.activeElement;
      return !!el && el !== document.body && el.tagName !== "BUTTON";
    });
    return page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute("role"),
        className: el.className,
        text: (el.textContent ?? "").trim().slice(0, 300),
        invalid: el.getAttribute("aria-invalid"),
      };
    });
  }

  it("goes to the success message after a sign-off", async () => {
    await admin.goto(`${chromium.app.url}/institutions?q=${encodeURIComponent(DEMO_AWAITING_SIGN_OFF[0])}`);
    await admin.getByRole("link", { name: DEMO_AWAITING_SIGN_OFF[0], exact: true }).first().click();
    await admin.getByRole("heading", { name: DEMO_AWAITING_SIGN_OFF[0] }).waitFor();
    const focused = await focusAfter(admin, () => admin.getByRole("button", { name: /^Sign off/ }).click());
    expect(focused, focused.text).toMatchObject({ role: "status" });
    expect(focused.text).toContain(DEMO_AWAITING_SIGN_OFF[0]);
  });

  it("goes to the errors when a report is returned without a comment", async () => {
    await admin.goto(`${chromium.app.url}/verify`);
    await admin.locator('main a[href*="/reports/"]').first().click();
    await admin.getByRole("button", { name: "Return for revision" }).waitFor();
    const focused = await focusAfter(admin, () => admin.getByRole("button", { name: "Return for revision" }).click());
    expect(focused, focused.text).toMatchObject({ role: "alert" });
    expect(focused.text).toContain("Say what the institution should revise");
  });

  it("goes to the refusal when a plan is not saved", async () => {
    await reporter.goto(`${reporter.url().split("?")[0]}/plans`);
    // Named (the browser asks for that itself), but with no rate and no year: refused by the server.
    await reporter.fill('[name="name"]', "No year yet");
    const focused = await focusAfter(reporter, () => reporter.getByRole("button", { name: "Create the plan" }).click());
    expect(focused, focused.text).toMatchObject({ role: "alert" });
    expect(focused.text).toMatch(/not saved/i);
  });

  it("goes to the new token once it is created", async () => {
    await admin.goto(`${chromium.app.url}/account/tokens`);
    await admin.getByLabel("Name", { exact: true }).fill("Focus check");
    const focused = await focusAfter(admin, () => admin.getByRole("button", { name: "Create a token" }).click());
    expect(focused, focused.text).toMatchObject({ role: "status" });
    expect(focused.text).toContain("Your new token");
  });

  it("goes to the verification queue's refusal when no report is ticked", async () => {
    await admin.goto(`${chromium.app.url}/verify`);
    const focused = await focusAfter(admin, () =>
      admin
        .getByRole("button", { name: /^Verify/ })
        .first()
        .click(),
    );
    expect(focused, focused.text).toMatchObject({ role: "alert" });
    expect(focused.text).toContain("Tick at least one report");
  });
});
