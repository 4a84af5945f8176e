/**
 * `npm run bench:scale [-- --institutions 5000 --cycles 100000 --small --seconds 20 --skip-pages]`
 *
 * Builds a data set through the app's own import (institutions, trainers, enterprises, training
 * cycles) on a throwaway PostgreSQL database (TEST_POSTGRES_URL or the local server), or with
 * `--small` on embedded PGlite (500 institutions unless told), then starts the app as it runs in
 * production — a worker process and a web process on one Temporal dev server (with PGlite, one
 * `npm start` process) — and measures:
 *
 * - start-up: each process until ready, and the background start of every pathway (its own log
 *   line) until each has stored its first evaluation;
 * - each page's p50/p95 at 20 concurrent, signed in as an ILO administrator;
 * - the write path: the report form (HTTP POST → workflow update → row) at 20 concurrent, beside
 *   raw Temporal updates (the same update sent by a client, no web) and raw single-row INSERTs;
 * - worker and web RSS (the whole process tree).
 *
 * Prints a table and writes it to .bench/scale-<date>.md (git-ignored). Figures, never asserts:
 * they depend on the machine and on what else runs on it.
 */
import { Client, Connection } from "@temporalio/client";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { dryRun, runImport } from "../app/features/import/import.server";
import { toCsv } from "../app/features/import/rules/csv";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";
import { startDevServer } from "../app/server/temporal-dev";
import { createDb, migrateToLatest } from "../db/create-db";
import { ensureReferenceData } from "../db/reference-data";
import { getBatch } from "../db/queries/imports";
import { listInstitutionsWithoutStatus } from "../db/queries/status";
import { pathwayWorkflowId, reportMilestoneUpdate } from "../workflows/shared";
import { startApp, type RunningApp } from "../tests/support/app";
import { createTestDb } from "../tests/support/db";
import { signInAs } from "../tests/support/session";

// ── options ─────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SMALL = argv.includes("--small");
const INSTITUTIONS = Number(opt("institutions") ?? (SMALL ? 500 : 5_000));
const CYCLES = Number(opt("cycles") ?? INSTITUTIONS * 20);
const CONCURRENCY = Number(opt("concurrency") ?? 20);
/** How long each page (and each write measure) is driven. */
const SECONDS = Number(opt("seconds") ?? 20);
/** A request slower than this is counted as a timeout. */
const REQUEST_TIMEOUT_MS = 120_000;
/** A V8 heap limit for the worker process's main thread instead of the one `npm run worker` sets. */
const WORKER_HEAP_MB = opt("worker-heap-mb");
/** The Node options `npm run worker` gives the worker (package.json), so the bench runs what production runs. */
const WORKER_NODE_ARGS: string[] = (() => {
  const script: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts.worker;
  const flags = script.split(/\s+/).filter((w) => w.startsWith("--max-old-space-size="));
  return WORKER_HEAP_MB ? [`--max-old-space-size=${WORKER_HEAP_MB}`] : flags;
})();
/** Leave the pages out (at 5,000 institutions a list page unpaged takes minutes at 20 concurrent). */
const SKIP_PAGES = argv.includes("--skip-pages");
const COUNTRIES = ["GH", "PE", "VN", "CO", "ZA"];

const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

// ── measuring ───────────────────────────────────────────────────────────────────────────
function rssOfTree(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = readFileSync(`/proc/${p}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone meanwhile
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** The peak RSS of a process tree while `fn` runs. */
async function peakRss<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = rssOfTree(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOfTree(pid))), 500);
  try {
    return { value: await fn(), peak };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;

interface LoadResult {
  n: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  bytes: number;
  firstError?: string;
}

/** `CONCURRENCY` lanes each calling `one()` until `SECONDS` have passed; latency of each call. */
async function drive(one: (i: number) => Promise<number | void>): Promise<LoadResult> {
  const times: number[] = [];
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  let i = 0;
  const began = performance.now();
  const until = began + SECONDS * 1000;
  async function lane() {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        // Awaited first: `bytes += await …` would add to the total as it was before the wait,
        // losing what the other lanes added meanwhile.
        const got = (await one(i++)) ?? 0;
        bytes += got;
        times.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  return {
    n: times.length,
    errors,
    perSecond: times.length / seconds,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    bytes: times.length ? bytes / times.length : 0,
    firstError,
  };
}

// ── the data set, through the import ────────────────────────────────────────────────────
const institutionName = (i: number) => `Bench Institute ${String(i + 1).padStart(5, "0")}`;
const countryOf = (i: number) => COUNTRIES[i % COUNTRIES.length];
const csv = (header: string[], rows: string[][]) => new TextEncoder().encode(toCsv([header, ...rows]));

function dataFiles() {
  const institutions = csv(
    ["country", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"],
    Array.from({ length: INSTITUTIONS }, (_, i) => [
      countryOf(i),
      institutionName(i),
      i % 2 ? "private_provider" : "employers_organisation",
      "implementing_partner",
      i % 3 ? "2024-03-15" : "",
      "",
      i % 4 ? "yes" : "",
    ]),
  );
  const trainersPer = 2;
  const trainers = csv(
    ["country", "institution", "trainer_code", "name", "sex", "national_expert", "trained_on", "last_active_on"],
    Array.from({ length: INSTITUTIONS * trainersPer }, (_, j) => {
      const i = Math.floor(j / trainersPer);
      return [
        countryOf(i),
        institutionName(i),
        `T-${j}`,
        `Trainer ${j}`,
        j % 3 ? "male" : "female",
        j % 10 ? "no" : "yes",
        `2024-${String((j % 12) + 1).padStart(2, "0")}-15`,
        "",
      ];
    }),
  );
  const enterprisesPer = 2;
  const enterprises = csv(
    ["country", "institution", "name", "size", "sector", "workers_female", "workers_male"],
    Array.from({ length: INSTITUTIONS * enterprisesPer }, (_, j) => {
      const i = Math.floor(j / enterprisesPer);
      return [countryOf(i), institutionName(i), `Enterprise ${j}`, j % 2 ? "small" : "medium", "Garments", "40", "30"];
    }),
  );
  const cycleHeader = [
    "country",
    "institution",
    "module",
    "enterprise",
    "started_on",
    "ended_on",
    "cycle_code",
    "visits",
    "managers_female",
    "managers_male",
    "workers_female",
    "workers_male",
    "cost",
    "fund_enterprise_fee",
    "fund_institution_funds",
    "fund_government",
    "fund_sponsor",
    "fund_other_donor",
    "fund_ilo",
    "ilo_staff_involved",
  ];
  const cycleRows = Array.from({ length: CYCLES }, (_, k) => {
    const i = k % INSTITUTIONS;
    // Each institution's cycles on distinct days: (institution, enterprise, module, start) is a key.
    const j = Math.floor(k / INSTITUTIONS);
    const day = String((j % 27) + 1).padStart(2, "0");
    const month = String((Math.floor(j / 27) % 12) + 1).padStart(2, "0");
    const year = 2023 - Math.floor(j / (27 * 12));
    return [
      countryOf(i),
      institutionName(i),
      "M1",
      `Enterprise ${i * enterprisesPer + (k % enterprisesPer)}`,
      `${year}-${month}-${day}`,
      `${year}-${month}-28`,
      `C-${k}`,
      "3",
      "2",
      "2",
      "10",
      "8",
      "1000",
      "1000",
      "0",
      "0",
      "0",
      "0",
      "0",
      "no",
    ];
  });
  // The import takes at most a million cells a file: the cycles go in files of 40,000 rows.
  const cycles: Uint8Array[] = [];
  for (let from = 0; from < cycleRows.length; from += 40_000) cycles.push(csv(cycleHeader, cycleRows.slice(from, from + 40_000)));
  return { institutions, trainers, enterprises, cycles };
}

async function loadData(db: Awaited<ReturnType<typeof createDb>>["db"]) {
  const adminId = crypto.randomUUID();
  await db
    .insertInto("users")
    .values({
      id: adminId,
      email: `bench-${adminId}@pathways.example`,
      name: "Bench Admin",
      role: "ilo_admin",
      institution_id: null,
      password_hash: null,
    })
    .execute();
  await db
    .insertInto("programme_phases")
    .values({ key: "phase-3", name: "Phase III", starts_on: "2023-01-01", ends_on: "2026-12-31" })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const files = dataFiles();
  const entities = [
    ["institutions", files.institutions],
    ["trainers", files.trainers],
    ["enterprises", files.enterprises],
    ...files.cycles.map((bytes) => ["training_cycles", bytes] as const),
  ] as const;
  for (const [entity, bytes] of entities) {
    const t0 = performance.now();
    const batch = await dryRun(db, { entity, fileName: `${entity}.csv`, bytes, actorId: adminId, now: new Date() });
    const checked = performance.now();
    const check = await getBatch(db, batch);
    if (check?.status !== "checked")
      throw new Error(`The ${entity} file did not pass its check: ${JSON.stringify(check?.problems).slice(0, 500)}`);
    // No pathway runs yet: they are started together, by the worker's start-up (timed below).
    const outcome = await runImport(db, batch, { actor: { id: adminId, name: "Bench Admin" }, now: () => new Date() });
    if (outcome.status !== "done") throw new Error(`The ${entity} import ended ${outcome.status}: ${JSON.stringify(outcome)}`);
    say(
      `  import ${entity.padEnd(16)} ${(bytes.length / 1024 / 1024).toFixed(1).padStart(5)} MB: dry run ${((checked - t0) / 1000).toFixed(1)} s, import ${((performance.now() - checked) / 1000).toFixed(1)} s`,
    );
  }
}

// ── the run ─────────────────────────────────────────────────────────────────────────────
function buildWebIfMissing() {
  if (existsSync(path.join(PROJECT_ROOT, "build", "index.js")) && !argv.includes("--build")) return;
  say("  building the web app…");
  const res = spawnSync(
    process.execPath,
    [path.join(PROJECT_ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "build"],
    {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  if (res.status !== 0) throw new Error("The web app did not build");
}

async function main() {
  const date = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
  say(`# bench:scale ${new Date().toISOString()}`);
  say("");
  say(
    `${INSTITUTIONS.toLocaleString("en")} institutions, ${CYCLES.toLocaleString("en")} training cycles, ${SMALL ? "PGlite" : "PostgreSQL"}; ${CONCURRENCY} concurrent, ${SECONDS} s per measure; ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB`,
  );
  say(`worker process: ${WORKER_NODE_ARGS.join(" ") || "no Node options"} (as \`npm run worker\` unless --worker-heap-mb)`);
  say(`git ${spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" }).stdout.trim()}`);
  say("");
  buildWebIfMissing();

  const stops: (() => Promise<unknown>)[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-bench-"));
  stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    // The database: a throwaway PostgreSQL database, or PGlite files the app then opens.
    let databaseUrl: string | undefined;
    let db: Awaited<ReturnType<typeof createDb>>;
    if (SMALL) {
      db = await createDb(path.join(dataDir, "pglite"));
      await migrateToLatest(db.db);
      await ensureReferenceData(db.db);
    } else {
      const t = await createTestDb("postgres");
      stops.push(() => t.close());
      db = t;
      databaseUrl = t.url;
    }
    const loadBegan = performance.now();
    await loadData(db.db);
    say(`  data set loaded in ${((performance.now() - loadBegan) / 1000).toFixed(1)} s`);
    const session = await signInAs(db.db, "ilo_admin");
    const ids = (await db.db.selectFrom("institutions").select("id").orderBy("name").execute()).map((r) => r.id);
    if (SMALL) await db.close(); // PGlite serves one process: the app's, from here on.

    const temporal = await startDevServer({ uiPort: null, dbFile: null });
    stops.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const taskQueue = "bench-scale";
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DEMO_DATA: "false",
      COOKIE_SECURE: "false",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };

    // Start-up: the worker (it starts every pathway in the background), then the web.
    let worker: RunningApp;
    let web: RunningApp = undefined as unknown as RunningApp;
    const workerBegan = performance.now();
    if (SMALL) {
      worker = web = await startApp({ dataDir, env });
      stops.push(() => web.stop());
    } else {
      worker = await startApp({
        dataDir,
        env,
        nodeArgs: WORKER_NODE_ARGS,
        args: ["--only=worker"],
        readyPattern: /Temporal\s+\S+ \(namespace/,
      });
      stops.push(() => worker.stop());
    }
    const workerReady = (performance.now() - workerBegan) / 1000;
    if (!SMALL) {
      const webBegan = performance.now();
      web = await startApp({ dataDir, env, args: ["--only=web"] });
      stops.push(() => web.stop());
      say(`  web ready in ${((performance.now() - webBegan) / 1000).toFixed(1)} s; worker ready in ${workerReady.toFixed(1)} s`);
    } else {
      say(`  app (web + worker, one process) ready in ${workerReady.toFixed(1)} s`);
    }
    const rows: [string, string][] = [];
    rows.push([SMALL ? "start-up, one process, to ready" : "start-up, worker to ready", `${workerReady.toFixed(1)} s`]);

    // Pathways: the reconciler's own line says when all were started; their first evaluation
    // stores a status row each.
    const startLine = async () => {
      for (;;) {
        const m = worker!.output().match(/(\d+) pathways started in ([\d.]+) s/);
        if (m) return m;
        await sleep(500);
      }
    };
    const { value: started, peak: workerStartPeak } = await peakRss(worker.pid, async () => {
      const m = await startLine();
      const evalBegan = performance.now();
      let without = ids.length;
      const probe = SMALL ? null : await createDb(databaseUrl!);
      try {
        while (probe && without > 0) {
          without = (await listInstitutionsWithoutStatus(probe.db, 100_000)).length;
          if (without > 0) await sleep(1000);
        }
      } finally {
        await probe?.close();
      }
      return { count: Number(m[1]), seconds: Number(m[2]), evaluatedAfter: (performance.now() - evalBegan) / 1000 };
    });
    say(`  ${started.count} pathways started in ${started.seconds} s (background, after the web opened)`);
    rows.push([`${started.count} pathways started (parallel lanes)`, `${started.seconds.toFixed(1)} s`]);
    if (!SMALL) rows.push(["…all of them evaluated and stored, after that", `${started.evaluatedAfter.toFixed(1)} s`]);
    rows.push([SMALL ? "RSS, peak while pathways start" : "worker RSS, peak while pathways start", mb(workerStartPeak)]);

    // Pages, 20 at a time each.
    const get = async (url: string) => {
      const res = await fetch(`${web!.url}${url}`, {
        headers: { Cookie: session.cookie },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: "manual",
      });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      return body.byteLength;
    };
    const pages = SKIP_PAGES
      ? []
      : [
          "/institutions",
          `/institutions/${ids[Math.floor(ids.length / 2)]}`,
          "/portfolio",
          "/analytics",
          "/logframe",
          "/totals",
          "/verify",
          "/notifications",
          "/healthz",
        ];
    // Signed in: the list names the institutions (a sign-in page would not).
    const probe = await fetch(`${web.url}/institutions`, { headers: { Cookie: session.cookie }, redirect: "manual" });
    const probeText = await probe.text();
    if (probe.status !== 200 || !probeText.includes("Bench Institute"))
      throw new Error(`/institutions does not show the institutions (${probe.status}): ${probeText.slice(0, 300)}`);
    say(`  /institutions for the administrator: ${(probeText.length / 1024).toFixed(0)} KB of HTML`);
    say("");
    say(`| page | requests | errors | p50 ms | p95 ms | KB |`);
    say(`| --- | --- | --- | --- | --- | --- |`);
    let webPeak = rssOfTree(web.pid);
    for (const page of pages) {
      const url = page.startsWith("/institutions/") ? "/institutions/:id" : page;
      const { value: r, peak } = await peakRss(web.pid, () => drive(() => get(page)));
      webPeak = Math.max(webPeak, peak);
      say(
        `| ${url} | ${r.n} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ""} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${(r.bytes / 1024).toFixed(0)} |`,
      );
    }

    // The write path: the report form, a new report each time to an institution in turn.
    const form = async (i: number) => {
      const id = ids[(i * 7919) % ids.length];
      const body = new URLSearchParams({
        csrf: session.csrf,
        intent: "send",
        reportId: crypto.randomUUID(),
        kind: "mou_signed",
        "payload.signedOn": "2024-11-30",
      });
      const res = await fetch(`${web!.url}/institutions/${id}/report?kind=mou_signed`, {
        method: "POST",
        headers: { Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.status !== 302 && res.status !== 303) throw new Error(`report form: ${res.status}`);
    };
    const rawUpdate = async (i: number) => {
      const id = ids[(i * 7907 + 13) % ids.length];
      await client.workflow.getHandle(pathwayWorkflowId(id)).executeUpdate(reportMilestoneUpdate, {
        args: [
          {
            reportId: crypto.randomUUID(),
            institutionId: id,
            submittedBy: "bench@pathways.example",
            evidence: [],
            kind: "mou_signed",
            payload: { signedOn: "2024-11-30" },
          } as never,
        ],
      });
    };
    say("");
    say(`| write | done | errors | per second | p50 ms | p95 ms |`);
    say(`| --- | --- | --- | --- | --- | --- |`);
    const { value: formResult, peak: workerWritePeak } = await peakRss(worker.pid, () => drive(form));
    const updateResult = await drive(rawUpdate);
    let insertResult: LoadResult | null = null;
    if (!SMALL) {
      const scratch = await createDb(databaseUrl!);
      await sql`create table bench_rows (id bigserial primary key, institution_id text not null, at timestamptz not null default now())`.execute(
        scratch.db,
      );
      insertResult = await drive(async (i) => {
        await sql`insert into bench_rows (institution_id) values (${ids[i % ids.length]})`.execute(scratch.db);
      });
      await scratch.close();
    }
    const writeRow = (name: string, r: LoadResult) =>
      say(
        `| ${name} | ${r.n} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ""} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`,
      );
    writeRow("report form → workflow update → row", formResult);
    writeRow("raw Temporal update (same update, no web)", updateResult);
    if (insertResult) writeRow("raw single-row INSERT (pool of 10)", insertResult);
    say("");
    rows.push(["report form ÷ raw Temporal update", (formResult.perSecond / updateResult.perSecond).toFixed(2)]);
    rows.push([
      SMALL ? "RSS, peak while reports are written" : "worker RSS, peak while reports are written",
      mb(workerWritePeak),
    ]);
    if (!SMALL) rows.push(["web RSS, peak while pages are asked", mb(webPeak)]);
    rows.push([SMALL ? "RSS at the end" : "worker RSS at the end", mb(rssOfTree(worker.pid))]);
    if (!SMALL) rows.push(["web RSS at the end", mb(rssOfTree(web.pid))]);

    say(`| measure | value |`);
    say(`| --- | --- |`);
    for (const [k, v] of rows) say(`| ${k} | ${v} |`);

    const dir = path.join(PROJECT_ROOT, ".bench");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `scale-${date}-${INSTITUTIONS}${SMALL ? "-pglite" : ""}.md`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    console.log(`\nWritten to ${path.relative(PROJECT_ROOT, file)}`);
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (e) {
        console.warn("A stop failed:", e);
      }
    }
  }
}

await main();
process.exit(0);
