/**
 * `npm run bench:uploads`: the app started as `npm start` does (tests/security/support: Temporal
 * dev server, worker and web server in one node process, PostgreSQL), then hostile uploads sent
 * over HTTP by signed-in demo users. For each it prints the answer and how much the app's node
 * process grew (resident memory, peak sampled every 5 ms, against the figure just before).
 * Target: under 100 MB each. Figures are printed, never asserted: they depend on the machine.
 */
import { isUnder, processTable, rssBytes } from "./proc-table";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO, securityApp, signedIn, type Client } from "../tests/security/support";
import { bigFiles, manyRowsWorkbook, xfdWorkbook } from "../tests/security/hostile-files";
import buildForTests from "../tests/support/global-setup";

const MB = 2 ** 20;
const TARGET_HEADER = ["indicator_key", "country", "phase_key", "target", "note"];

/** Resident kilobytes of the node processes under `root` (the app; not the Temporal server). */
function nodeRss(root: number): number {
  const table = processTable();
  let bytes = 0;
  for (const [pid, row] of table) if (row.comm === "node" && isUnder(table, pid, root)) bytes += rssBytes(pid);
  return bytes / 1024;
}

async function measure(root: number, label: string, send: () => Promise<Response>) {
  await sleep(500);
  const base = nodeRss(root);
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, nodeRss(root))), 5);
  const start = performance.now();
  let status: number | string;
  let message = "";
  try {
    const res = await send();
    status = res.status;
    const body = (await res.text()).replace(/\s+/g, " ").replace(/&#x27;/g, "'");
    message = /class="field-error"[^>]*>([^<]*)</.exec(body)?.[1] ?? /"(?:file|evidenceFiles)":"([^"]*)"/.exec(body)?.[1] ?? "";
  } catch (e) {
    status = `connection closed (${(e as Error).message})`;
  }
  const ms = performance.now() - start;
  await sleep(100);
  clearInterval(timer);
  peak = Math.max(peak, nodeRss(root));
  console.log(
    `${label.padEnd(48)} ${String(status).padStart(3)} ${ms.toFixed(0).padStart(6)} ms   RSS +${((peak - base) / 1024).toFixed(0).padStart(4)} MB   ${message}`,
  );
}

// The web build the tests use (built now, as `npm test` does), which the started app serves.
await buildForTests();
process.env.PATHWAYS_BUILD_DIR = ".cache/test-build";
const started = securityApp();
try {
  const s = await started.start();
  const manager: Client = await signedIn(s.url, DEMO.manager);
  const reporter: Client = await signedIn(s.url, DEMO.reporter);
  const { institution_id: institutionId } = await s.db
    .selectFrom("users")
    .select("institution_id")
    .where("email", "=", DEMO.reporter)
    .executeTakeFirstOrThrow();

  const importing = (name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set("csrf", manager.csrf!);
    form.set("entity", "targets");
    form.set("file", new File([Buffer.from(bytes)], name));
    return fetch(`${s.url}/import`, { method: "POST", body: form, redirect: "manual", headers: manager.headers() });
  };
  const evidenceForm = (files: File[]) => {
    const form = new FormData();
    form.set("csrf", reporter.csrf!);
    form.set("intent", "send");
    form.set("reportId", crypto.randomUUID());
    form.set("kind", "mou_signed");
    form.set("payload.signedOn", "2026-01-15");
    for (const f of files) form.append("evidenceFiles", f);
    return form;
  };
  const reportUrl = `${s.url}/institutions/${institutionId}/report?kind=mou_signed`;

  console.log(`Hostile uploads against ${s.url} (app node processes: ${(nodeRss(s.app.pid) / 1024).toFixed(0)} MB resident)`);
  const xfd = xfdWorkbook(TARGET_HEADER, 4_000);
  await measure(s.app.pid, `XFD workbook, 4,000 rows (${(xfd.length / 1024).toFixed(0)} KB), targets`, () =>
    importing("targets.xlsx", xfd),
  );
  const rows = manyRowsWorkbook(TARGET_HEADER, 300_000);
  await measure(s.app.pid, `300,000-row workbook (${(rows.length / MB).toFixed(1)} MB), targets`, () =>
    importing("targets.xlsx", rows),
  );
  const files = bigFiles(20, 9 * MB);
  await measure(s.app.pid, "20 × 9 MB evidence files (Content-Length)", () =>
    fetch(reportUrl, { method: "POST", body: evidenceForm(files), redirect: "manual", headers: reporter.headers() }),
  );
  await measure(s.app.pid, "20 × 9 MB evidence files (chunked, no length)", () => {
    const res = new Response(evidenceForm(files));
    return fetch(reportUrl, {
      method: "POST",
      body: res.body,
      duplex: "half",
      redirect: "manual",
      headers: reporter.headers({ "Content-Type": res.headers.get("Content-Type")! }),
    } as RequestInit);
  });
} finally {
  await started.stop();
}
