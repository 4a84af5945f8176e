import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { freePort, startDevServer, type DevServer } from "../../app/server/temporal-dev";
import { startApp, type RunningApp } from "../support/app";
import { createTestDb, type TestDb } from "../support/db";

const tsx = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function runStart(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [tsx, "app/server/start.ts", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SKIP_BUILD: "true", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("start-up refuses bad configuration", () => {
  it("names the bad setting and exits without starting anything", () => {
    const res = runStart([], { PORT: "eighty", DATABASE_URL: "mysql://nope" });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("PORT:");
    expect(res.stderr).toContain("DATABASE_URL: must be a postgres:// URL");
    expect(res.stdout).not.toContain("(ready)");
  });

  it("asks for a PostgreSQL server before running one role per process", () => {
    const res = runStart(["--only=web"], {});
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("DATABASE_URL: required with --only=web");
  });
});

async function health(url: string) {
  const res = await fetch(`${url}/healthz`);
  return {
    status: res.status,
    body: (await res.json()) as Record<string, { ok: boolean; detail?: string }> & { status: string },
  };
}

describe("production topology: web and worker processes on one PostgreSQL and one Temporal", () => {
  let db: TestDb;
  let temporal: DevServer;
  const apps: RunningApp[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-topology-"));

  beforeAll(async () => {
    db = await createTestDb("postgres");
    temporal = await startDevServer({ port: await freePort(), uiPort: null, dbFile: null });
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await temporal?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a web process alone answers 503 on /healthz; once a worker polls, 200", async () => {
    const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: "topology-test" };
    const web = await startApp({ dataDir, env, args: ["--only=web"] });
    apps.push(web);
    const before = await health(web.url);
    expect(before.status).toBe(503);
    expect(before.body.database.ok).toBe(true);
    expect(before.body.temporal.ok).toBe(true);
    expect(before.body.worker).toMatchObject({ ok: false, detail: "no worker is polling task queue topology-test" });

    const worker = await startApp({ dataDir, env, args: ["--only=worker"], readyPattern: /Temporal\s+\S+ \(namespace/ });
    apps.push(worker);
    let after = await health(web.url);
    for (let i = 0; i < 50 && after.status !== 200; i++) {
      await sleep(200);
      after = await health(web.url);
    }
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: "ok", worker: { ok: true } });
  });
});
