/**
 * `npm run bench:uploads`: hostile uploads sent to the import and report actions in this process
 * (embedded PGlite, a scratch evidence folder), printing each answer and how much the process's
 * resident memory grew while it was handled (peak, sampled every 5 ms). Target: under 100 MB
 * each. Figures are printed, never asserted: they depend on the machine.
 */
import type { AppLoadContext } from "@remix-run/node";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as importPage from "../app/routes/import._index";
import * as reportPage from "../app/routes/institutions.$id.report";
import { parseConfig } from "../app/platform/config";
import { createInstitution } from "../db/queries/institutions";
import { createTestDb } from "../tests/support/db";
import { signInAs, type TestSession } from "../tests/support/session";
import { bigFiles, formBody, manyRowsWorkbook, xfdWorkbook } from "../tests/security/hostile-files";

const MB = 2 ** 20;
const BASE = "http://pathways.test";
const TARGET_HEADER = ["indicator_key", "country", "phase_key", "target", "note"];

type Action = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;

async function measure(label: string, run: () => Promise<Response>) {
  global.gc?.();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const res = await run();
  const body = (await res.json()) as { errors?: Record<string, string> };
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const message = Object.values(body.errors ?? {})[0] ?? "";
  console.log(
    `${label.padEnd(46)} ${String(res.status).padStart(3)} ${ms.toFixed(0).padStart(6)} ms   RSS +${((peak - base) / MB).toFixed(0).padStart(4)} MB   ${message}`,
  );
}

async function main() {
  const t = await createTestDb("pglite");
  const evidenceDir = await mkdtemp(path.join(os.tmpdir(), "pathways-bench-uploads-"));
  try {
    const context = {
      db: t.db,
      config: parseConfig({ EVIDENCE_DIR: evidenceDir }),
      temporal: undefined,
      temporalUiUrl: null,
      clientIp: "127.0.0.1",
    } as unknown as AppLoadContext;
    const institutionId = crypto.randomUUID();
    await createInstitution(
      t.db,
      {
        id: institutionId,
        name: "Bench Upload Institute",
        countryCode: "GH",
        type: "private_provider",
        role: "implementing_partner",
      },
      "bench",
      new Date(),
    );
    const manager = await signInAs(t.db, "programme_manager");
    const reporter = await signInAs(t.db, "institution_reporter", { institutionId });

    const send = async (action: unknown, url: string, s: TestSession, form: FormData, params = {}, length?: number) => {
      const { body, contentType } = formBody(form);
      const headers: Record<string, string> = { "Content-Type": contentType, Cookie: s.cookie };
      if (length !== undefined) headers["Content-Length"] = String(length);
      const request = new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);
      try {
        return (await (action as Action)({ request, params, context })) as Response;
      } catch (e) {
        if (e instanceof Response) return e;
        throw e;
      }
    };
    const targetsForm = (name: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.set("csrf", manager.csrf);
      form.set("entity", "targets");
      form.set("file", new File([Buffer.from(bytes)], name));
      return form;
    };
    const evidenceForm = (files: File[]) => {
      const form = new FormData();
      form.set("csrf", reporter.csrf);
      form.set("intent", "send");
      form.set("reportId", crypto.randomUUID());
      form.set("kind", "mou_signed");
      form.set("payload.signedOn", "2026-01-15");
      for (const f of files) form.append("evidenceFiles", f);
      return form;
    };

    // Each input is made just before it is sent, so the figures before it are not inflated by it.
    const xfd = xfdWorkbook(TARGET_HEADER, 4_000);
    console.log(
      `Hostile uploads (process RSS at start ${(process.memoryUsage().rss / MB).toFixed(0)} MB; gc ${global.gc ? "on" : "off"})`,
    );
    await measure(`XFD workbook, 4,000 rows (${(xfd.length / 1024).toFixed(0)} KB), targets`, () =>
      send(importPage.action, `${BASE}/import`, manager, targetsForm("targets.xlsx", xfd)),
    );
    const rows = manyRowsWorkbook(TARGET_HEADER, 300_000);
    await measure(`300,000-row workbook (${(rows.length / MB).toFixed(1)} MB), targets`, () =>
      send(importPage.action, `${BASE}/import`, manager, targetsForm("targets.xlsx", rows)),
    );
    const files = bigFiles(20, 9 * MB);
    const reportUrl = `${BASE}/institutions/${institutionId}/report?kind=mou_signed`;
    await measure("20 × 9 MB evidence files, streamed (no length)", () =>
      send(reportPage.action, reportUrl, reporter, evidenceForm(files), { id: institutionId }),
    );
    await measure("20 × 9 MB evidence files, Content-Length", () =>
      send(reportPage.action, reportUrl, reporter, evidenceForm(files), { id: institutionId }, 20 * 9 * MB + 4096),
    );
  } finally {
    await t.close();
    await rm(evidenceDir, { recursive: true, force: true });
  }
}

await main();
