/**
 * `BENCH_DB=<name> npm run bench:page-cpu`: the web process's CPU time per request of each page.
 *
 * Reads a database kept by `KEEP_DB=1 npm run bench:aggregates` or `KEEP_DB=1 npm run bench:scale`
 * (5,000 institutions, 100,000 cycles) on the PostgreSQL server (TEST_POSTGRES_URL), starts the
 * built web app on it as `npm run web` does (`--only=web` beside a Temporal dev server, no worker),
 * signs in an ILO administrator and asks each page CONCURRENCY (20) at a time for SECONDS (10), as
 * a browser asks (compressed, kept-alive sockets; scripts/bench-http.ts). Prints, per page,
 * p50/p95, the web processes' user + system CPU time divided by the requests answered (from /proc,
 * so Linux only), the same for the PostgreSQL server's processes (on this machine: what the page's
 * statements cost it, plus anything else it serves meanwhile) and the web processes' RSS peak:
 * with two cores and twenty readers, a page's latency is about twenty times that CPU time. Nothing is written, so the kept aggregates (decision 030) stay warm.
 *
 * PAGES=/institutions,/logframe: only those (`/institutions/:id` for the institution page);
 * WEBS=2: that many web processes, asked in turn (as `bench:scale` does), their CPU added up;
 * PROFILE=1: each page in its own process started with `--cpu-prof`, the profiles in .bench/cpu/;
 * PATHWAYS_BUILD_DIR: another build (to compare two); WEB_NODE_FLAGS="--max-semi-space-size=32":
 * Node options for the web process instead of those `npm run web` gives (to compare heap settings;
 * WEB_NODE_FLAGS= for none); HEALTH=1: each web process opens its health port (HEALTH_PORT=0,
 * decision 040) and a lane asks it `/healthz` every 50 ms while each page runs, its p50/p99 printed
 * beside the page (as `bench:scale` measures it beside the heaviest page; no worker runs here, so
 * each answer is a 503 naming the worker, after the same checks); POLLER_NICE=-10: that lane's
 * thread at nice -10, as a load balancer on another machine (decision 053; HEALTH_NICE sets the
 * health thread's, -10 by default). Run `npm run build`
 * first. Figures, never asserts: they depend on the machine and on what else runs on it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";
import { processTable, rssBytes } from "./proc-table";
import { nodeOptionsOf } from "./node-options";
import { httpGet, pollHealth, quantile } from "./bench-http";
import { freePort, startDevServer } from "../app/server/temporal-dev";
import { createDb } from "../db/create-db";
import { TEST_POSTGRES_URL } from "../tests/support/db";
import { signInAs } from "../tests/support/session";

const name = process.env.BENCH_DB;
if (!name) throw new Error("BENCH_DB=<name of a database kept by KEEP_DB=1 npm run bench:aggregates or bench:scale>");
const url = new URL(TEST_POSTGRES_URL);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
const SECONDS = Number(process.env.SECONDS ?? 10);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const PROFILE = process.env.PROFILE === "1";
const WEBS = Number(process.env.WEBS ?? 1);
const HEALTH = process.env.HEALTH === "1";
/** The health lane's thread priority (POLLER_NICE=-10: as a load balancer on another machine, decision 053). */
const POLLER_NICE = process.env.POLLER_NICE === undefined ? os.getPriority() : Number(process.env.POLLER_NICE);
/** Node options of the web process: WEB_NODE_FLAGS, else those `npm run web` gives (package.json). */
const WEB_NODE_FLAGS: string[] =
  process.env.WEB_NODE_FLAGS === undefined ? nodeOptionsOf("web") : process.env.WEB_NODE_FLAGS.split(/\s+/).filter(Boolean);

const handle = await createDb(databaseUrl);
const session = await signInAs(handle.db, "ilo_admin");
const some = await handle.db
  .selectFrom("institutions")
  .select("id")
  .where("name", "like", "Bench %")
  .orderBy("name")
  .offset(2_500)
  .executeTakeFirstOrThrow();
await handle.close();

const all = [
  "/institutions",
  "/institutions/:id",
  "/portfolio",
  "/analytics",
  "/logframe",
  "/totals",
  "/verify",
  "/notifications",
];
const wanted = process.env.PAGES?.split(",");
const pages = all.filter((p) => !wanted || wanted.includes(p));
const address = (page: string) => (page === "/institutions/:id" ? `/institutions/${some.id}` : page);

/** User + system CPU milliseconds of a process so far. */
const cpuMs = (pid: number): number => processTable().get(pid)?.cpuMs ?? 0;
/** Every PostgreSQL process's CPU time (its backends, and those ended, in the postmaster's). */
const postgresCpuMs = (): number =>
  [...processTable().values()].reduce((sum, p) => sum + (p.comm === "postgres" ? p.cpuMs : 0), 0);

const temporal = await startDevServer({ uiPort: null, dbFile: null });
const profiles = path.join(PROJECT_ROOT, ".bench", "cpu");
let webs: { child: ChildProcess; port: number; healthUrl: string | null }[] = [];

async function startWebs(page: string) {
  return Promise.all(Array.from({ length: WEBS }, (_, i) => startWeb(WEBS > 1 ? `${page}-${i + 1}` : page)));
}

async function startWeb(page: string) {
  const port = await freePort();
  const dir = path.join(profiles, page.replace(/[/:]+/g, "_"));
  if (PROFILE) mkdirSync(dir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      ...WEB_NODE_FLAGS,
      ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : []),
      "--import",
      "tsx",
      "app/server/start.ts",
      "--only=web",
    ],
    {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporal.address,
        SKIP_BUILD: "true",
        DEMO_DATA: "false",
        COOKIE_SECURE: "false",
        DATA_DIR: path.join(".bench", "page-cpu-data"),
        ...(HEALTH ? { HEALTH_PORT: "0" } : {}),
      },
    },
  );
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  while (!out.includes("(ready)")) {
    if (child.exitCode !== null) throw new Error(`The web process did not start:\n${out}`);
    await sleep(200);
  }
  const healthUrl = /Health port +(http:\/\/\S+)\/healthz/.exec(out)?.[1] ?? null;
  if (HEALTH && !healthUrl) throw new Error(`The web process printed no health port:\n${out}`);
  return { child, port, healthUrl };
}

async function stopWebs() {
  const stopping = webs;
  webs = [];
  await Promise.all(
    stopping.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await exited;
    }),
  );
}

try {
  console.log(
    `${name}, ${CONCURRENCY} concurrent, ${SECONDS} s a page${PROFILE ? ", profiled" : ""}; ${WEBS} web process${WEBS > 1 ? "es asked in turn" : ""}: ${WEB_NODE_FLAGS.join(" ") || "no Node options"}\n`,
  );
  console.log(
    `| page | requests | p50 ms | p95 ms | web CPU ms per request | PostgreSQL CPU ms per request | KB sent | web RSS peak MB |${HEALTH ? " health port p50 / p99 / max ms |" : ""}`,
  );
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${HEALTH ? " ---: |" : ""}`);
  for (const page of pages) {
    if (PROFILE || webs.length === 0) webs = await startWebs(page);
    let turn = 0;
    // As a browser asks (compressed, kept-alive sockets), each request to the next process in turn.
    const get = async () => {
      const { port } = webs[turn++ % webs.length]!;
      const res = await httpGet(`http://127.0.0.1:${port}${address(page)}`, { Cookie: session.cookie }, 60_000);
      if (res.status !== 200) throw new Error(`${page}: ${res.status}`);
      return res.bytes;
    };
    for (let i = 0; i < 5 * webs.length; i++) await get(); // the kept aggregates, the JIT
    const webCpu = () => webs.reduce((sum, w) => sum + cpuMs(w.child.pid!), 0);
    const cpuBefore = webCpu();
    const pgBefore = postgresCpuMs();
    const times: number[] = [];
    let bytes = 0;
    const until = performance.now() + SECONDS * 1000;
    let rssPeak = 0;
    const sampling = setInterval(() => {
      for (const w of webs) rssPeak = Math.max(rssPeak, rssBytes(w.child.pid!));
    }, 200);
    const lane = HEALTH
      ? pollHealth(
          webs.map((w) => w.healthUrl!),
          () => performance.now() >= until,
          50,
          POLLER_NICE,
        )
      : null;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          bytes = await get();
          times.push(performance.now() - t0);
        }
      }),
    );
    clearInterval(sampling);
    const cpu = webCpu() - cpuBefore;
    const pgCpu = postgresCpuMs() - pgBefore;
    // After the CPU readings: stopping the lane's thread is not the page's time.
    const health = lane ? await lane : null;
    times.sort((a, b) => a - b);
    console.log(
      `| ${page} | ${times.length} | ${quantile(times, 0.5).toFixed(0)} | ${quantile(times, 0.95).toFixed(0)} | ${(cpu / times.length).toFixed(1)} | ${(pgCpu / times.length).toFixed(1)} | ${(bytes / 1024).toFixed(0)} | ${(rssPeak / 2 ** 20).toFixed(0)} |${health ? ` ${health.p50.toFixed(0)} / ${health.p99.toFixed(0)} / ${health.max.toFixed(0)} (asked at nice ${health.nice})${health.notOk ? ` (${health.notOk} not 200)` : ""} |` : ""}`,
    );
    if (PROFILE) await stopWebs();
  }
} finally {
  await stopWebs();
  await temporal.stop();
}
process.exit(0);
