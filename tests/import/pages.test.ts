import type { AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as batchPage from "../../app/routes/import.batch";
import * as importPage from "../../app/routes/import._index";
import * as template from "../../app/routes/import.template";
import { problemMessage } from "../../app/features/import/rules/describe";
import type { Problem } from "../../app/features/import/rules/columns";
import { translatorFor } from "../../app/i18n/server";
import { pathwayWorkflowId } from "../../workflows/shared";
import { signInAs, type TestSession } from "../support/session";
import { makeInstitution } from "../support/temporal";
import { BASE, call, get, post, startHarness, type WebHarness } from "../web/harness";
import { csvBytes, TRAINER_HEADER } from "./support";

/**
 * The import pages' loaders and actions against a real database and a real Temporal dev server:
 * templates, a dry run with its problem table, the confirmed import as a background job with its
 * progress, pathways started for new institutions, and who may import what.
 */

let h: WebHarness;
let ctx: AppLoadContext;
let reporter: TestSession;
let manager: TestSession;
let viewer: TestSession;
let officer: TestSession;

beforeAll(async () => {
  h = await startHarness();
  ctx = h.context;
  const inst = await makeInstitution(h.db.db, { countryCode: "GH" });
  reporter = await signInAs(h.db.db, "institution_reporter", { institutionId: inst });
  manager = await signInAs(h.db.db, "programme_manager");
  viewer = await signInAs(h.db.db, "viewer");
  officer = await signInAs(h.db.db, "ilo_officer", { countries: ["GH"] });
  await h.db.db
    .insertInto("programme_phases")
    .values({ key: "phase-3", name: "Phase III", starts_on: "2023-01-01", ends_on: "2026-12-31" })
    .execute();
});
afterAll(async () => {
  await h?.stop();
});

const as = (s: TestSession | null, r: Request) => {
  const headers = new Headers(r.headers);
  if (s) headers.set("Cookie", s.cookie);
  return new Request(r, { headers });
};

/** The upload form as a browser sends it: the CSRF token first, then the layout and the file. */
function upload(entity: string, name: string, bytes: Uint8Array, s: TestSession = h.session): Request {
  const form = new FormData();
  form.append("csrf", s.csrf);
  form.append("entity", entity);
  form.append("file", new Blob([Buffer.from(bytes)]), name);
  return new Request(`${BASE}/import`, { method: "POST", body: form, headers: { Cookie: s.cookie } });
}

const batchIdOf = (res: Response) => new URL(res.headers.get("Location")!, BASE).searchParams.get("id")!;

async function batchData(id: string) {
  const res = await call(batchPage.loader as never, get(`/import/batch?id=${id}`), {}, ctx);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    batch: { status: string; created: number; updated: number; unchanged: number; problems: Problem[]; problem_count: number };
    running: boolean;
  };
}

async function untilFinished(id: string) {
  for (let i = 0; i < 200; i++) {
    const d = await batchData(id);
    if (!d.running && d.batch.status !== "running") return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the import did not finish");
}

describe("templates", () => {
  it("CSV: a header row and an example row", async () => {
    const res = await call(template.loader as never, get("/import/template?entity=trainers&format=csv"), {}, ctx);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe(TRAINER_HEADER.join(","));
    expect(lines).toHaveLength(2);
  });

  it("XLSX: the data sheet first, a second sheet explaining each column in the user's language", async () => {
    await h.db.db.updateTable("users").set({ locale: "fr" }).where("id", "=", h.session.userId).execute();
    try {
      const res = await call(template.loader as never, get("/import/template?entity=training_cycles&format=xlsx"), {}, ctx);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(["Données", "Colonnes"]);
      const header = wb.worksheets[0].getRow(1).values as unknown[];
      expect(header.slice(1, 4)).toEqual(["country", "institution", "module"]);
      const cost = wb.worksheets[1].getRows(2, 30)!.find((r) => r.getCell(1).value === "cost")!;
      expect([cost.getCell(2).value, cost.getCell(3).value]).toEqual(["oui", "Montant, p. ex. 1250.50"]);
    } finally {
      await h.db.db.updateTable("users").set({ locale: null }).where("id", "=", h.session.userId).execute();
    }
  });

  it("the filled-in template is accepted as it is", async () => {
    const res = await call(template.loader as never, get("/import/template?entity=institutions&format=xlsx"), {}, ctx);
    const checked = await call(
      importPage.action as never,
      upload("institutions", "template.xlsx", new Uint8Array(await res.arrayBuffer())),
      {},
      ctx,
    );
    expect(checked.status).toBe(302);
    expect((await batchData(batchIdOf(checked))).batch).toMatchObject({ status: "checked", created: 1 });
  });
});

describe("dry run and import through the pages", () => {
  it("lists each problem with its row and column, translated, and writes nothing", async () => {
    const rows = [
      ["GH", "Nowhere", "X-1", "Ama", "female", "", "", ""],
      ["GH", "Nowhere", "X-2", "Kofi", "man", "", "2024-13-01", ""],
    ];
    const res = await call(importPage.action as never, upload("trainers", "bad.csv", csvBytes(TRAINER_HEADER, rows)), {}, ctx);
    expect(res.status).toBe(302);
    const { batch } = await batchData(batchIdOf(res));
    expect(batch.status).toBe("invalid");
    expect(batch.problems.map((p) => [p.row, p.column, problemMessage(p, translatorFor("en"))])).toEqual([
      [2, "institution", "No institution “Nowhere” in GH. Import it first or check the spelling."],
      [3, "sex", "“man” is not allowed. Use one of: female, male."],
      [3, "trained_on", "“2024-13-01” is not a date. Write it as YYYY-MM-DD."],
    ]);
    expect(problemMessage(batch.problems[1], translatorFor("es"))).toBe("«man» no está permitido. Use uno de: female, male.");
    // A batch with problems cannot be imported.
    await call(batchPage.action as never, post("/import/batch", { id: batchIdOf(res), intent: "import" }), {}, ctx);
    expect((await untilFinished(batchIdOf(res))).batch.status).toBe("invalid");
  });

  it("refuses a file that is not CSV or XLSX next to the file field (4xx), and an empty upload", async () => {
    const pdf = await call(
      importPage.action as never,
      upload("trainers", "x.pdf", new TextEncoder().encode("%PDF-1.7\n...")),
      {},
      ctx,
    );
    expect(pdf.status).toBe(422);
    expect(await pdf.json()).toEqual({ errors: { file: "This file is neither a CSV file nor an Excel workbook (.xlsx)." } });
    const none = await call(importPage.action as never, upload("trainers", "", new Uint8Array()), {}, ctx);
    expect(none.status).toBe(400);
  });

  it("imports institutions as a job, starts their pathways, and the same file again creates nothing", async () => {
    const bytes = csvBytes(
      ["country", "name", "type", "role"],
      [
        ["GH", "Takoradi Productivity Centre", "government_training", "implementing_partner"],
        ["VN", "Hai Phong Business Institute", "private_provider", "national_coordinator"],
      ],
    );
    const checked = await call(importPage.action as never, upload("institutions", "inst.csv", bytes), {}, ctx);
    const id = batchIdOf(checked);
    expect((await batchData(id)).batch).toMatchObject({ status: "checked", created: 2 });
    const started = await call(batchPage.action as never, post("/import/batch", { id, intent: "import" }), {}, ctx);
    expect(started.status).toBe(302);
    expect((await untilFinished(id)).batch).toMatchObject({ status: "done", created: 2, updated: 0, unchanged: 0 });
    const made = await h.db.db.selectFrom("institutions").select("id").where("import_batch_id", "=", id).execute();
    expect(made).toHaveLength(2);
    for (const { id: institutionId } of made) {
      const described = await ctx.temporal.workflow.getHandle(pathwayWorkflowId(institutionId)).describe();
      expect(described.status.name).toBe("RUNNING");
    }

    const again = batchIdOf(await call(importPage.action as never, upload("institutions", "inst.csv", bytes), {}, ctx));
    await call(batchPage.action as never, post("/import/batch", { id: again, intent: "import" }), {}, ctx);
    expect((await untilFinished(again)).batch).toMatchObject({ status: "done", created: 0, updated: 0, unchanged: 2 });
    expect(
      await h.db.db
        .selectFrom("institutions")
        .select("id")
        .where("name", "in", ["Takoradi Productivity Centre", "Hai Phong Business Institute"])
        .execute(),
    ).toHaveLength(2);
  });
});

describe("who may import", () => {
  const targets = () => csvBytes(["indicator_key", "country", "phase_key", "target"], [["mous_signed", "GH", "phase-3", "3"]]);

  it("reporters, viewers and officers: 403 on every loader and action, nothing recorded", async () => {
    const adminBatch = batchIdOf(await call(importPage.action as never, upload("targets", "t.csv", targets()), {}, ctx));
    const before = await h.db.db.selectFrom("import_batches").select("id").execute();
    for (const s of [reporter, viewer, officer]) {
      const responses = [
        await call(importPage.loader as never, as(s, get("/import")), {}, ctx),
        await call(template.loader as never, as(s, get("/import/template?entity=targets&format=csv")), {}, ctx),
        await call(batchPage.loader as never, as(s, get(`/import/batch?id=${adminBatch}`)), {}, ctx),
        await call(importPage.action as never, upload("targets", "t.csv", targets(), s), {}, ctx),
        await call(
          batchPage.action as never,
          as(
            s,
            new Request(`${BASE}/import/batch`, {
              method: "POST",
              body: new URLSearchParams({ csrf: s.csrf, id: adminBatch, intent: "import" }),
            }),
          ),
          {},
          ctx,
        ),
      ];
      expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    }
    expect(await h.db.db.selectFrom("import_batches").select("id").execute()).toEqual(before);
    expect((await batchData(adminBatch)).batch.status).toBe("checked");
  });

  it("programme managers import targets, and nothing else", async () => {
    const page = await call(importPage.loader as never, as(manager, get("/import")), {}, ctx);
    expect(((await page.json()) as { entities: string[] }).entities).toEqual(["targets"]);
    const trainers = await call(
      importPage.action as never,
      upload("trainers", "t.csv", csvBytes(TRAINER_HEADER, [["GH", "X", "1", "Ama", "female", "", "", ""]]), manager),
      {},
      ctx,
    );
    expect(trainers.status).toBe(403);
    const res = await call(importPage.action as never, upload("targets", "t.csv", targets(), manager), {}, ctx);
    expect(res.status).toBe(302);
    const id = batchIdOf(res);
    await call(
      batchPage.action as never,
      as(
        manager,
        new Request(`${BASE}/import/batch`, {
          method: "POST",
          body: new URLSearchParams({ csrf: manager.csrf, id, intent: "import" }),
        }),
      ),
      {},
      ctx,
    );
    expect((await untilFinished(id)).batch).toMatchObject({ status: "done" });
    const row = await h.db.db
      .selectFrom("indicator_targets")
      .select(["target", "updated_by"])
      .where("indicator_key", "=", "mous_signed")
      .executeTakeFirstOrThrow();
    expect([Number(row.target), row.updated_by]).toEqual([3, manager.userId]);
  });
});
