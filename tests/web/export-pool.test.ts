import type { AppLoadContext } from "@remix-run/node";
import JSZip from "jszip";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadAnalytics } from "../../app/features/analytics/analytics.server";
import { loadDossier } from "../../app/features/handover/dossier.server";
import { planActuals } from "../../app/features/handover/plan-xlsx.server";
import { loadLogframe } from "../../app/features/indicators/logframe.server";
import { localiseDefinition } from "../../app/i18n/template-labels";
import { requireActor } from "../../app/platform/access.server";
import { parseConfig } from "../../app/platform/config";
import { exportJob, type ExportJob } from "../../app/platform/export-jobs";
import { createExportPool, exportBusy, exportPool, type ExportPool } from "../../app/platform/export-pool.server";
import { loader as logframePdfLoader } from "../../app/routes/logframe[.]pdf";
import { loader as dossierLoader } from "../../app/routes/institutions.$id.plans.$planId.dossier[.pdf]";
import { getPlan, insertPlan } from "../../db/queries/handover";
import { getTemplate } from "../../db/queries/institutions";
import { seedDemoData } from "../../db/seed";
import { sampleYears } from "../handover/support";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs } from "../support/session";
import { checkImportFile, dryRun, ImportFileError, type ImportCheckJob } from "../../app/features/import/import.server";
import { loadImportReference } from "../../db/queries/imports";
import { csvBytes, seedForImport, TRAINER_HEADER, trainerRows } from "../import/support";

/**
 * The export threads of decision 037: a file made on a thread has the bytes of the same file made
 * on the request path (every kind, in French so the translator made again on the thread is
 * checked too), and a full queue is refused with a 503 and Retry-After — never a 500, never an
 * unbounded wait.
 */

let db: TestDb;
let pool: ExportPool;
const jobs: ExportJob[] = [];
let managerCookie = "";
let dossierParams: { id: string; planId: string };

beforeAll(async () => {
  db = await createTestDb("postgres");
  const now = new Date();
  await seedDemoData(db.db, now);
  const manager = await signInAs(db.db, "programme_manager");
  managerCookie = manager.cookie;
  const context = { db: db.db, config: parseConfig({}) } as unknown as AppLoadContext;
  const actor = await requireActor(new Request("http://test/", { headers: { Cookie: manager.cookie } }), context);

  const logframe = await loadLogframe(db.db, actor, null, now, null, "fr");
  if (!logframe) throw new Error("the demo data has a programme phase");
  jobs.push(
    { kind: "logframePdf", locale: "fr", data: logframe, now },
    { kind: "logframeXlsx", locale: "fr", data: logframe, now },
    { kind: "logframeCsv", locale: "fr", data: logframe },
  );
  const analytics = await loadAnalytics(db.db, actor, new URLSearchParams("stuckAfter=30"), now);
  jobs.push({ kind: "analyticsCsv", locale: "fr", data: analytics, table: "stuck" });

  const inst = await db.db.selectFrom("institutions").select(["id", "currency"]).orderBy("name").executeTakeFirstOrThrow();
  const planId = randomUUID();
  await db.db.transaction().execute((trx) =>
    insertPlan(
      trx,
      {
        id: planId,
        institutionId: inst.id,
        name: "Plan « export » 2026",
        currency: inst.currency,
        usdRate: { num: 1, den: 10 },
        exitYear: 2028,
        varianceThresholdPp: 10,
        scenarioOf: null,
        years: sampleYears(2026),
      },
      "Test",
      now,
    ),
  );
  const plan = (await getPlan(db.db, planId))!;
  dossierParams = { id: inst.id, planId };
  const template = await getTemplate(db.db, "default@1");
  jobs.push(
    { kind: "dossierPdf", locale: "fr", dossier: await loadDossier(db.db, inst.id, plan, now, "fr") },
    {
      kind: "planXlsx",
      locale: "fr",
      plan,
      definition: localiseDefinition(template.definition, "fr"),
      actuals: await planActuals(db.db, plan),
      now,
    },
  );
  pool = createExportPool({ threads: 1, queue: 1 });
}, 120_000);

afterAll(async () => {
  await pool?.close();
  await db?.close();
});

/** A PDF's creation date is the clock when it is made, and its file ID a hash of it: the only bytes allowed to differ. */
const pdfWithoutClock = (b: Uint8Array) =>
  Buffer.from(b)
    .toString("latin1")
    .replace(/\(D:\d{14}Z\)/g, "(D:00000000000000Z)")
    .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, "/ID [<id> <id>]");

/** An XLSX is a zip whose entries carry the clock: compared entry by entry, the modified date set aside. */
async function xlsxEntries(b: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(b);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) {
    const text = await zip.files[name].async("string");
    out[name] = text.replace(/<dcterms:modified[^>]*>[^<]*<\/dcterms:modified>/, "<dcterms:modified/>");
  }
  return out;
}

describe("a file made on an export thread", () => {
  it("has the bytes of the same file made on the request path, for every kind", async () => {
    expect(jobs.map((j) => j.kind)).toEqual([
      "logframePdf",
      "logframeXlsx",
      "logframeCsv",
      "analyticsCsv",
      "dossierPdf",
      "planXlsx",
    ]);
    for (const job of jobs) {
      const inline = await exportJob(job);
      const threaded = await pool.run(job);
      // A zip's compressed length may move with its dates: an XLSX is compared entry by entry, every other file byte for byte.
      if (job.kind.endsWith("Xlsx")) expect(await xlsxEntries(threaded), job.kind).toEqual(await xlsxEntries(inline));
      else {
        expect(threaded.byteLength, job.kind).toBe(inline.byteLength);
        if (job.kind.endsWith("Pdf")) expect(pdfWithoutClock(threaded), job.kind).toBe(pdfWithoutClock(inline));
        else expect(Buffer.from(threaded).equals(Buffer.from(inline)), job.kind).toBe(true);
      }
    }
    // The French translator was made again on the thread: the file speaks French.
    const csv = new TextDecoder().decode(await pool.run(jobs.find((j) => j.kind === "logframeCsv")!));
    expect(csv).toContain("Indicateur");
  });

  it("is refused with 503 and Retry-After when the thread is busy and the queue full; those accepted still come", async () => {
    const dossier = jobs.find((j) => j.kind === "dossierPdf")!;
    const first = pool.run(dossier); // on the thread
    const second = pool.run(dossier); // waiting: the queue holds one
    const third = pool.run(dossier); // refused at once
    const refused = await third.then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Response);
    const res = refused as Response;
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect(await res.text()).toMatch(/try again/i);
    const [a, b] = await Promise.all([first, second]);
    expect(new TextDecoder().decode(a.slice(0, 5))).toBe("%PDF-");
    expect(b.byteLength).toBe(a.byteLength);
    expect(pool.load()).toEqual({ running: 0, waiting: 0 });
  });

  it("makes files on the request path with no threads, bounded the same way", async () => {
    const inline = createExportPool({ threads: 0, queue: 1 });
    const csv = jobs.find((j) => j.kind === "logframeCsv")!;
    const file = await inline.run(csv);
    expect(Buffer.from(file).equals(Buffer.from(await exportJob(csv)))).toBe(true);
    await inline.close();
  });
});

describe("an export route", () => {
  const config = parseConfig({ EXPORT_THREADS: "1", EXPORT_QUEUE: "0" });
  const call = async (loader: typeof logframePdfLoader, path: string, params: Record<string, string> = {}) => {
    const request = new Request(`http://test${path}`, { headers: { Cookie: managerCookie } });
    try {
      return await loader({ request, params, context: { db: db.db, config } as unknown as AppLoadContext });
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
  };
  const dossierPath = () => `/institutions/${dossierParams.id}/plans/${dossierParams.planId}/dossier.pdf`;

  it("answers the pool's 503 with Retry-After as it is when the export queue is full, not a 500", async () => {
    const spy = vi.spyOn(exportPool(config), "run").mockRejectedValue(exportBusy(5));
    try {
      for (const res of [
        await call(logframePdfLoader, "/logframe.pdf"),
        await call(dossierLoader as typeof logframePdfLoader, dossierPath(), dossierParams),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers.get("Retry-After")).toBe("5");
      }
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("serves the file made on its export thread, with its length", async () => {
    const res = await call(dossierLoader as typeof logframePdfLoader, dossierPath(), dossierParams);
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get("Content-Length")).toBe(String(body.byteLength));
    expect(new TextDecoder().decode(body.slice(0, 5))).toBe("%PDF-");
    expect(exportPool(config).load()).toEqual({ running: 0, waiting: 0 });
  });
});

describe("an uploaded import file checked on an export thread", () => {
  it("gets the rows and problems it gets on the request path, and the file's own fault as the same ImportFileError", async () => {
    const seed = await seedForImport(db.db, 3);
    const ref = await loadImportReference(db.db, "trainers", new Date());
    const rows = trainerRows(200, seed.institutions);
    rows[7][0] = ""; // a row with a problem
    const job: ImportCheckJob = {
      kind: "importCheck",
      entity: "trainers",
      fileType: "csv",
      bytes: csvBytes(TRAINER_HEADER, rows),
      ref,
    };
    const here = await checkImportFile(job);
    const there = await pool.check(job);
    expect(there).toEqual(here);
    expect(there.ok && there.validation.problems.length).toBeGreaterThan(0);
    expect(there.ok && there.validation.rows.length).toBe(199);

    // Too many columns: the file's own fault, found while it is read on the thread.
    const wide: ImportCheckJob = {
      ...job,
      bytes: csvBytes([...TRAINER_HEADER, ...Array.from({ length: 60 }, (_, i) => `x${i}`)], []),
    };
    expect(await pool.check(wide)).toEqual(await checkImportFile(wide));
    const refused = await dryRun(
      db.db,
      { entity: "trainers", fileName: "wide.csv", bytes: wide.bytes, actorId: seed.admin.id, now: new Date() },
      (j) => pool.check(j),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ImportFileError);
    expect((refused as ImportFileError).code).toBe("import.error.tooManyColumns");
    expect((refused as ImportFileError).vars).toEqual({ max: 50 });

    const batch = await dryRun(
      db.db,
      { entity: "trainers", fileName: "t.csv", bytes: job.bytes, actorId: seed.admin.id, now: new Date() },
      (j) => pool.check(j),
    );
    const stored = await db.db
      .selectFrom("import_batches")
      .select(["id", "rows", "problem_count"])
      .where("id", "=", batch)
      .executeTakeFirstOrThrow();
    expect(stored.rows).toBe(200);
    expect(stored.problem_count).toBe(here.ok ? here.validation.problems.length : -1);
  });
});
