import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { extractText, getDocumentProxy } from "unpdf";
import { beforeAll, describe, expect, it } from "vitest";
import { appInChromium } from "../support/browser";

/**
 * Issue 6 in Chromium on the demo data: a programme manager switches the language to Spanish
 * with the picker in the header, opens the logframe, sees it in Spanish, and downloads its XLSX
 * and PDF, which are in Spanish too.
 */
describe("the logframe in the browser, in Spanish", () => {
  const chromium = appInChromium("logframe");
  let page: Page;

  beforeAll(async () => {
    page = await chromium.signedIn("manager@pathways.example", { acceptDownloads: true });
  });

  it("switches to Spanish with the language picker in the header", async () => {
    // The signed-in page, hydrated: its navigation (in English) is there before the switch.
    await page.getByRole("link", { name: "Results" }).waitFor();
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.locator("header select[name=locale]").selectOption("es");
    // A loaded CI machine can take a while to answer the switch and reload the page's data.
    await page.locator("html[lang=es]").waitFor({ state: "attached", timeout: 55_000 });
    await page.getByRole("link", { name: "Resultados" }).waitFor();
  });

  it("opens the logframe from the navigation and shows it in Spanish, with manual actuals marked", async () => {
    await page.getByRole("link", { name: "Resultados" }).click();
    await page.waitForURL(/\/logframe/);
    await page.getByRole("heading", { level: 1, name: /^Marco lógico: Phase IV/ }).waitFor();
    const table = page.locator("table.logframe-table");
    expect(await table.locator("thead").textContent()).toContain("Meta");
    expect(await table.locator("thead").textContent()).toContain("Resultado");
    expect(await table.locator("thead").textContent()).toContain("% logrado");
    const row = table.locator("tr[data-indicator=centre_of_excellence]");
    expect(await row.locator("th").textContent()).toContain("Centro nacional de excelencia establecido");
    expect(await row.locator("td[data-country=GH][data-cell=actual]").textContent()).toContain("manual");
  });

  it("one click from an actual to the records behind it, without reloading the page", async () => {
    // A cell's link is a plain anchor the root's one listener navigates (components/TableLink):
    // a mark left on the window survives a client-side navigation, not a page load.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.locator("tr[data-indicator=mous_signed] td[data-country=GH][data-cell=actual] a").click();
    await page.waitForURL(/\/logframe\/records/);
    await page.getByRole("heading", { level: 1, name: "Memorandos de entendimiento firmados: Ghana" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Volver al marco lógico" }).click();
    await page.waitForURL(/\/logframe\?phase=/);
  });

  it("downloads the XLSX, in Spanish", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Excel (XLSX)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("logframe-phase-4.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as never);
    const ws = wb.worksheets[0];
    expect(ws.getCell("A1").value).toBe("Marco lógico: Phase IV");
    expect(ws.getRow(4).getCell(1).value).toBe("Indicador");
    expect([2, 3, 4].map((c) => ws.getRow(5).getCell(c).value)).toEqual(["Meta", "Resultado", "% logrado"]);
    const names = ws.getRows(6, 11)!.map((r) => String(r.getCell(1).value));
    expect(names).toContain("Memorandos de entendimiento firmados");
  });

  it("downloads the PDF, in Spanish", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "PDF para imprimir" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("logframe-phase-4.pdf");
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync((await download.path())!)));
    const { text } = await extractText(pdf, { mergePages: true });
    expect(text).toContain("Marco lógico: Phase IV");
    expect(text).toContain("Indicador");
    expect(text).toContain("Meta");
    expect(text).toContain("% logrado");
    expect(text).toContain("Centro nacional de excelencia establecido (manual)");
  });
});
