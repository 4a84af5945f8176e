import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importPage from "../../app/routes/import._index";
import * as reportPage from "../../app/routes/institutions.$id.report";
import { parseConfig } from "../../app/platform/config";
import { createInstitution } from "../../db/queries/institutions";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";
import { count } from "./support";
import { bigFiles, formBody, manyRowsCsv, manyRowsWorkbook, workbook, xfdWorkbook } from "./hostile-files";

/**
 * Hostile uploads meet a clear refusal next to the file field, are read no further than their
 * first limit, and write nothing: a workbook whose rows name the last column, a small file of
 * 300,000 rows, twenty 9 MB files for a form that takes ten.
 */

const BASE = "http://pathways.test";
const TARGET_HEADER = ["indicator_key", "country", "phase_key", "target", "note"];

let t: TestDb;
let context: AppLoadContext;
let evidenceDir: string;
let manager: TestSession;
let reporter: TestSession;
let institutionId: string;

beforeAll(async () => {
  t = await createTestDb("pglite");
  evidenceDir = await mkdtemp(path.join(os.tmpdir(), "pathways-hostile-"));
  const config = parseConfig({ EVIDENCE_DIR: evidenceDir });
  context = { db: t.db, config, temporal: undefined, temporalUiUrl: null, clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  institutionId = crypto.randomUUID();
  await createInstitution(
    t.db,
    {
      id: institutionId,
      name: "Hostile Upload Institute",
      countryCode: "GH",
      type: "private_provider",
      role: "implementing_partner",
    },
    "seed",
    new Date(),
  );
  manager = await signInAs(t.db, "programme_manager");
  reporter = await signInAs(t.db, "institution_reporter", { institutionId });
});
afterAll(async () => {
  await t?.close();
  if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
});

/** The form as the browser sends it, its body counting the bytes the server pulls. */
function counted(form: FormData, s: TestSession, url: string, headers: Record<string, string> = {}) {
  const { body, contentType, pulled } = formBody(form);
  const request = new Request(url, {
    method: "POST",
    body,
    headers: { "Content-Type": contentType, Cookie: s.cookie, ...headers },
    duplex: "half",
  } as RequestInit);
  return { request, pulled };
}

async function act(
  handler: (args: ActionFunctionArgs) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
) {
  try {
    return (await handler({ request, params, context })) as Response;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

function importForm(s: TestSession, files: { name: string; bytes: Uint8Array }[]) {
  const form = new FormData();
  form.set("csrf", s.csrf);
  form.set("entity", "targets");
  for (const f of files) form.append("file", new File([Buffer.from(f.bytes)], f.name));
  return form;
}

const fileError = async (res: Response) => ((await res.json()) as { errors: { file?: string } }).errors.file;

describe("hostile imports", () => {
  it("a 22 KB workbook whose 4,000 rows each hold one cell in column XFD is refused, and no batch is recorded", async () => {
    const bytes = xfdWorkbook(TARGET_HEADER, 4_000);
    expect(bytes.length).toBeLessThan(40_000);
    const before = process.memoryUsage().rss;
    const { request } = counted(importForm(manager, [{ name: "targets.xlsx", bytes }]), manager, `${BASE}/import`);
    const res = await act(importPage.action, request);
    expect(res.status).toBe(422);
    expect(await fileError(res)).toBe("This file has a cell beyond column 50. Keep only the template's columns and retry.");
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
    expect(await count(t.db, "import_batches")).toBe(0);
  });

  it("a compressed workbook of 300,000 rows is refused at the row limit, while it is read", async () => {
    const bytes = manyRowsWorkbook(TARGET_HEADER, 300_000);
    expect(bytes.length).toBeLessThan(IMPORT_LIMIT);
    const { request } = counted(importForm(manager, [{ name: "targets.xlsx", bytes }]), manager, `${BASE}/import`);
    const res = await act(importPage.action, request);
    expect(res.status).toBe(422);
    expect(await fileError(res)).toBe("This file has more than 50000 rows. Split it into smaller files.");
    expect(await count(t.db, "import_batches")).toBe(0);
  });

  it("a workbook of more shared strings than an import may hold cells is refused before they are read", async () => {
    const bytes = workbook([`<row r="1">${'<c r="A1" t="s"><v>0</v></c>'}</row>`], "<si><t>a</t></si>".repeat(1_000_001));
    const { request } = counted(importForm(manager, [{ name: "targets.xlsx", bytes }]), manager, `${BASE}/import`);
    const res = await act(importPage.action, request);
    expect(res.status).toBe(422);
    expect(await fileError(res)).toBe("This file has more than 1000000 filled cells. Split it into smaller files.");
    expect(await count(t.db, "import_batches")).toBe(0);
  });

  it("a CSV file of 300,000 rows is refused the same way", async () => {
    const { request } = counted(
      importForm(manager, [{ name: "targets.csv", bytes: manyRowsCsv(TARGET_HEADER, 300_000) }]),
      manager,
      `${BASE}/import`,
    );
    const res = await act(importPage.action, request);
    expect(res.status).toBe(422);
    expect(await fileError(res)).toBe("This file has more than 50000 rows. Split it into smaller files.");
    expect(await count(t.db, "import_batches")).toBe(0);
  });

  it("a CSV line of more fields than any layout has is refused", async () => {
    const wide = new TextEncoder().encode(`${TARGET_HEADER.join(",")}\n${",".repeat(100_000)}\n`);
    const { request } = counted(importForm(manager, [{ name: "wide.csv", bytes: wide }]), manager, `${BASE}/import`);
    const res = await act(importPage.action, request);
    expect(res.status).toBe(422);
    expect(await fileError(res)).toContain("beyond column 50");
  });

  it("a second file in the import form stops the reading with a message next to the field", async () => {
    const one = { name: "a.csv", bytes: new TextEncoder().encode(`${TARGET_HEADER.join(",")}\n`) };
    const big = { name: "b.csv", bytes: new Uint8Array(8 * 2 ** 20).fill(44) };
    const { request, pulled } = counted(importForm(manager, [one, big, big]), manager, `${BASE}/import`);
    const res = await act(importPage.action, request);
    expect(res.status).toBe(413);
    expect(await fileError(res)).toBe("The form could not be read. Send one file with the form and retry.");
    expect(pulled()).toBeLessThan(2 * 8 * 2 ** 20);
    expect(await count(t.db, "import_batches")).toBe(0);
  });

  it("a file over the size limit is refused in Spanish too, without reading past the limit", async () => {
    const big = { name: "big.csv", bytes: new Uint8Array(IMPORT_LIMIT + 2 ** 20).fill(44) };
    const { request, pulled } = counted(importForm(manager, [big]), manager, `${BASE}/import`, { "Accept-Language": "es" });
    const res = await act(importPage.action, request);
    expect(res.status).toBe(413);
    expect(await fileError(res)).toBe("Este archivo supera los 20 MB. Divídalo en archivos más pequeños.");
    expect(pulled()).toBeLessThan(IMPORT_LIMIT + 2 ** 20);
  });
});

const IMPORT_LIMIT = 20 * 2 ** 20;

function evidenceForm(files: File[]) {
  const form = new FormData();
  form.set("csrf", reporter.csrf);
  form.set("intent", "send");
  form.set("reportId", crypto.randomUUID());
  form.set("kind", "mou_signed");
  form.set("payload.signedOn", "2026-01-15");
  for (const f of files) form.append("evidenceFiles", f);
  return form;
}

describe("hostile evidence uploads", () => {
  const url = () => `${BASE}/institutions/${institutionId}/report?kind=mou_signed`;
  const nothingWritten = async () => {
    expect(await count(t.db, "evidence_files")).toBe(0);
    expect(await count(t.db, "milestone_reports")).toBe(0);
    expect(await readdir(evidenceDir)).toEqual([]);
  };

  it("twenty 9 MB files are refused at the eleventh, before the rest is read", async () => {
    const spillsBefore = (await readdir(os.tmpdir())).filter((f) => f.startsWith("pathways-upload-"));
    const { request, pulled } = counted(evidenceForm(bigFiles(20, 9 * 2 ** 20)), reporter, url());
    const res = await act(reportPage.action, request, { id: institutionId });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { evidenceFiles: string } }).errors.evidenceFiles).toBe("Attach at most 10 files");
    // Ten files and the start of the eleventh (the stream reads ahead by a chunk or two).
    expect(pulled()).toBeLessThan(11 * 9 * 2 ** 20);
    await nothingWritten();
    // The files read before the refusal waited on disk, in a folder removed with the answer.
    expect((await readdir(os.tmpdir())).filter((f) => f.startsWith("pathways-upload-"))).toEqual(spillsBefore);
  });

  it("a declared length over the limit is refused before any of the body is read", async () => {
    const form = evidenceForm(bigFiles(20, 9 * 2 ** 20));
    const length = String(20 * 9 * 2 ** 20 + 4096);
    const { request, pulled } = counted(form, reporter, url(), { "Content-Length": length });
    const res = await act(reportPage.action, request, { id: institutionId });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { evidenceFiles: string } }).errors.evidenceFiles).toBe(
      "Attach at most 10 files of at most 10 MB each",
    );
    expect(pulled()).toBeLessThan(2 ** 20);
    await nothingWritten();
  });

  it("one file over the size limit is refused as it streams in", async () => {
    const { request, pulled } = counted(evidenceForm(bigFiles(1, 12 * 2 ** 20)), reporter, url());
    const res = await act(reportPage.action, request, { id: institutionId });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { evidenceFiles: string } }).errors.evidenceFiles).toBe(
      "Each file can be at most 10 MB",
    );
    expect(pulled()).toBeLessThan(12 * 2 ** 20);
    await nothingWritten();
  });
});
