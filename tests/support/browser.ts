import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed-users";
import { startApp, type RunningApp } from "./app";
import { CHROMIUM_PATH } from "./system-deps";

export { CHROMIUM_PATH };

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Signs in through the login form, as a person would, with a demo account's password. */
export async function signInThroughForm(page: Page, appUrl: string, email: string): Promise<void> {
  await page.goto(`${appUrl}/login`);
  // By the fields' names: the form speaks the browser's language.
  const form = page.locator("form", { has: page.locator('input[name="password"]') });
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await form.locator('button[type="submit"]').click();
  // The institutions list, or for a reporter their own institution's page (the list sends them there).
  await page.waitForURL(
    (url) => url.origin === new URL(appUrl).origin && /^\/institutions(\/[0-9a-f-]{36})?$/.test(url.pathname),
  );
}

export interface AppInChromium {
  /** The app as `npm start` runs it, on the demo data, in a data folder of its own. */
  app: RunningApp;
  browser: Browser;
  /** The folder the app's data live in; files a test writes may go here too. */
  dir: string;
  /** A fresh browser context signed in as a demo account, closed with the rest after the tests. */
  signedIn(email: string, options?: BrowserContextOptions): Promise<Page>;
}

/**
 * For a browser test file: starts the app and Chromium before its tests (call it in the
 * `describe` body, before the file's own hooks) and stops both, with every context opened through
 * `signedIn`, after them.
 */
export function appInChromium(name: string): AppInChromium {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pathways-${name}-`));
  const contexts: BrowserContext[] = [];
  const it: AppInChromium = {
    app: undefined as unknown as RunningApp,
    browser: undefined as unknown as Browser,
    dir,
    async signedIn(email, options = {}) {
      const context = await it.browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      await signInThroughForm(page, it.app.url, email);
      return page;
    },
  };
  beforeAll(async () => {
    it.app = await startApp({ dataDir: path.join(dir, "data") });
    it.browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await it.browser?.close();
    await it.app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return it;
}
