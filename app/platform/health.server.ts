import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import { pingDatabase } from "../../db/queries/health";
import type { Database } from "../../db/schema";

/**
 * The checks behind /healthz. Each part gets at most `CHECK_TIMEOUT_MS`, so the answer comes
 * within about a second whatever is down (load balancers give up after a few seconds). The
 * Temporal checks are remembered for `TEMPORAL_CACHE_MS`, and requests that arrive while a check
 * runs share it: a load balancer polling every second costs Temporal one call every few seconds.
 */

export const CHECK_TIMEOUT_MS = 1_000;
export const TEMPORAL_CACHE_MS = 3_000;
/** A worker whose last poll is older than this is not counted. */
const POLLER_RECENT_S = 120;

export interface PartHealth {
  ok: boolean;
  detail?: string;
}

export interface Health {
  ok: boolean;
  database: PartHealth;
  temporal: PartHealth;
  worker: PartHealth;
}

class TimedOut extends Error {}

/** `fn`'s result, or a rejection after `ms` if it has not settled by then. */
export function withTimeout<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([fn(), timeout]).finally(() => clearTimeout(timer));
}

async function check(what: string, fn: () => Promise<string | true>): Promise<PartHealth> {
  try {
    const r = await withTimeout(what, CHECK_TIMEOUT_MS, fn);
    return r === true ? { ok: true } : { ok: true, detail: r };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

async function checkTemporal(temporal: Client, namespace: string, taskQueue: string) {
  // The gRPC deadline ends the call itself; the timeout around it answers even if it does not.
  const deadline = () => Date.now() + CHECK_TIMEOUT_MS;
  const [server, worker] = await Promise.all([
    check("Temporal", async () => {
      await temporal.withDeadline(deadline(), () => temporal.workflowService.getSystemInfo({}));
      return namespace;
    }),
    check("Temporal (task queue)", async () => {
      const res = await temporal.withDeadline(deadline(), () =>
        temporal.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: 1, // workflow tasks
        }),
      );
      const recent = (res.pollers ?? []).filter(
        (p) => Date.now() / 1000 - Number(p.lastAccessTime?.seconds ?? 0) < POLLER_RECENT_S,
      );
      if (recent.length === 0) throw new Error(`no worker is polling task queue ${taskQueue}`);
      return `${recent.length} poller(s) on ${taskQueue}`;
    }),
  ]);
  return { server, worker };
}

const temporalCache = new WeakMap<Client, { at: number; result: Promise<{ server: PartHealth; worker: PartHealth }> }>();

function cachedTemporal(temporal: Client, namespace: string, taskQueue: string) {
  const cached = temporalCache.get(temporal);
  if (cached && Date.now() - cached.at < TEMPORAL_CACHE_MS) return cached.result;
  const result = checkTemporal(temporal, namespace, taskQueue);
  temporalCache.set(temporal, { at: Date.now(), result });
  return result;
}

export async function checkHealth(ctx: {
  db: Kysely<Database>;
  pingDatabase?: () => Promise<void>;
  temporal: Client;
  config: { TEMPORAL_NAMESPACE: string; TEMPORAL_TASK_QUEUE: string };
}): Promise<Health> {
  const [database, t] = await Promise.all([
    check("The database", async () => {
      await (ctx.pingDatabase ? ctx.pingDatabase() : pingDatabase(ctx.db));
      return true;
    }),
    cachedTemporal(ctx.temporal, ctx.config.TEMPORAL_NAMESPACE, ctx.config.TEMPORAL_TASK_QUEUE),
  ]);
  return { ok: database.ok && t.server.ok && t.worker.ok, database, temporal: t.server, worker: t.worker };
}

/** The answer of /healthz: 200 when every part is up, 503 naming what is not. */
export async function healthAnswer(ctx: Parameters<typeof checkHealth>[0]) {
  const { ok, database, temporal, worker } = await checkHealth(ctx);
  return { status: ok ? 200 : 503, body: { status: ok ? "ok" : "degraded", database, temporal, worker } };
}
