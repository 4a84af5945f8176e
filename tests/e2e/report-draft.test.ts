import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Issue 14: a report typed on a bus survives the connection dropping at "Send". In Chromium on a
 * 390 px phone: the form keeps a draft on the device as it is typed; sent while offline, the page
 * says nothing was sent; sent again with the answer lost on the way back (the server has it, the
 * phone does not know), the page says it is not confirmed; reloaded, the page offers the draft,
 * restores it with the same report id, and sending it makes exactly one report.
 */
const PHONE = { viewport: { width: 390, height: 844 } };

const drafts = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith("pathways.report-draft:"))
      .map((k) => ({ key: k, values: (JSON.parse(localStorage.getItem(k)!) as { values: Record<string, string> }).values })),
  );

/** The links to this report on the institution's page (one per row of its reports table). */
const rowsOf = (page: Page, reportId: string) => page.locator(`table.reports a[href$="/reports/${reportId}"]`).count();

describe("a report that survives a dropped connection", () => {
  const chromium = appInChromium("report-draft");

  it("keeps the draft on the device, says what was not sent, restores it, and makes one report", async () => {
    const page = await chromium.signedIn("reporter@pathways.example", PHONE);
    const institutionUrl = page.url().split("?")[0];
    const institutionId = new URL(institutionUrl).pathname.split("/")[2];
    const form = `${institutionUrl}/report?kind=tot_cohort`;
    await page.goto(form);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const reportId = await page.inputValue("input[name=reportId]");
    expect(reportId).toMatch(/^[0-9a-f-]{36}$/);

    await page.selectOption("#f-payload-module", "M1");
    await page.fill("#f-payload-startedOn", "2026-10-05");
    await page.fill("#f-payload-endedOn", "2026-10-09");
    for (const [i, sex] of ["female", "male", "female", "male", "male", "male"].entries()) {
      await page.fill(`#f-payload-trainers-${i}-name`, `Bus trainer ${i + 1}`);
      await page.selectOption(`#f-payload-trainers-${i}-sex`, sex);
    }
    // Saved as typed, under the institution and the form's report id; no session token in it.
    const saved = await drafts(page);
    expect(saved.map((d) => d.key)).toEqual([`pathways.report-draft:${institutionId}:${reportId}`]);
    expect(saved[0].values["payload.trainers.5.name"]).toBe("Bus trainer 6");
    expect(saved[0].values["payload.trainers.5.sex"]).toBe("male");
    expect(Object.keys(saved[0].values)).not.toContain("csrf");

    // 1. The network is cut at "Send": nothing leaves the phone, and the page says so.
    let posts = 0;
    page.on("request", (r) => (posts += r.method() === "POST" ? 1 : 0));
    await page.context().setOffline(true);
    await page.getByRole("button", { name: "Send the report" }).click();
    const offline = page.getByRole("alert").filter({ hasText: "Not sent: this device is offline" });
    await offline.waitFor();
    expect(await offline.evaluate((el) => el === document.activeElement)).toBe(true);
    // What was typed is still in the form.
    expect(await page.inputValue("#f-payload-trainers-0-name")).toBe("Bus trainer 1");

    // 2. Back online, sent again, but the answer is lost on the way back: the server has the
    // report, the phone does not know it.
    await page.context().setOffline(false);
    let reached = 0;
    await page.route(
      (url) => url.pathname.endsWith("/report"),
      async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        await route.fetch(); // the server receives and answers…
        reached++;
        await route.abort("connectionreset"); // …and the phone never hears it
      },
    );
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.getByRole("alert").filter({ hasText: "Not confirmed: the connection dropped" }).waitFor();
    expect(reached).toBe(1);
    expect(posts).toBeGreaterThanOrEqual(1);
    await page.unrouteAll({ behavior: "wait" });
    expect((await drafts(page)).map((d) => d.key)).toEqual([`pathways.report-draft:${institutionId}:${reportId}`]);

    // 3. Opened again: a fresh form (a new id) offers the draft kept on the device.
    await page.goto(form);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    expect(await page.inputValue("input[name=reportId]")).not.toBe(reportId);
    const offer = page.getByRole("region", { name: "A report not yet sent is kept on this device" });
    await offer.waitFor();
    await offer.getByRole("button", { name: "Restore the report" }).click();
    await page.getByRole("status").filter({ hasText: "back in the form" }).waitFor();
    expect(await page.inputValue("input[name=reportId]")).toBe(reportId);
    expect(await page.inputValue("#f-payload-trainers-5-name")).toBe("Bus trainer 6");
    expect(await page.inputValue("#f-payload-trainers-2-sex")).toBe("female");
    expect(await page.inputValue("#f-payload-module")).toBe("M1");

    // 4. Sent: the server already had it, so it is one report, and the draft leaves the device.
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.waitForURL((u) => u.pathname === new URL(institutionUrl).pathname);
    await page.locator("table.reports").waitFor();
    expect(await rowsOf(page, reportId)).toBe(1);
    expect(await drafts(page)).toEqual([]);

    // And nothing is offered any more.
    await page.goto(form);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    expect(await page.getByRole("region", { name: "A report not yet sent is kept on this device" }).count()).toBe(0);
  });

  it("discards a draft on request", async () => {
    const page = await chromium.signedIn("reporter@pathways.example", PHONE);
    const institutionUrl = page.url().split("?")[0];
    await page.goto(`${institutionUrl}/report?kind=mou_signed`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.locator("input:not([type=hidden]):not([type=file]), textarea").first().fill("2026-09-01");
    expect(await drafts(page)).toHaveLength(1);
    // Offered on the kind chooser too.
    await page.goto(`${institutionUrl}/report`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const offer = page.getByRole("region", { name: "A report not yet sent is kept on this device" });
    await offer.getByRole("button", { name: "Discard it" }).click();
    await page.getByRole("status").filter({ hasText: "was discarded" }).waitFor();
    expect(await drafts(page)).toEqual([]);
  });
});
