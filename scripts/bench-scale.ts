/**
 * `npm run bench:scale [-- --institutions 5000 --cycles 100000 --web 2 --workers 2 --small --seconds 20 --skip-pages --build]`
 * (KEEP_DB=1 keeps the PostgreSQL database for `BENCH_DB=<name> npm run bench:page-cpu`)
 *
 * Builds a data set through the app's own import (institutions, trainers, enterprises, training
 * cycles) on a throwaway PostgreSQL database (TEST_POSTGRES_URL or the local server), or with
 * `--small` on embedded PGlite (500 institutions unless told), then starts the app as it runs in
 * production — `--web N` web and `--workers N` worker processes (2 and 2 unless told) on one
 * PostgreSQL and one Temporal dev server; with PGlite, one `npm start` process with its own
 * Temporal dev server — and measures:
 *
 * - start-up: each process until ready, and each worker's background start of the missing
 *   pathways (its own log line) until each has stored its first evaluation;
 * - how long the workers and the Temporal server take to settle (near idle) once every pathway is
 *   evaluated; the pages wait for it (at most `--settle-seconds`, 300);
 * - each page's p50/p95 at 20 concurrent, signed in as an ILO administrator, the requests spread
 *   over the web processes in turn (a load balancer's job, done by the bench), asked as a browser
 *   asks (compressed answers accepted) by a client that costs little (scripts/bench-http.ts);
 *   each page's HTML size and what was sent for it;
 * - `/healthz` p50/p99, one request every 50 ms, alone and while the page with the largest p95
 *   runs at 20 concurrent again: lanes side by side, the web port's `/healthz` (answered on
 *   the main thread, behind the pages) and the health port's (HEALTH_PORT, answered by a thread
 *   of its own, decision 040; not with `--small`: the health port needs PostgreSQL), the health
 *   port's twice: from a thread at this process's priority and from one at nice -10, standing in
 *   for a load balancer on another machine that does not wait for one of these cores (decision 053);
 * - the write path: the report form (HTTP POST → workflow update → row) at 20 concurrent, beside
 *   raw Temporal updates (the same update sent by a client, no web) and raw single-row INSERTs;
 * - RSS of each worker and web process (its whole process tree), the largest and their sum;
 * - SQL statements per page: root and page loader called in the bench process through a counting
 *   Kysely (as tests/pages/statement-counts.test.ts counts them), after the writes and again;
 * - with `--small`: the app stopped and started again on the same data folder, until `/healthz`
 *   answers 200 (the second start of `npm start`).
 *
 * Prints a table and writes it to .bench/scale-<date>-<institutions>-….md (git-ignored). Figures,
 * never asserts: they depend on the machine and on what else runs on it.
 */
import { Client, Connection } from "@temporalio/client";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { httpGet, pollHealth, quantile, type HealthResult } from "./bench-http";
import { nodeOptionsOf } from "./node-options";
import type { AppLoadContext } from "@remix-run/node";
import { sql, type Kysely, type KyselyPlugin } from "kysely";
import { dryRun, runImport } from "../app/features/import/import.server";
import { toCsv } from "../app/features/import/rules/csv";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";
import { startDevServer } from "../app/server/temporal-dev";
import { buildWebApp } from "../app/server/build-web";
import { parseConfig } from "../app/platform/config";
import { createDb, migrateToLatest } from "../db/create-db";
import type { Database } from "../db/schema";
import { ensureReferenceData } from "../db/reference-data";
import { getBatch } from "../db/queries/imports";
import { listInstitutionsWithoutStatus } from "../db/queries/status";
import { pathwayWorkflowId, reportMilestoneUpdate } from "../workflows/shared";
import { startApp, type RunningApp } from "../tests/support/app";
import { isUnder, machineCpuMs, processTable, rssBytes } from "./proc-table";
import { createTestDb } from "../tests/support/db";
import { signInAs } from "../tests/support/session";
import { requestState } from "../app/platform/request-state.server";

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
const WORKER_NODE_ARGS: string[] = WORKER_HEAP_MB ? [`--max-old-space-size=${WORKER_HEAP_MB}`] : nodeOptionsOf("worker");
const WEB_NODE_ARGS: string[] = nodeOptionsOf("web");
/** Leave the pages out (at 5,000 institutions a list page unpaged takes minutes at 20 concurrent). */
const SKIP_PAGES = argv.includes("--skip-pages");
/**
 * The production topology (issue 11): web and worker processes on one PostgreSQL and one Temporal
 * server. `--small` runs one `npm start` process instead (PGlite serves one process).
 */
const WEBS = SMALL ? 1 : Math.max(1, Number(opt("web") ?? 2));
const WORKERS = SMALL ? 1 : Math.max(1, Number(opt("workers") ?? 2));
/** Pages wait until the workers and Temporal use less than this share of one core together… */
const SETTLED_CPU = 0.1;
/** …or this long, whatever they are doing. */
const SETTLE_MAX_S = Number(opt("settle-seconds") ?? 300);
/** How often the lane beside the heaviest page asks `/healthz`. */
const HEALTH_EVERY_MS = 50;
/** The priority of the lane that stands in for a load balancer on another machine (decision 053). */
const LOAD_BALANCER_NICE = -10;
const COUNTRIES = ["GH", "PE", "VN", "CO", "ZA"];

const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

// ── measuring ───────────────────────────────────────────────────────────────────────────
/**
 * The RSS of each process tree (the process started and its children: tsx's and the app's node
 * processes). A Temporal dev server the app started itself (`--small`, as `npm start` does) is
 * left out: it is not the app's memory.
 */
function rssOfTrees(pids: number[]): number[] {
  const table = processTable();
  return pids.map((root) => {
    let total = 0;
    for (const [pid, row] of table) {
      if (pid !== root && row.comm === "temporal") continue;
      if (isUnder(table, pid, root)) total += rssBytes(pid);
    }
    return total;
  });
}

/**
 * CPU time (ms) used so far, by role: the web and worker process trees, the Temporal server,
 * PostgreSQL's processes, this bench (the load generator) and everything else; and the machine's
 * busy and total time from /proc/stat. Two snapshots apart say where a page's time went.
 */
interface CpuSnapshot {
  byRole: Record<string, number>;
  busy: number;
  total: number;
}

function cpuSnapshot(webPids: number[], workerPids: number[]): CpuSnapshot {
  const table = processTable();
  const roleOf = (pid: number, comm: string): string => {
    if (comm === "temporal") return "temporal";
    if (comm === "postgres") return "postgres";
    if (webPids.some((root) => isUnder(table, pid, root))) return "web";
    if (workerPids.some((root) => isUnder(table, pid, root))) return "worker";
    if (isUnder(table, pid, process.pid)) return "bench";
    return "other";
  };
  const byRole: Record<string, number> = {};
  for (const [pid, row] of table) {
    const role = roleOf(pid, row.comm);
    byRole[role] = (byRole[role] ?? 0) + row.cpuMs;
  }
  return { byRole, ...machineCpuMs() };
}

/** Where the CPU went between two snapshots, per request, by role: "web 9.1, postgres 3.2, …". */
function cpuPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number): string {
  const roles = ["web", "postgres", "worker", "temporal", "bench", "other"];
  const per = (role: string) => ((b.byRole[role] ?? 0) - (a.byRole[role] ?? 0)) / Math.max(1, requests);
  const busy = ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100;
  return `${roles.map((r) => `${r} ${per(r).toFixed(1)}`).join(", ")}; machine ${busy.toFixed(0)} % busy`;
}

/** Peak RSS of each process, and the peak of their sum (sampled together). */
interface Peaks {
  each: number[];
  together: number;
}

function samplePeaks(pids: number[], into?: Peaks): Peaks {
  const now = rssOfTrees(pids);
  const peaks = into ?? { each: now.map(() => 0), together: 0 };
  now.forEach((v, i) => (peaks.each[i] = Math.max(peaks.each[i], v)));
  peaks.together = Math.max(
    peaks.together,
    now.reduce((a, b) => a + b, 0),
  );
  return peaks;
}

const mergePeaks = (a: Peaks, b: Peaks): Peaks => ({
  each: a.each.map((v, i) => Math.max(v, b.each[i])),
  together: Math.max(a.together, b.together),
});

/** The peak RSS of some process trees while `fn` runs. */
async function peakRss<T>(pids: number[], fn: () => Promise<T>): Promise<{ value: T; peaks: Peaks }> {
  const peaks = samplePeaks(pids);
  const timer = setInterval(() => samplePeaks(pids, peaks), 500);
  try {
    const value = await fn();
    samplePeaks(pids, peaks);
    return { value, peaks };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** One process: its peak. Several: the largest, each, and the peak of their sum. */
const rssText = (p: Peaks) =>
  p.each.length === 1
    ? mb(p.each[0])
    : `${mb(Math.max(...p.each))} largest process (${p.each.map(mb).join(", ")}); ${mb(p.together)} together`;

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

type Loader = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;

/**
 * SQL statements per page, counted as tests/pages/statement-counts.test.ts counts them: the page's
 * loader and the root loader (Remix runs both for a page) called in this process, on the bench's
 * data, through a Kysely whose plugin sees every statement's result once (BEGIN/COMMIT of a
 * transaction are not seen). Temporal is refused: pages read the database only. Each page twice:
 * the first after the write path (kept aggregates out of date), then again.
 */
async function countStatements(
  db: Kysely<Database>,
  cookie: string,
  pages: { label: string; module: string; url: string; params: Record<string, string> }[],
): Promise<{ label: string; first: string; again: string }[]> {
  let count = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      count++;
      return args.result;
    },
  };
  const refuseTemporal = new Proxy(
    {},
    {
      get(_t, prop) {
        throw new Error(`asked Temporal for ${String(prop)}`);
      },
    },
  );
  const counted = db.withPlugin(counter);
  // One context per page request, with its request id, as the web server makes it: the root and
  // the page loader share the request's session look-up (app/platform/auth.server.ts).
  let context = {} as AppLoadContext;
  const newRequest = () =>
    (context = {
      db: counted,
      temporal: refuseTemporal,
      config: parseConfig({}),
      temporalUiUrl: null,
      clientIp: "127.0.0.1",
      requestId: crypto.randomUUID(),
    } as unknown as AppLoadContext);
  const root = ((await import("../app/root")) as { loader: Loader }).loader;
  const once = async (loader: Loader, url: string, params: Record<string, string>) => {
    try {
      const res = await loader({ request: new Request(`http://bench${url}`, { headers: { Cookie: cookie } }), params, context });
      if (res instanceof Response) await res.arrayBuffer();
      return res instanceof Response && res.status !== 200 ? ` (HTTP ${res.status})` : "";
    } catch (e) {
      return e instanceof Response ? ` (HTTP ${e.status})` : ` (${e instanceof Error ? e.message : String(e)})`;
    }
  };
  // In the request's state, as the web server runs a GET (app/server/web.ts): its loaders share
  // the request's read-model check.
  const measure = (page: Loader, url: string, params: Record<string, string>) => {
    newRequest();
    return requestState.run({ databaseLost: false, requestId: context.requestId, reads: true }, async () => {
      count = 0;
      const rootNote = await once(root, url, params);
      const rootCount = count;
      count = 0;
      const pageNote = await once(page, url, params);
      return `${rootCount + count} (root ${rootCount} + page ${count})${rootNote}${pageNote}`;
    });
  };
  const out: { label: string; first: string; again: string }[] = [];
  for (const p of pages) {
    const loader = ((await import(p.module)) as { loader: Loader }).loader;
    const first = await measure(loader, p.url, p.params);
    out.push({ label: p.label, first, again: await measure(loader, p.url, p.params) });
  }
  return out;
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
  // Built when the sources changed since the last build (or with --build): never a stale build.
  const made = buildWebApp({ force: argv.includes("--build") });
  say(made === "built" ? "  web app built" : "  web app already built from these sources");
}

async function main() {
  const date = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
  say(`# bench:scale ${new Date().toISOString()}`);
  say("");
  say(
    `${INSTITUTIONS.toLocaleString("en")} institutions, ${CYCLES.toLocaleString("en")} training cycles, ${SMALL ? "PGlite" : "PostgreSQL"}; ${CONCURRENCY} concurrent, ${SECONDS} s per measure; ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB`,
  );
  say(
    SMALL
      ? "topology: one `npm start` process (web, worker and its own Temporal dev server; PGlite serves one process)"
      : `topology: ${WEBS} web + ${WORKERS} worker processes on one PostgreSQL and one Temporal dev server; pages and the report form go to the web processes in turn (round-robin: a load balancer's job, done here by the bench)`,
  );
  if (!SMALL) {
    say(`worker processes: ${WORKER_NODE_ARGS.join(" ") || "no Node options"} (as \`npm run worker\` unless --worker-heap-mb)`);
    say(`web processes: ${WEB_NODE_ARGS.join(" ") || "no Node options"} (as \`npm run web\`)`);
  }
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
      // KEEP_DB=1: the database stays for bench:page-cpu (BENCH_DB=<name>); drop it afterwards.
      if (process.env.KEEP_DB === "1")
        stops.push(async () => {
          await t.db.destroy();
          say(`kept database ${new URL(t.url).pathname.slice(1)}`);
        });
      else stops.push(() => t.close());
      db = t;
      databaseUrl = t.url;
    }
    const loadBegan = performance.now();
    await loadData(db.db);
    say(`  data set loaded in ${((performance.now() - loadBegan) / 1000).toFixed(1)} s`);
    const session = await signInAs(db.db, "ilo_admin");
    const ids = (await db.db.selectFrom("institutions").select("id").orderBy("name").execute()).map((r) => r.id);
    if (SMALL) await db.close(); // PGlite serves one process: the app's, from here on.

    // Temporal: one dev server for every process; with --small the app starts its own (with its
    // history file in the data folder), as `npm start` does, so a second start finds it again.
    let temporalAddress: string | undefined;
    if (!SMALL) {
      const temporal = await startDevServer({ uiPort: null, dbFile: null });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
    }
    const taskQueue = "bench-scale";
    const env: Record<string, string> = {
      TEMPORAL_TASK_QUEUE: taskQueue,
      DEMO_DATA: "false",
      COOKIE_SECURE: "false",
      // Every web process signs with the same key, as behind a load balancer they must.
      ...(SMALL
        ? {}
        : { TEMPORAL_ADDRESS: temporalAddress!, DATABASE_URL: databaseUrl!, COOKIE_SECRET: randomBytes(32).toString("hex") }),
    };

    // Start-up: the workers together (each starts the missing pathways in the background), then
    // the web processes together, as a deploy would.
    const started = async (opts: Parameters<typeof startApp>[0]) => {
      const t0 = performance.now();
      const app = await startApp(opts);
      stops.push(() => app.stop());
      return { app, seconds: (performance.now() - t0) / 1000 };
    };
    let workers: RunningApp[];
    let webs: RunningApp[];
    const rows: [string, string][] = [];
    if (SMALL) {
      const one = await started({ dataDir, env });
      workers = webs = [one.app];
      say(`  app (web + worker + Temporal dev server, one process) ready in ${one.seconds.toFixed(1)} s`);
      rows.push(["start-up, one process with its Temporal dev server, to ready", `${one.seconds.toFixed(1)} s`]);
    } else {
      const w = await Promise.all(
        Array.from({ length: WORKERS }, () =>
          started({
            dataDir,
            env,
            nodeArgs: WORKER_NODE_ARGS,
            args: ["--only=worker"],
            readyPattern: /Temporal\s+\S+ \(namespace/,
          }),
        ),
      );
      // Each web process with a health port of its own on any free port (it prints where).
      const v = await Promise.all(
        Array.from({ length: WEBS }, () =>
          started({ dataDir, env: { ...env, HEALTH_PORT: "0" }, nodeArgs: WEB_NODE_ARGS, args: ["--only=web"] }),
        ),
      );
      workers = w.map((x) => x.app);
      webs = v.map((x) => x.app);
      const secs = (xs: { seconds: number }[]) => xs.map((x) => `${x.seconds.toFixed(1)} s`).join(", ");
      say(`  workers ready in ${secs(w)} (started together); web processes ready in ${secs(v)} (started together, after)`);
      rows.push([`start-up, worker${WORKERS > 1 ? "s" : ""} to ready`, secs(w)]);
      rows.push([`start-up, web process${WEBS > 1 ? "es" : ""} to ready`, secs(v)]);
    }
    const connection = await Connection.connect({ address: temporalAddress ?? webs[0].temporalAddress });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const workerPids = workers.map((w) => w.pid);
    const webPids = webs.map((w) => w.pid);

    // Pathways: a worker's reconciler lists the running pathways and starts the missing ones; its
    // own line says how many and how long. On PostgreSQL one worker at a time holds the
    // reconciler's lock (app/server/reconcile.ts); a worker that finds it taken, or none missing,
    // says so or nothing. Their first evaluation stores a status row each.
    const startLine = (w: RunningApp) => w.output().match(/(\d+) pathways started in ([\d.]+) s/);
    const { value: pathways, peaks: workerStartPeaks } = await peakRss(workerPids, async () => {
      while (!workers.some(startLine)) {
        const failed = workers.find((w) => /Starting the pathways in the background failed/.test(w.output()));
        if (failed) throw new Error(`A worker could not start the pathways:\n${failed.output().slice(-2000)}`);
        await sleep(500);
      }
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
      const evaluatedAfter = (performance.now() - evalBegan) / 1000;
      // A worker that set out to start some finishes before the pages are asked.
      for (const w of workers) while (/Starting the pathways of/.test(w.output()) && !startLine(w)) await sleep(500);
      return {
        lines: workers.map(startLine).map((m) => (m ? { count: Number(m[1]), seconds: Number(m[2]) } : null)),
        evaluatedAfter,
      };
    });
    const startedBy = pathways.lines.flatMap((l, k) => (l ? [`worker ${k + 1}: ${l.count} in ${l.seconds.toFixed(1)} s`] : []));
    const slowest = Math.max(...pathways.lines.map((l) => l?.seconds ?? 0));
    say(`  pathways started in the background, after the web opened: ${startedBy.join("; ")}`);
    rows.push([
      `${ids.length} pathways started (parallel lanes${WORKERS > 1 ? `; each worker's reconciler: ${startedBy.join(", ")}` : ""})`,
      `${slowest.toFixed(1)} s`,
    ]);
    if (!SMALL)
      rows.push([
        "…all of them evaluated and stored, after the first reconciler finished",
        `${pathways.evaluatedAfter.toFixed(1)} s`,
      ]);
    rows.push([SMALL ? "RSS, peak while pathways start" : "worker RSS, peak while pathways start", rssText(workerStartPeaks)]);

    // The pages are measured once the pathways have settled: the workers and the Temporal server
    // near idle (under SETTLED_CPU of a core together over a 5 s window), or after SETTLE_MAX_S
    // whatever they are doing; either way the time and their last CPU figure are printed.
    if (!SMALL) {
      const settleBegan = performance.now();
      let busy = Infinity;
      while (performance.now() - settleBegan < SETTLE_MAX_S * 1000) {
        const a = cpuSnapshot(webPids, workerPids);
        await sleep(5_000);
        const b = cpuSnapshot(webPids, workerPids);
        const used = (role: string) => (b.byRole[role] ?? 0) - (a.byRole[role] ?? 0);
        busy = (used("worker") + used("temporal")) / 5_000;
        if (busy < SETTLED_CPU) break;
      }
      const after = (performance.now() - settleBegan) / 1000;
      const text = `${after.toFixed(0)} s (workers and Temporal then at ${(busy * 100).toFixed(0)} % of a core${busy < SETTLED_CPU ? "" : `: not settled within ${SETTLE_MAX_S} s`})`;
      say(`  pathways settled after ${text}`);
      rows.push(["…workers and Temporal near idle, after all were evaluated", text]);
    }

    // Pages, 20 at a time each, spread over the web processes in turn.
    let turn = 0;
    const nextWeb = () => webs[turn++ % webs.length];
    // As a browser asks (compressed answers accepted), through a client that counts the bytes
    // and decodes nothing (scripts/bench-http.ts): the bench's CPU is the app's to use.
    const get = async (url: string) => {
      const res = await httpGet(`${nextWeb().url}${url}`, { Cookie: session.cookie }, REQUEST_TIMEOUT_MS);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      return res.bytes;
    };
    /** A page's HTML as the browser gets it once decompressed, asked once before the load. */
    const htmlKb = async (url: string) => {
      const res = await fetch(`${webs[0]!.url}${url}`, { headers: { Cookie: session.cookie }, redirect: "manual" });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      return Buffer.byteLength(text) / 1024;
    };
    const someInstitution = ids[Math.floor(ids.length / 2)];
    const pages = SKIP_PAGES
      ? []
      : [
          "/institutions",
          `/institutions/${someInstitution}`,
          "/portfolio",
          "/analytics",
          "/logframe",
          "/totals",
          "/verify",
          "/notifications",
          "/healthz",
        ];
    const label = (page: string) => (page.startsWith("/institutions/") ? "/institutions/:id" : page);
    // Signed in: the list names the institutions (a sign-in page would not), on every web process.
    for (const web of webs) {
      const probe = await fetch(`${web.url}/institutions`, { headers: { Cookie: session.cookie }, redirect: "manual" });
      const probeText = await probe.text();
      if (probe.status !== 200 || !probeText.includes("Bench Institute"))
        throw new Error(`/institutions does not show the institutions (${probe.status}): ${probeText.slice(0, 300)}`);
      if (web === webs[0]) say(`  /institutions for the administrator: ${(probeText.length / 1024).toFixed(0)} KB of HTML`);
    }
    say("");
    say(`| page | requests | errors | p50 ms | p95 ms | KB of HTML | KB sent (compressed) |`);
    say(`| --- | --- | --- | --- | --- | --- | --- |`);
    let webPeaks = samplePeaks(webPids);
    const pageP95 = new Map<string, number>();
    const cpuLines: string[] = [];
    // Transactions that changed what the kept aggregates count while a page ran (each drops every
    // web process's kept values of its tier, decisions 030 and 038): writes behind the pages' backs.
    const noted = SMALL ? null : await createDb(databaseUrl!);
    const changesSince = async (since: Date) => {
      if (!noted) return "";
      const { rows } = await sql<{ all: string; records: string }>`select count(*) as all,
        count(*) filter (where records) as records from read_model_changes where noted_at >= ${since}`.execute(noted.db);
      return `${rows[0]!.all} (records ${rows[0]!.records})`;
    };
    for (const page of pages) {
      const html = await htmlKb(page);
      const cpuBefore = cpuSnapshot(webPids, workerPids);
      const began = new Date();
      const { value: r, peaks } = await peakRss(webPids, () => drive(() => get(page)));
      cpuLines.push(
        `| ${label(page)} | ${cpuPerRequest(cpuBefore, cpuSnapshot(webPids, workerPids), r.n)} | ${await changesSince(began)} |`,
      );
      webPeaks = mergePeaks(webPeaks, peaks);
      if (page !== "/healthz") pageP95.set(page, r.p95);
      say(
        `| ${label(page)} | ${r.n} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ""} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${html.toFixed(0)} | ${(r.bytes / 1024).toFixed(0)} |`,
      );
    }
    await noted?.close();
    if (cpuLines.length > 0) {
      say("");
      say("CPU ms per request while each page ran, by process (bench = this load generator):");
      say("");
      say("| page | CPU ms per request | read-model changes meanwhile |");
      say("| --- | --- | --- |");
      for (const line of cpuLines) say(line);
    }

    // /healthz beside the heaviest page: one lane asking the web ports' /healthz every 50 ms and,
    // beside it, one asking the health ports' (decision 040), first alone, then while the page
    // with the largest p95 above runs at 20 concurrent again.
    if (pages.length > 0) {
      const heaviest = [...pageP95.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "/logframe";
      const webUrls = webs.map((w) => w.url);
      const healthPortUrls = webs.flatMap((w) => (w.healthUrl ? [w.healthUrl] : []));
      // Three lanes: the web ports and the health ports from a thread at this process's priority,
      // and the health ports again from one at LOAD_BALANCER_NICE, standing in for a load balancer
      // on another machine: that lane's own wait for one of these two cores is not the app's
      // (decision 053; below this process's priority needs CAP_SYS_NICE, else it is said).
      const lanes = (stop: () => boolean) =>
        Promise.all([
          pollHealth(webUrls, stop, HEALTH_EVERY_MS),
          healthPortUrls.length ? pollHealth(healthPortUrls, stop, HEALTH_EVERY_MS) : Promise.resolve(null),
          healthPortUrls.length ? pollHealth(healthPortUrls, stop, HEALTH_EVERY_MS, LOAD_BALANCER_NICE) : Promise.resolve(null),
        ]);
      const quietUntil = performance.now() + Math.min(SECONDS, 10) * 1000;
      const [quiet, quietPort, quietAway] = await lanes(() => performance.now() > quietUntil);
      let loaded = false;
      const { value: underLoad, peaks } = await peakRss(webPids, () =>
        Promise.all([drive(() => get(heaviest)).finally(() => (loaded = true)), lanes(() => loaded)]),
      );
      webPeaks = mergePeaks(webPeaks, peaks);
      const [page, [health, healthPort, healthAway]] = underLoad;
      say("");
      say(`/healthz, each lane asking every ${HEALTH_EVERY_MS} ms (each web process in turn); the lanes run side by side:`);
      const threads = webs.map((w) => /Health port\s+\S+\s+\((.*)\)/.exec(w.output())?.[1]).filter(Boolean);
      if (threads.length) say(`  the health ports' threads: ${[...new Set(threads)].join("; ")}`);
      say("");
      say(`| /healthz | asked from | requests | not 200 | p50 ms | p99 ms | max ms |`);
      say(`| --- | --- | --- | --- | --- | --- | --- |`);
      const from = (h: HealthResult) =>
        `a thread at nice ${h.nice}${h.refused ? ` (not ${LOAD_BALANCER_NICE}: ${h.refused})` : ""}`;
      const healthRow = (name: string, h: HealthResult) =>
        say(
          `| ${name} | ${from(h)} | ${h.n} | ${h.notOk}${h.firstProblem ? ` (${h.firstProblem})` : ""} | ${h.p50.toFixed(0)} | ${h.p99.toFixed(0)} | ${h.max.toFixed(0)} |`,
        );
      const underLoadName = `while ${label(heaviest)} (heaviest by p95) runs at ${CONCURRENCY} concurrent`;
      healthRow("web port (main thread), alone", quiet);
      healthRow(`web port (main thread), ${underLoadName}`, health);
      if (quietPort && healthPort && quietAway && healthAway) {
        healthRow("health port (its own thread, HEALTH_PORT), alone", quietPort);
        healthRow(`health port (its own thread, HEALTH_PORT), ${underLoadName}`, healthPort);
        healthRow("health port, alone", quietAway);
        healthRow(`health port, ${underLoadName}`, healthAway);
      } else say("| health port | not measured: it needs PostgreSQL (`--small` runs on PGlite) | | | | | |");
      say("");
      say(
        `  ${label(heaviest)} meanwhile: ${page.n} requests, ${page.errors} errors, p50 ${page.p50.toFixed(0)} ms, p95 ${page.p95.toFixed(0)} ms`,
      );
      rows.push([
        `/healthz p99 on the web port while ${label(heaviest)} is under load (alone: ${quiet.p99.toFixed(0)} ms)`,
        `${health.p99.toFixed(0)} ms`,
      ]);
      if (quietPort && healthPort && quietAway && healthAway) {
        rows.push([
          `/healthz p99 on the health port while ${label(heaviest)} is under load, asked from a thread at nice ${healthPort.nice} (alone: ${quietPort.p99.toFixed(0)} ms)`,
          `${healthPort.p99.toFixed(0)} ms`,
        ]);
        rows.push([
          `…asked from a thread at nice ${healthAway.nice}, as a load balancer on another machine${healthAway.refused ? " (the priority was refused)" : ""} (alone: ${quietAway.p99.toFixed(0)} ms)`,
          `${healthAway.p99.toFixed(0)} ms`,
        ]);
      }
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
      const res = await fetch(`${nextWeb().url}/institutions/${id}/report?kind=mou_signed`, {
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
    const { value: formResult, peaks: workerWritePeaks } = await peakRss(workerPids, () => drive(form));
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
    writeRow(`report form → workflow update → row${WEBS > 1 ? ` (${WEBS} web processes in turn)` : ""}`, formResult);
    writeRow("raw Temporal update (same update, no web)", updateResult);
    if (insertResult) writeRow("raw single-row INSERT (pool of 10)", insertResult);
    rows.push(["report form ÷ raw Temporal update", (formResult.perSecond / updateResult.perSecond).toFixed(2)]);
    rows.push([
      SMALL ? "RSS, peak while reports are written" : "worker RSS, peak while reports are written",
      rssText(workerWritePeaks),
    ]);
    if (!SMALL) rows.push(["web RSS, peak while pages are asked", rssText(webPeaks)]);
    rows.push([SMALL ? "RSS at the end" : "worker RSS at the end", rssText(samplePeaks(workerPids))]);
    if (!SMALL) rows.push(["web RSS at the end", rssText(samplePeaks(webPids))]);
    if (!SMALL) rows.push(["all processes, RSS at the end", mb(samplePeaks([...workerPids, ...webPids]).together)]);

    // SQL statements per page. PGlite serves one process: counted once the app has stopped.
    const countedPages: Parameters<typeof countStatements>[2] = [
      { label: "/institutions", module: "../app/routes/institutions._index", url: "/institutions", params: {} },
      {
        label: "/institutions/:id",
        module: "../app/routes/institutions.$id._index",
        url: `/institutions/${someInstitution}`,
        params: { id: someInstitution },
      },
      { label: "/portfolio", module: "../app/routes/portfolio", url: "/portfolio", params: {} },
      { label: "/analytics", module: "../app/routes/analytics", url: "/analytics", params: {} },
      { label: "/logframe", module: "../app/routes/logframe._index", url: "/logframe", params: {} },
      { label: "/totals", module: "../app/routes/totals", url: "/totals", params: {} },
      { label: "/verify", module: "../app/routes/verify", url: "/verify", params: {} },
      { label: "/notifications", module: "../app/routes/notifications", url: "/notifications", params: {} },
    ];
    const statements = async (url: string) => {
      const counting = await createDb(url);
      try {
        return await countStatements(counting.db, session.cookie, countedPages);
      } catch (e) {
        say(`  SQL statements not counted: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      } finally {
        await counting.close();
      }
    };
    const counts = SMALL ? null : await statements(databaseUrl!);

    // --small: `npm start` again on the same data folder (PGlite and Temporal's history file).
    let secondStart: { ready: number; healthy: number } | null = null;
    if (SMALL) {
      await webs[0].stop();
      const pgliteCounts = await statements(path.join(dataDir, "pglite"));
      const t0 = performance.now();
      const again = await startApp({ dataDir, env });
      stops.push(() => again.stop());
      const ready = (performance.now() - t0) / 1000;
      for (;;) {
        const res = await fetch(`${again.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
        await res?.arrayBuffer();
        if (res?.status === 200) break;
        if (performance.now() - t0 > REQUEST_TIMEOUT_MS) throw new Error("The second start did not become healthy");
        await sleep(100);
      }
      secondStart = { ready, healthy: (performance.now() - t0) / 1000 };
      printCounts(pgliteCounts);
    } else {
      printCounts(counts!);
    }
    function printCounts(c: { label: string; first: string; again: string }[]) {
      if (c.length === 0) return;
      say("");
      say(
        "SQL statements per page (root loader + page loader, called in the bench process through a counting Kysely, as tests/pages/statement-counts.test.ts does; not through HTTP):",
      );
      say("");
      say(`| page | statements, first after the writes | statements, again |`);
      say(`| --- | --- | --- |`);
      for (const r of c) say(`| ${r.label} | ${r.first} | ${r.again} |`);
    }
    if (secondStart) {
      say("");
      say(`second start to healthy: ${secondStart.healthy.toFixed(1)} s (ready line at ${secondStart.ready.toFixed(1)} s)`);
      rows.push([
        "second start on the same data folder, to /healthz 200 (web build already made: SKIP_BUILD=true)",
        `${secondStart.healthy.toFixed(1)} s`,
      ]);
    }

    say("");
    say(`| measure | value |`);
    say(`| --- | --- |`);
    for (const [k, v] of rows) say(`| ${k} | ${v} |`);

    const dir = path.join(PROJECT_ROOT, ".bench");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `scale-${date}-${INSTITUTIONS}${SMALL ? "-pglite" : `-${WEBS}web-${WORKERS}worker`}.md`);
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
