/**
 * `npm run bench:exports [-- --institutions 5000 --cycles 100000 --seconds 5 --idle-seconds 5 --burst 30]`
 *
 * Does one user's export slow everyone else's page? Makes a database on the PostgreSQL server
 * (TEST_POSTGRES_URL or the local one), loads the demo data and INSTITUTIONS more institutions
 * with their stage history, trainers, enterprises and training cycles (straight SQL, like
 * bench:aggregates), gives one of them a handover plan, then starts the web process as production
 * runs it (`--only=web`, on a headless Temporal dev server, PORT / TEMPORAL_DEV_PORT from the
 * environment or free ports) and measures:
 *
 * - `/healthz` answered one after another for `--idle-seconds` with nothing else running: p50/p99/max;
 * - each export (logframe PDF/XLSX/CSV, the analytics CSVs, a plan's CSV/XLSX and dossier PDF, a
 *   country's public results CSV) downloaded again and again for `--seconds` by a manager while
 *   the same `/healthz` poller runs: each download's median duration and size, and `/healthz`
 *   p50/p99/max meanwhile — the delay an unrelated request meets while that export runs;
 * - in this process, for the same data, how long each file's generation alone takes (the part
 *   decision 037 moves to the export threads), apart from loading its data;
 * - in this process, on a database of its own, the import of `--import-rows` trainers (default
 *   10,000): the dry run of a CSV and of an XLSX file (what the upload request does) and the import
 *   itself (a background job of the web process), each with the longest event-loop delay seen.
 *
 * EXPORT_THREADS=0 runs the generation on the request path as before, for comparison. Prints a
 * table and writes it to .bench/exports-<date>.md (git-ignored). Figures, never asserts: they
 * depend on the machine and on what else runs on it. The database is dropped at the end
 * (KEEP_DB=1 keeps it; BENCH_DB=<name> measures again on a kept one).
 */
import { benchDatabase, bulkInsert } from "./bench-data";
import { spawn, type ChildProcess } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { freePort, startDevServer, type DevServer } from "../app/server/temporal-dev";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";
import { migrateToLatest } from "../db/create-db";
import { ensureReferenceData } from "../db/reference-data";
import { insertPlan } from "../db/queries/handover";
import type { Database } from "../db/schema";
import { seedDemoData } from "../db/seed";
import { signInAs } from "../tests/support/session";
import { createTestDb } from "../tests/support/db";
import { csvBytes, seedForImport, TRAINER_HEADER, trainerRows, xlsxBytes } from "../tests/import/support";
import { dryRun, runImport } from "../app/features/import/import.server";
import { createExportPool } from "../app/platform/export-pool.server";
import { loadImportReference } from "../db/queries/imports";
import { sampleYears } from "../tests/handover/support";
import { exportJob } from "../app/platform/export-jobs";
import { loadLogframe } from "../app/features/indicators/logframe.server";
import { loadAnalytics } from "../app/features/analytics/analytics.server";
import { loadDossier } from "../app/features/handover/dossier.server";
import { planActuals } from "../app/features/handover/plan-xlsx.server";
import { getPlan } from "../db/queries/handover";
import { getTemplate } from "../db/queries/institutions";
import { localiseDefinition } from "../app/i18n/template-labels";
import { requireActor } from "../app/platform/access.server";
import { parseConfig } from "../app/platform/config";
import type { AppLoadContext } from "@remix-run/node";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const INSTITUTIONS = Number(opt("institutions") ?? 5_000);
const CYCLES = Number(opt("cycles") ?? 100_000);
const SECONDS = Number(opt("seconds") ?? 5);
const IDLE_SECONDS = Number(opt("idle-seconds") ?? 5);
const BURST = Number(opt("burst") ?? 30);
const IMPORT_ROWS = Number(opt("import-rows") ?? 10_000);

const out: string[] = [];
const say = (line: string) => {
  console.log(line);
  out.push(line);
};

const benchDb = await benchDatabase("pathways_exports");
const reuse = benchDb.reused;
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
const pool = new pg.Pool({ connectionString: benchDb.url, max: 4, options: "-c jit=off" });
pool.on("error", () => {});
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

let dev: DevServer | null = null;
let web: ChildProcess | null = null;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-bench-exports-"));
try {
  say(`# bench:exports ${new Date().toISOString()}`);
  say(
    `${INSTITUTIONS} institutions, ${CYCLES} cycles, ${SECONDS} s of downloads per export, EXPORT_THREADS=${process.env.EXPORT_THREADS ?? "(default)"} EXPORT_QUEUE=${process.env.EXPORT_QUEUE ?? "(default)"}; ${os.cpus().length} cores, shared`,
  );
  await migrateToLatest(db);
  if (!reuse) {
    await ensureReferenceData(db);
    const now = new Date();
    await seedDemoData(db, now);
    const t0 = performance.now();
    await bulkInsert(db, now, { institutions: INSTITUTIONS, cycles: CYCLES });
    say(`inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sql`analyze`.execute(db);
  }
  const some = await db
    .selectFrom("institutions")
    .select(["id", "country_code", "currency"])
    .where("name", "like", "Bench %")
    .orderBy("name")
    .executeTakeFirstOrThrow();
  const existing = await db.selectFrom("handover_plans").select("id").where("institution_id", "=", some.id).executeTakeFirst();
  const planId = existing?.id ?? randomUUID();
  if (!existing)
    await db.transaction().execute((trx) =>
      insertPlan(
        trx,
        {
          id: planId,
          institutionId: some.id,
          name: "Bench handover plan",
          currency: some.currency,
          usdRate: { num: 1, den: 10 },
          exitYear: new Date().getUTCFullYear() + 2,
          varianceThresholdPp: 10,
          scenarioOf: null,
          years: sampleYears(new Date().getUTCFullYear()),
        },
        "Bench",
        new Date(),
      ),
    );
  const manager = await signInAs(db, "programme_manager");

  const exportsToTake: [string, string][] = [
    ["logframe PDF", "/logframe.pdf"],
    ["logframe XLSX", "/logframe.xlsx"],
    ["logframe CSV", "/logframe.csv"],
    ["analytics CSV: stuck", "/analytics.csv?table=stuck"],
    ["analytics CSV: time-in-stage", "/analytics.csv?table=time-in-stage"],
    ["analytics CSV: quarters", "/analytics.csv?table=quarters"],
    ["plan CSV", `/institutions/${some.id}/plans/${planId}/export.csv`],
    ["plan XLSX", `/institutions/${some.id}/plans/${planId}/export.xlsx`],
    ["dossier PDF", `/institutions/${some.id}/plans/${planId}/dossier.pdf`],
    ["public results CSV", `/results/${some.country_code}/results.csv`],
  ];

  // ── generation alone, in this process ──────────────────────────────────────────────────────
  say("\n## Generation alone (this process, data loaded first; median of 3)\n");
  say("| file | loading its data, ms | generating, ms | bytes |\n| --- | ---: | ---: | ---: |");
  const actor = await requireActor(new Request("http://bench/", { headers: { Cookie: manager.cookie } }), {
    db,
    config: parseConfig({}),
  } as unknown as AppLoadContext);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const timeIt = async <T>(fn: () => Promise<T>) => {
    const ms: number[] = [];
    let last: T | undefined;
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      last = await fn();
      ms.push(performance.now() - s);
    }
    return { ms: median(ms), value: last as T };
  };
  const now = new Date();
  const lf = await timeIt(() => loadLogframe(db, actor, null, now, null, "en"));
  for (const kind of ["logframePdf", "logframeXlsx", "logframeCsv"] as const) {
    const g = await timeIt(() => exportJob({ kind, locale: "en", data: lf.value!, now }));
    say(`| ${kind} | ${lf.ms.toFixed(0)} | ${g.ms.toFixed(1)} | ${g.value.byteLength} |`);
  }
  const an = await timeIt(() => loadAnalytics(db, actor, new URLSearchParams(), now));
  for (const table of ["stuck", "time-in-stage", "quarters"] as const) {
    const g = await timeIt(() => exportJob({ kind: "analyticsCsv", locale: "en", data: an.value, table }));
    say(`| analyticsCsv ${table} | ${an.ms.toFixed(0)} | ${g.ms.toFixed(1)} | ${g.value.byteLength} |`);
  }
  const plan = (await getPlan(db, planId))!;
  const template = await getTemplate(db, "default@1");
  const pl = await timeIt(() => planActuals(db, plan));
  const px = await timeIt(() =>
    exportJob({
      kind: "planXlsx",
      locale: "en",
      plan,
      definition: localiseDefinition(template.definition, "en"),
      actuals: pl.value,
      now,
    }),
  );
  say(`| planXlsx | ${pl.ms.toFixed(0)} | ${px.ms.toFixed(1)} | ${px.value.byteLength} |`);
  const ds = await timeIt(() => loadDossier(db, some.id, plan, now, "en"));
  const dp = await timeIt(() => exportJob({ kind: "dossierPdf", locale: "en", dossier: ds.value }));
  say(`| dossierPdf | ${ds.ms.toFixed(0)} | ${dp.ms.toFixed(1)} | ${dp.value.byteLength} |`);

  // ── the import, in this process: how long its steps hold the event loop ────────────────────
  say(`\n## The import of ${IMPORT_ROWS} trainers (this process, its own database): the longest the event loop was held\n`);
  say("| step | ms | longest event-loop delay, ms | p99 delay, ms |\n| --- | ---: | ---: | ---: |");
  const idb = await createTestDb("postgres");
  try {
    const seed = await seedForImport(idb.db, 20);
    const rows = trainerRows(IMPORT_ROWS, seed.institutions);
    const held = async (label: string, fn: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const s = performance.now();
      const value = await fn();
      const ms = performance.now() - s;
      h.disable();
      say(`| ${label} | ${ms.toFixed(0)} | ${(h.max / 1e6).toFixed(0)} | ${(h.percentile(99) / 1e6).toFixed(0)} |`);
      return value;
    };
    const input = (fileName: string, bytes: Uint8Array) =>
      ({ entity: "trainers", fileName, bytes, actorId: seed.admin.id, now: new Date() }) as const;
    const csvBatch = (await held("dry run, CSV (parse, check, plan)", () =>
      dryRun(idb.db, input("bench.csv", csvBytes(TRAINER_HEADER, rows))),
    )) as string;
    const threads = createExportPool({ threads: 1, queue: 4 });
    await threads.check({
      kind: "importCheck",
      entity: "trainers",
      fileType: "csv",
      bytes: csvBytes(TRAINER_HEADER, rows.slice(0, 10)),
      ref: await loadImportReference(idb.db, "trainers"),
    }); // the thread started
    await held("dry run, CSV, checked on an export thread", () =>
      dryRun(idb.db, input("bench.csv", csvBytes(TRAINER_HEADER, rows)), (j) => threads.check(j)),
    );
    await threads.close();
    const xlsx = await xlsxBytes(TRAINER_HEADER, rows);
    await held("dry run, XLSX (parse, check, plan)", () => dryRun(idb.db, input("bench.xlsx", xlsx)));
    await held("import (background job)", () => runImport(idb.db, csvBatch, { actor: seed.admin, now: () => new Date() }));
  } finally {
    await idb.close();
  }

  // ── the web process ────────────────────────────────────────────────────────────────────────
  dev = await startDevServer({
    port: Number(process.env.TEMPORAL_DEV_PORT) || undefined,
    uiPort: null,
    dbFile: null,
  });
  const port = Number(process.env.PORT) || (await freePort());
  web = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "app/server/start.ts", "--only=web"],
    {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: benchDb.url,
        TEMPORAL_ADDRESS: dev.address,
        DATA_DIR: dataDir,
        // Built again each time, as `npm start` does: a build older than the sources would run an
        // older pool against today's export thread (the thread runs the sources).
        SKIP_BUILD: "false",
      },
    },
  );
  let log = "";
  web.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  web.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (!/\(ready\)/.test(log)) {
    if (web.exitCode !== null || Date.now() > deadline) throw new Error(`The web process did not start:\n${log}`);
    await sleep(200);
  }

  const health = { running: false, samples: [] as number[] };
  const poller = async () => {
    while (health.running) {
      const s = performance.now();
      await fetch(`${base}/healthz`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      health.samples.push(performance.now() - s);
      await sleep(20);
    }
  };
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
  };
  const healthLine = (xs: number[]) =>
    `${pct(xs, 50).toFixed(0)} | ${pct(xs, 99).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${xs.length}`;

  // Warm: the first request of each kind compiles and caches what later ones reuse.
  for (const [, url] of exportsToTake)
    await fetch(base + url, { headers: { Cookie: manager.cookie } }).then((r) => r.arrayBuffer());

  say("\n## Over HTTP: /healthz while idle and while each export is downloaded again and again\n");
  say(
    "| while | downloads | download median ms | status | bytes | /healthz p50 ms | /healthz p99 ms | /healthz max ms | /healthz samples |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  health.running = true;
  health.samples = [];
  let polling = poller();
  await sleep(IDLE_SECONDS * 1000);
  health.running = false;
  await polling;
  say(`| idle | – | – | – | – | ${healthLine(health.samples)} |`);

  for (const [label, url] of exportsToTake) {
    health.samples = [];
    health.running = true;
    polling = poller();
    const times: number[] = [];
    let status = 0;
    let bytes = 0;
    const until = performance.now() + SECONDS * 1000;
    while (performance.now() < until) {
      const s = performance.now();
      const res = await fetch(base + url, { headers: { Cookie: manager.cookie } });
      bytes = (await res.arrayBuffer()).byteLength;
      status = res.status;
      times.push(performance.now() - s);
    }
    health.running = false;
    await polling;
    say(`| ${label} | ${times.length} | ${median(times).toFixed(0)} | ${status} | ${bytes} | ${healthLine(health.samples)} |`);
  }

  // Many at once: a full queue answers 503 with Retry-After, never a 500.
  const burst = await Promise.all(
    Array.from({ length: BURST }, () =>
      fetch(base + exportsToTake.find(([l]) => l === "dossier PDF")![1], { headers: { Cookie: manager.cookie } }).then(
        async (r) => {
          await r.arrayBuffer();
          return `${r.status}${r.headers.get("Retry-After") ? ` (Retry-After ${r.headers.get("Retry-After")})` : ""}`;
        },
      ),
    ),
  );
  const counts = new Map<string, number>();
  for (const b of burst) counts.set(b, (counts.get(b) ?? 0) + 1);
  say(`\n${BURST} dossier PDFs asked at once: ${[...counts].map(([k, v]) => `${v}× ${k}`).join(", ")}`);

  const dir = path.join(PROJECT_ROOT, ".bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `exports-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.md`);
  writeFileSync(file, `${out.join("\n")}\n`);
  console.log(`\nwritten to ${path.relative(PROJECT_ROOT, file)}`);
} finally {
  if (web?.pid && web.exitCode === null) {
    web.kill("SIGTERM");
    await Promise.race([new Promise((r) => web!.once("exit", r)), sleep(15_000)]);
    if (web.exitCode === null) process.kill(-web.pid, "SIGKILL");
  }
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await db.destroy();
  await benchDb.finish();
}
