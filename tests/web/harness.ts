import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { Client, Connection } from "@temporalio/client";
import { DefaultLogger, NativeConnection, Runtime, type Worker } from "@temporalio/worker";
import { randomUUID } from "node:crypto";
import { parseConfig } from "../../app/platform/config";
import { startDevServer } from "../../app/server/temporal-dev";
import { createPathwayWorker } from "../../workflows/worker";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";
import { TEMPORAL_CONNECT_TIMEOUT } from "../support/temporal-connect";

/**
 * The web app's write side against real parts: a PGlite database, a `temporal server start-dev`
 * on a free port and a pathway worker on a task queue of its own. Loaders and actions are
 * called directly with the context the web server would give them.
 */

export interface WebHarness {
  db: TestDb;
  context: AppLoadContext;
  /** The ILO administrator every request is sent as, unless it carries a cookie of its own. */
  session: TestSession;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
let session: TestSession | null = null;
/** The SDK logs to console.error by default, which the test setup counts as a failure. */
function quietTemporalLogs() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger("WARN", (e) => console.warn(`[temporal ${e.level}] ${e.message}`)) });
}

export async function startHarness(): Promise<WebHarness> {
  quietTemporalLogs();
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  // Every part started is stopped, last first, even when a later start or a test fails.
  const stop = async () => {
    const errors: string[] = [];
    for (const s of stops.splice(0).reverse()) {
      try {
        await s.stop();
      } catch (e) {
        errors.push(`${s.name}: ${String(e)}`);
      }
    }
    if (errors.length) throw new Error(`Stopping the harness failed:\n${errors.join("\n")}`);
  };
  try {
    const db = await createTestDb("pglite");
    stops.push({ name: "database", stop: () => db.close() });
    const server = await startDevServer({ uiPort: null, dbFile: null });
    stops.push({ name: "Temporal dev server", stop: () => server.stop() });
    const connection = await Connection.connect({ address: server.address, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
    stops.push({ name: "client connection", stop: () => connection.close() });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    stops.push({ name: "worker connection", stop: () => nativeConnection.close() });

    const taskQueue = `web-test-${randomUUID().slice(0, 8)}`;
    const evidenceDir = await mkdtemp(path.join(os.tmpdir(), "pathways-evidence-"));
    stops.push({ name: "evidence folder", stop: () => rm(evidenceDir, { recursive: true, force: true }) });
    const config = parseConfig({ TEMPORAL_TASK_QUEUE: taskQueue, EVIDENCE_DIR: evidenceDir });
    const worker: Worker = await createPathwayWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      db: db.db,
    });
    const running = worker.run();
    running.catch(() => {}); // a worker that dies fails the test waiting on it
    stops.push({
      name: "worker",
      stop: async () => {
        if (worker.getState() === "RUNNING") worker.shutdown();
        await running;
      },
    });

    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const context = { db: db.db, temporal, config, temporalUiUrl: null, clientIp: "127.0.0.1" } as AppLoadContext;
    session = await signInAs(db.db, "ilo_admin", { name: "Test ILO administrator" });
    return { db, context, session, stop };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

export const BASE = "http://pathways.test";

/** A POST of these fields, as the browser sends a form. */
export function post(path: string, fields: Record<string, string>): Request {
  const body = new URLSearchParams(fields);
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

export function get(path: string): Request {
  return new Request(`${BASE}${path}`);
}

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;

/**
 * Calls a loader or action the way Remix does and hands back the Response, whether it was
 * returned or thrown (404s and redirects are thrown).
 */
export async function call(
  handler: Handler,
  request: Request,
  params: Record<string, string>,
  context: AppLoadContext,
): Promise<Response> {
  if (session && !request.headers.has("Cookie")) request = await asSession(request, session);
  try {
    const res = await handler({ request, params, context });
    if (!(res instanceof Response)) throw new Error(`Expected a Response, got ${JSON.stringify(res)}`);
    return res;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

/** The notice a redirect leaves for the next page (in the one-time flash cookie). */
export function noticeOf(res: Response): string | null {
  const flash = res.headers
    .getSetCookie()
    .map((c) => /^pathways_flash=([^;]+)/.exec(c)?.[1])
    .find(Boolean);
  if (!flash) return null;
  // The cookie is `<payload>.<signature>`; the test reads the payload the server signed.
  const payload = flash.split(".")[0];
  return (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { notice: string | null }).notice;
}
