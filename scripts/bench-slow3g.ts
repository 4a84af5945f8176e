/**
 * `npm run bench:slow3g [-- --url http://host:port]`: how the app feels on a weak phone
 * connection. Chromium at 390 px, its network throttled through the DevTools protocol
 * (Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms round trip), signed in as a
 * demo account. For each page: the bytes that came over the network, the first contentful paint,
 * and the time until the page is interactive (the app marks `<html data-hydrated>` once React has
 * hydrated: a report form's buttons and draft-keeping work from then). Each page twice: a first
 * visit with an empty cache, then again with the scripts cached, as a returning phone would.
 *
 * Without `--url` it builds the web app as the tests do and starts the app on a data folder of its
 * own (demo data, embedded PostgreSQL), stopped afterwards. Figures are printed, never asserted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { startApp, type RunningApp } from "../tests/support/app";
import { launchChromium, signInThroughForm } from "../tests/support/browser";
import buildForTests from "../tests/support/global-setup";

const PROFILE = { downKbps: 400, upKbps: 400, rttMs: 400 };
const args = process.argv.slice(2);
const givenUrl = args.includes("--url") ? args[args.indexOf("--url") + 1] : undefined;

interface Row {
  who: string;
  page: string;
  visit: "first" | "cached";
  kb: number;
  requests: number;
  fcp: number;
  interactive: number;
}

async function throttle(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: PROFILE.rttMs,
    downloadThroughput: (PROFILE.downKbps * 1000) / 8,
    uploadThroughput: (PROFILE.upKbps * 1000) / 8,
  });
  return cdp;
}

async function measure(page: Page, cdp: CDPSession, url: string): Promise<Omit<Row, "who" | "page" | "visit">> {
  let bytes = 0;
  let requests = 0;
  const onFinished = (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests++;
  };
  cdp.on("Network.loadingFinished", onFinished);
  const start = performance.now();
  await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 120_000 });
  const interactive = performance.now() - start;
  await page.waitForLoadState("networkidle", { timeout: 120_000 });
  cdp.off("Network.loadingFinished", onFinished);
  const fcp = await page.evaluate(
    () => performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint")?.startTime ?? NaN,
  );
  return { kb: bytes / 1024, requests, fcp, interactive };
}

let app: RunningApp | undefined;
let dir: string | undefined;
if (!givenUrl) {
  await buildForTests();
  process.env.PATHWAYS_BUILD_DIR = ".cache/test-build";
  dir = mkdtempSync(path.join(os.tmpdir(), "pathways-slow3g-"));
  app = await startApp({ dataDir: path.join(dir, "data"), env: { PATHWAYS_BUILD_DIR: ".cache/test-build" } });
}
const base = givenUrl ?? app!.url;
const browser = await launchChromium();
const rows: Row[] = [];
try {
  const plan: { who: string; pages: (inst: string) => string[] }[] = [
    {
      who: "reporter",
      pages: (inst) => [`${inst}/report?kind=tot_cohort`, `${inst}/report?kind=training_cycle`, `${inst}/report`, inst, "/inbox"],
    },
    { who: "officer", pages: () => ["/verify", "/institutions"] },
    { who: "manager", pages: () => ["/portfolio"] },
  ];
  for (const { who, pages } of plan) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInThroughForm(page, base, `${who}@pathways.example`);
    // The reporter lands on their institution; others open the list's first one.
    const inst =
      who === "reporter"
        ? new URL(page.url()).pathname
        : ((await page.locator("main a[href^='/institutions/']").first().getAttribute("href")) ?? "/institutions");
    const cdp = await throttle(context, page);
    for (const href of pages(inst)) {
      for (const visit of ["first", "cached"] as const) {
        await cdp.send("Network.setCacheDisabled", { cacheDisabled: visit === "first" });
        if (visit === "first") await cdp.send("Network.clearBrowserCache");
        // From a blank page, so nothing of the previous page is reused but the cache.
        await page.goto("about:blank");
        const m = await measure(page, cdp, `${base}${href}`);
        rows.push({ who, page: href.replace(/[0-9a-f-]{36}/g, ":id"), visit, ...m });
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const s = (ms: number) => (Number.isNaN(ms) ? "—" : `${(ms / 1000).toFixed(1)} s`);
console.log(
  `\nSlow 3G (${PROFILE.downKbps} kbit/s down, ${PROFILE.upKbps} kbit/s up, ${PROFILE.rttMs} ms RTT), Chromium at 390 px\n`,
);
console.log("| who | page | visit | transferred | requests | first paint | interactive |");
console.log("| --- | --- | --- | ---: | ---: | ---: | ---: |");
for (const r of rows)
  console.log(
    `| ${r.who} | ${r.page} | ${r.visit} | ${r.kb.toFixed(0)} KB | ${r.requests} | ${s(r.fcp)} | ${s(r.interactive)} |`,
  );
