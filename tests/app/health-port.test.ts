import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthPort, type HealthPortOptions } from "../../app/platform/health-port.server";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { freePort } from "../../app/server/temporal-dev";
import { startApp } from "../support/app";
import { createTestDb, type TestDb } from "../support/db";
import { Cleanup, startDevTemporal, startPathwayWorker, type TemporalHandle } from "../support/temporal";

/**
 * The health port (decision 040): /healthz answered by a thread of the web process, from
 * connections of its own, while the main thread is busy. Real PostgreSQL, a real Temporal dev
 * server and a real pathway worker. No elapsed time is asserted; where the answer must come
 * within 2 s, the request itself gives up after 2 s.
 */

type Part = { ok: boolean; detail?: string };
type Body = { status: string; database: Part; temporal: Part; worker: Part; web: Part };

async function ask(url: string, init: RequestInit = {}) {
  const began = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: (text ? JSON.parse(text) : null) as Body | null,
    ms: performance.now() - began,
  };
}

/** Connections the health port's thread holds open on the database (its own application name). */
async function healthConnections(db: TestDb): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where application_name = 'pathways-health-port' and datname = current_database()`.execute(db.db);
  return rows[0].n;
}

describe("the health port", () => {
  const cleanup = new Cleanup();
  let db: TestDb;
  let temporal: TemporalHandle;
  let taskQueue: string;

  beforeAll(async () => {
    db = await createTestDb("postgres");
    cleanup.add("the database", () => db.close());
    temporal = await startDevTemporal(cleanup);
    taskQueue = (await startPathwayWorker(cleanup, { temporal, db: db.db })).taskQueue;
  });
  afterAll(cleanup.run);

  const options = (over: Partial<HealthPortOptions> = {}): HealthPortOptions => ({
    host: "127.0.0.1",
    port: 0,
    databaseUrl: db.url,
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue, settings: { TEMPORAL_TLS: false } },
    stallMs: 10_000,
    nice: os.getPriority(),
    ...over,
  });

  /** Asks until every part is up: the worker's first poll reaches Temporal within moments. */
  async function untilUp(url: string) {
    let r = await ask(`${url}/healthz`);
    for (let i = 0; i < 40 && r.status !== 200; i++) {
      await sleep(250);
      r = await ask(`${url}/healthz`);
    }
    return r;
  }

  it("answers 200 with every part up, from connections of its own; only GET and HEAD of /healthz; closes cleanly", async () => {
    const port = await startHealthPort(options());
    let closed = false;
    cleanup.add("the health port", async () => void (closed || (await port.close())));
    expect(port.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const up = await untilUp(port.url);
    console.log(`  health port, all up: ${up.status} in ${up.ms.toFixed(0)} ms`);
    expect(up.status).toBe(200);
    expect(up.headers.get("cache-control")).toBe("no-store");
    expect(up.headers.get("content-type")).toMatch(/^application\/json/);
    expect(up.body).toMatchObject({
      status: "ok",
      database: { ok: true },
      temporal: { ok: true },
      worker: { ok: true, detail: expect.stringContaining(`poller(s) on ${taskQueue}`) as unknown },
      web: { ok: true },
    });
    expect(up.body!.web.detail).toMatch(/^event loop lag \d+ ms$/);
    // Its database connection is its own, named, not one of the pages' pool.
    expect(await healthConnections(db)).toBe(1);

    const head = await ask(`${port.url}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const other = await ask(`${port.url}/institutions`);
    expect(other.status).toBe(404);
    expect(other.text).toBe("");
    const post = await ask(`${port.url}/healthz`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(post.text).toBe("");

    // Closed: the thread ends on its own (exit code 0: no server, socket or connection left
    // open to keep it), the port refuses, and the database connection is gone.
    closed = true;
    expect(await port.close()).toBe(0);
    await expect(fetch(`${port.url}/healthz`)).rejects.toThrow();
    let left = await healthConnections(db);
    for (let i = 0; i < 20 && left > 0; i++) {
      await sleep(100);
      left = await healthConnections(db);
    }
    expect(left).toBe(0);
  });

  it("runs at the priority it asks for, on its own thread only (decision 053)", async () => {
    /** A thread's nice value as the kernel shows it: field 19 of /proc/self/task/<tid>/stat. */
    const niceOf = (tid: number) =>
      Number(
        readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
          .replace(/^[^]*\) /, "")
          .split(" ")[16],
      );
    const inherited = os.getPriority();
    const mainBefore = niceOf(process.pid);

    // Lower: always allowed, so the thread takes it.
    const lower = await startHealthPort(options({ nice: Math.min(19, inherited + 3) }));
    cleanup.add("the health port (lower priority)", () => lower.close());
    expect(lower.priority.refused).toBeNull();
    expect(lower.priority.nice).toBe(Math.min(19, inherited + 3));
    expect(niceOf(lower.priority.tid!)).toBe(lower.priority.nice);
    expect(await lower.close()).toBe(0);

    // Higher (the default asks for -10): taken where the process may (CAP_SYS_NICE, RLIMIT_NICE),
    // else the thread keeps what it had and says why; either way the kernel agrees with it.
    const asked = Math.max(-20, inherited - 5);
    const higher = await startHealthPort(options({ nice: asked }));
    cleanup.add("the health port (higher priority)", () => higher.close());
    const { nice, refused, tid } = higher.priority;
    console.log(`  health port asked for nice ${asked}: ${refused ?? `runs at nice ${nice}`}`);
    expect(niceOf(tid!)).toBe(nice);
    if (refused === null) expect(nice).toBe(asked);
    else {
      expect(refused).toMatch(/CAP_SYS_NICE/);
      expect(nice).toBe(inherited);
    }
    // It still answers, and the rest of the process kept its priority.
    expect((await untilUp(higher.url)).status).toBe(200);
    expect(os.getPriority()).toBe(inherited);
    expect(niceOf(process.pid)).toBe(mainBefore);
    expect(await higher.close()).toBe(0);
  });

  it("answers 503 naming Temporal when nothing listens on Temporal's port, within 2 s", async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const port = await startHealthPort(options({ temporal: { ...options().temporal, address } }));
    cleanup.add("the health port (Temporal down)", () => port.close());
    const down = await ask(`${port.url}/healthz`);
    console.log(`  health port, Temporal down: ${down.status} in ${down.ms.toFixed(0)} ms`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: "degraded",
      database: { ok: true },
      temporal: { ok: false },
      worker: { ok: false },
      web: { ok: true },
    });
    expect(down.body!.temporal.detail).toBeTruthy();
    expect(await port.close()).toBe(0);
  });

  it("answers while the main thread is blocked, and 503 once the block outlasts the stall limit", async () => {
    const stallMs = 1_500;
    const blockMs = 3_000;
    const port = await startHealthPort(options({ stallMs }));
    cleanup.add("the health port (blocked main thread)", () => port.close());
    expect((await untilUp(port.url)).status).toBe(200);

    // The requests come from a thread of the test's own (this thread will be busy): one every
    // 100 ms, each noted with when it left and when its answer came.
    const asker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
      (async () => {
        const seen = [];
        parentPort.postMessage({ ready: true });
        const until = Date.now() + workerData.runMs;
        while (Date.now() < until) {
          const sentAt = Date.now();
          try {
            const res = await fetch(workerData.url, { signal: AbortSignal.timeout(5000) });
            const body = await res.json();
            seen.push({ sentAt, answeredAt: Date.now(), status: res.status, body });
          } catch (e) {
            seen.push({ sentAt, answeredAt: Date.now(), status: 0, error: String(e) });
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        parentPort.postMessage({ seen });
      })();`,
      { eval: true, workerData: { url: `${port.url}/healthz`, runMs: blockMs + 2_000 } },
    );
    cleanup.add("the asking thread", () => asker.terminate());
    type Seen = { sentAt: number; answeredAt: number; status: number; body?: Body; error?: string };
    const messages: { ready?: true; seen?: Seen[] }[] = [];
    const done = new Promise<Seen[]>((resolve, reject) => {
      asker.on("message", (m: { ready?: true; seen?: Seen[] }) => {
        messages.push(m);
        if (m.seen) resolve(m.seen);
      });
      asker.once("error", reject);
    });
    while (!messages.some((m) => m.ready)) await sleep(10);

    // The main thread of the process serving the port, blocked: nothing here runs until the end.
    const blockStart = Date.now();
    while (Date.now() - blockStart < blockMs) {
      // busy
    }
    const blockEnd = Date.now();
    const seen = await done;
    const during = seen.filter((s) => s.sentAt >= blockStart && s.answeredAt <= blockEnd);
    console.log(
      `  ${seen.length} asked, ${during.length} answered during the ${blockMs} ms block: ` +
        during.map((s) => `+${s.sentAt - blockStart} ms → ${s.status} (${s.body?.web.detail ?? s.error})`).join("; "),
    );

    // No beat during the block, and the last one came about 100 ms (a beat's period, plus however
    // late that timer ran) before it: an answer that arrived within 1,000 ms of the block's start
    // saw a main thread quiet for less than the 1,500 ms limit (200); one sent past 1,600 ms saw it
    // quiet for longer (503, naming the web part, everything else up).
    const early = during.filter((s) => s.answeredAt < blockStart + stallMs - 500);
    const late = during.filter((s) => s.sentAt > blockStart + stallMs + 100);
    expect(early.length).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    for (const s of early) {
      expect(s.status).toBe(200);
      expect(s.body!.web).toMatchObject({ ok: true });
    }
    for (const s of late) {
      expect(s.status).toBe(503);
      expect(s.body).toMatchObject({ status: "degraded", database: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
      expect(s.body!.web.ok).toBe(false);
      expect(s.body!.web.detail).toMatch(/^event loop lag \d+ ms: the main thread has not run for \d+ ms \(limit 1500 ms\)$/);
    }
    // Once the main thread runs again, so does its beat: 200 again.
    const after = seen.filter((s) => s.sentAt > blockEnd + 300);
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(s.status).toBe(200);
    expect(await port.close()).toBe(0);
  });
});

describe("the health port in the web process", () => {
  const cleanup = new Cleanup();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-health-port-"));
  afterAll(async () => {
    await cleanup.run();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is refused at start-up on the embedded database, naming the setting", () => {
    const res = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "app/server/start.ts"],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, SKIP_BUILD: "true", DATABASE_URL: "", HEALTH_PORT: "0", DATA_DIR: dataDir },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("HEALTH_PORT: needs DATABASE_URL (PostgreSQL)");
    expect(res.stdout).not.toContain("(ready)");
  });

  it("`npm run web` with HEALTH_PORT=0 prints the port beside the web URL, answers on it, and stops cleanly", async () => {
    const db = await createTestDb("postgres");
    cleanup.add("the database", () => db.close());
    const temporal = await startDevTemporal(cleanup);
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db: db.db });
    const app = await startApp({
      dataDir,
      args: ["--only=web"],
      env: {
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        HEALTH_PORT: "0",
        DEMO_DATA: "false",
      },
    });
    cleanup.add("the web process", () => app.stop());
    expect(app.healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.healthUrl).not.toBe(app.url);

    let r = await ask(`${app.healthUrl}/healthz`);
    for (let i = 0; i < 40 && r.status !== 200; i++) {
      await sleep(250);
      r = await ask(`${app.healthUrl}/healthz`);
    }
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", database: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
    expect(r.body!.web).toMatchObject({ ok: true });
    // The web port's /healthz keeps its answer, without the web part.
    const web = await ask(`${app.url}/healthz`);
    expect(web.status).toBe(200);
    expect(web.body).not.toHaveProperty("web");

    expect(await app.stop()).toBe(0);
    await expect(fetch(`${app.healthUrl}/healthz`)).rejects.toThrow();
    expect(app.output()).not.toMatch(/health port's thread (failed|exited)/);
  });
});
