import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, securityApp, signedIn, type Client } from "../security/support";
import { csvBytes, TRAINER_HEADER } from "./support";

/**
 * The import pages served by the real app (same entry point as `npm start`), over HTTP: the pages
 * render before any script runs, the dry-run report is a table of row, column and problem, and
 * a reporter is refused.
 */

const started = securityApp();
let admin: Client;
let reporter: Client;

beforeAll(async () => {
  const s = await started.start();
  admin = await signedIn(s.url, DEMO.admin);
  reporter = await signedIn(s.url, DEMO.reporter);
});
afterAll(async () => {
  await started.stop();
});

function upload(c: Client, entity: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append("csrf", c.csrf!);
  form.append("entity", entity);
  form.append("file", new Blob([Buffer.from(bytes)]), name);
  return fetch(`${c.base}/import`, { method: "POST", body: form, redirect: "manual", headers: c.headers() });
}

describe("the import pages over HTTP", () => {
  it("the page offers templates, the upload form and the history; the navigation links to it", async () => {
    const res = await admin.get("/import");
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("<h1>Import data</h1>");
    expect(html).toContain('href="/import/template?entity=trainers&amp;format=xlsx"');
    expect(html).toContain('<input id="import-file" type="file" name="file"');
    expect(html).toContain('href="/import"');
  });

  it("a dry run's problems are a table of row, column and message, and the page offers no import", async () => {
    const bytes = csvBytes(TRAINER_HEADER, [["GH", "Accra Enterprise Skills Centre", "A-1", "Ama", "woman", "", "", ""]]);
    const res = await upload(admin, "trainers", "bad.csv", bytes);
    expect(res.status).toBe(302);
    const page = await admin.get(res.headers.get("Location")!);
    const html = await page.text();
    expect(html).toContain("<td>2</td><td><code>sex</code></td><td>“woman” is not allowed. Use one of: female, male.</td>");
    expect(html).not.toContain('value="import"');
  });

  it("a checked file is imported from its page, which shows the progress and then the result, without scripts", async () => {
    const bytes = csvBytes(
      ["country", "name", "type", "role"],
      [["GH", "Cape Coast Skills Institute", "private_provider", "implementing_partner"]],
    );
    const res = await upload(admin, "institutions", "one.csv", bytes);
    const location = res.headers.get("Location")!;
    const checked = await (await admin.get(location)).text();
    expect(checked).toContain('value="import"');
    expect(checked).toContain("Import 1 row<");
    const id = new URL(location, admin.base).searchParams.get("id")!;
    // While a batch runs (here: as another web process would show it), the page refreshes itself without scripts.
    await started
      .current!.db.updateTable("import_batches")
      .set({ status: "running", started_at: new Date() })
      .where("id", "=", id)
      .execute();
    const running = await (await admin.get(location)).text();
    expect(running).toContain('<noscript><meta http-equiv="refresh" content="3"/></noscript>');
    expect(running).toContain(">Check progress</a>");
    expect(running).not.toContain('value="import"');
    await started
      .current!.db.updateTable("import_batches")
      .set({ status: "checked", started_at: null })
      .where("id", "=", id)
      .execute();
    const go = await admin.post("/import/batch", { id, intent: "import" });
    expect(go.status).toBe(302);
    let html = "";
    for (let i = 0; i < 100 && !html.includes("Imported: 1 new"); i++) {
      html = await (await admin.get(location)).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(html).toContain("Imported: 1 new, 0 changed, 0 unchanged.");
    expect(html).not.toContain('class="progress-panel"');
  });

  it("a reporter is refused: 403 on the page, the templates and the upload", async () => {
    expect((await reporter.get("/import")).status).toBe(403);
    expect((await reporter.get("/import/template?entity=trainers&format=csv")).status).toBe(403);
    const res = await upload(
      reporter,
      "trainers",
      "t.csv",
      csvBytes(TRAINER_HEADER, [["GH", "X", "1", "Ama", "female", "", "", ""]]),
    );
    expect(res.status).toBe(403);
    // The list sends a reporter to their institution's page: the menu there offers no import.
    const list = await reporter.get("/institutions");
    expect(list.status).toBe(302);
    const own = await reporter.get(list.headers.get("Location")!);
    expect(own.status).toBe(200);
    expect(await own.text()).not.toContain('href="/import"');
  });
});
