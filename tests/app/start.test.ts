import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Client, Connection } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathwayStateQuery, pathwayWorkflowId } from "../../workflows/shared";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { startDevServer, type DevServer } from "../../app/server/temporal-dev";
import { sql } from "kysely";
import { createDb } from "../../db/create-db";
import { RECONCILE_LOCK } from "../../app/server/reconcile";
import { startApp, type RunningApp } from "../support/app";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs } from "../support/session";
import { makeInstitution } from "../support/temporal";
import { TEMPORAL_CONNECT_TIMEOUT } from "../support/temporal-connect";

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
    temporal = await startDevServer({ uiPort: null, dbFile: null });
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

  it("two webs and two workers: reports sent through both webs, each taken exactly once", { timeout: 240_000 }, async () => {
    const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: "topology-test" };
    // The first web and worker run from the test above; a second of each joins them.
    const web2 = await startApp({ dataDir, env, args: ["--only=web"] });
    apps.push(web2);
    // While another process starts the pathways (it holds the lock), the joining worker leaves them to it.
    const holder = await createDb(db.url);
    let worker2: RunningApp;
    try {
      await holder.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${RECONCILE_LOCK}) as got`.execute(conn);
        expect(rows[0].got).toBe(true);
        worker2 = await startApp({ dataDir, env, args: ["--only=worker"], readyPattern: /Temporal\s+\S+ \(namespace/ });
        apps.push(worker2);
        for (let i = 0; i < 100 && !/Another worker is starting the pathways/.test(worker2.output()); i++) await sleep(100);
        expect(worker2.output()).toMatch(/Another worker is starting the pathways/);
        expect(worker2.output()).not.toMatch(/pathways started in/);
        await sql`select pg_advisory_unlock(${RECONCILE_LOCK})`.execute(conn);
      });
    } finally {
      await holder.close();
    }
    const [web1] = apps;
    expect(web1.url).not.toBe(web2.url);

    const institutionId = await makeInstitution(db.db, { mouSignedOn: "2024-01-15" });
    const session = await signInAs(db.db, "ilo_admin");
    const send = (url: string, reportId: string) =>
      fetch(`${url}/institutions/${institutionId}/report?kind=score_in_portfolio`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          csrf: session.csrf,
          intent: "send",
          reportId,
          kind: "score_in_portfolio",
          "payload.listedOn": "2025-01-15",
        }),
      });
    // Eight reports; each sent through both webs at once, as a user clicking twice behind a
    // load balancer would.
    const reportIds = Array.from({ length: 8 }, () => crypto.randomUUID());
    const answers = await Promise.all(reportIds.flatMap((id) => [send(web1.url, id), send(web2.url, id)]));
    for (const res of answers) expect(res.status, await res.clone().text()).toBe(302);

    const rows = await db.db
      .selectFrom("milestone_reports")
      .select(["id", "status"])
      .where("institution_id", "=", institutionId)
      .execute();
    expect(rows.map((r) => r.id).sort()).toEqual([...reportIds].sort());
    expect(rows.every((r) => r.status === "submitted")).toBe(true);
    const audits = await db.db
      .selectFrom("audit_log")
      .select("entity_id")
      .where("action", "=", "report.submitted")
      .where("entity_id", "in", reportIds)
      .execute();
    expect(audits).toHaveLength(reportIds.length);

    const connection = await Connection.connect({ address: temporal.address, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
    try {
      const state = await new Client({ connection }).workflow
        .getHandle(pathwayWorkflowId(institutionId))
        .query(pathwayStateQuery);
      expect([...state.pendingReports].sort()).toEqual([...reportIds].sort());
    } finally {
      await connection.close();
    }
  });
});
