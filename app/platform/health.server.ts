import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import { pingDatabase } from "../../db/queries/health";
import type { Database } from "../../db/schema";

/**
 * The checks behind /healthz. Each part gets at most `CHECK_TIMEOUT_MS`, so the answer comes
 * within about a second whatever is down (load balancers give up after a few seconds). The
 * Temporal checks are remembered for `TEMPORAL_CACHE_MS`, and requests that arrive while a check
 * runs share it: a load balancer polling every second costs Temporal one call every few seconds.
 * Past that, up to `TEMPORAL_STALE_MS`, the last answer is given at once while a fresh check runs
 * behind it: no poll waits for Temporal's round trip (tens of milliseconds, the slowest part of a
 * healthy answer), and none reports an answer older than that. The database check is remembered
 * the same way for a shorter time (`DATABASE_CACHE_MS`, then up to `DATABASE_STALE_MS`): on a
 * server busy with twenty pages' statements, a ping waited its turn behind them (decision 043).
 */

export const CHECK_TIMEOUT_MS = 1_000;
export const TEMPORAL_CACHE_MS = 3_000;
export const TEMPORAL_STALE_MS = 10_000;
export const DATABASE_CACHE_MS = 1_000;
export const DATABASE_STALE_MS = 5_000;
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

type TemporalParts = { server: PartHealth; worker: PartHealth };

interface Remembered<T> {
  /** When the check began. */
  at: number;
  result: Promise<T>;
  /** Its answer, once it has one. */
  settled?: T;
}

/** Per key: the latest check, and the one refreshing it in the background. */
type Slot<T> = { latest: Remembered<T>; refreshing: Remembered<T> | null };

/**
 * `run()`'s answer, remembered per `key`: shared for `freshMs` after its check began; past that, up
 * to `staleMs`, given at once while one fresh check runs behind it; older, the caller waits for a
 * new check. `run` never rejects (each check catches its own failure).
 */
function remembered<T>(
  slots: WeakMap<object, Slot<T>>,
  key: object,
  windows: { freshMs: number; staleMs: number },
  run: () => Promise<T>,
  now: number,
): Promise<T> {
  const slot = slots.get(key);
  const begin = (): Remembered<T> => {
    const check: Remembered<T> = { at: now, result: run() };
    void check.result.then((answer) => {
      check.settled = answer;
      const current = slots.get(key);
      if (current && current.refreshing === check) slots.set(key, { latest: check, refreshing: null });
    });
    return check;
  };
  if (slot && now - slot.latest.at < windows.freshMs) return slot.latest.result;
  if (slot?.latest.settled && now - slot.latest.at < windows.staleMs) {
    if (!slot.refreshing) slot.refreshing = begin();
    return Promise.resolve(slot.latest.settled);
  }
  if (slot?.refreshing) return slot.refreshing.result;
  const check = begin();
  slots.set(key, { latest: check, refreshing: null });
  return check.result;
}

const temporalChecks = new WeakMap<object, Slot<TemporalParts>>();
const databaseChecks = new WeakMap<object, Slot<PartHealth>>();

/** The Temporal checks of each client, remembered (TEMPORAL_CACHE_MS, TEMPORAL_STALE_MS). */
export function cachedTemporal(temporal: Client, namespace: string, taskQueue: string, now = Date.now()): Promise<TemporalParts> {
  return remembered(
    temporalChecks,
    temporal,
    { freshMs: TEMPORAL_CACHE_MS, staleMs: TEMPORAL_STALE_MS },
    () => checkTemporal(temporal, namespace, taskQueue),
    now,
  );
}

/**
 * The database check of each ping function, remembered (DATABASE_CACHE_MS, DATABASE_STALE_MS):
 * a poll answers from memory, without waiting for a round trip behind the pages' statements on a
 * busy server, and the answer it gives is never older than DATABASE_STALE_MS.
 */
export function cachedDatabase(ping: () => Promise<void>, now = Date.now()): Promise<PartHealth> {
  return remembered(
    databaseChecks,
    ping,
    { freshMs: DATABASE_CACHE_MS, staleMs: DATABASE_STALE_MS },
    () =>
      check("The database", async () => {
        await ping();
        return true;
      }),
    now,
  );
}

/** How often the web process's main thread marks that it ran, for the health port (./health-port.server.ts). */
export const BEAT_EVERY_MS = 100;

/**
 * The main thread's event loop as another thread sees it: `lastBeat` is when the main thread last
 * marked that it ran (every BEAT_EVERY_MS while it is free). The lag is how late the next mark is;
 * past `stallMs` without a mark the process is wedged (a loop that never yields, a long
 * synchronous task) and is taken out of rotation.
 */
export function mainLoopHealth(lastBeat: number, now: number, stallMs: number): PartHealth {
  const since = Math.max(0, now - lastBeat);
  const lag = Math.max(0, Math.round(since - BEAT_EVERY_MS));
  if (since > stallMs)
    return {
      ok: false,
      detail: `event loop lag ${lag} ms: the main thread has not run for ${Math.round(since)} ms (limit ${stallMs} ms)`,
    };
  return { ok: true, detail: `event loop lag ${lag} ms` };
}

/**
 * What the checks need: a round trip to the database and a Temporal client with the namespace and
 * task queue to look at. The web process's `/healthz` passes its own (checkHealth below); the
 * health port's thread passes connections of its own (./health-thread.ts), so both answer from
 * this one implementation.
 */
export interface HealthChecks {
  pingDatabase: () => Promise<void>;
  temporal: Client;
  namespace: string;
  taskQueue: string;
}

export async function checkParts(checks: HealthChecks): Promise<Health> {
  const [database, t] = await Promise.all([
    cachedDatabase(checks.pingDatabase),
    cachedTemporal(checks.temporal, checks.namespace, checks.taskQueue),
  ]);
  return { ok: database.ok && t.server.ok && t.worker.ok, database, temporal: t.server, worker: t.worker };
}

/** The checks of the web process's `/healthz`: over `pingDatabase` when given, else through the pool. */
export async function checkHealth(ctx: {
  db: Kysely<Database>;
  pingDatabase?: () => Promise<void>;
  temporal: Client;
  config: { TEMPORAL_NAMESPACE: string; TEMPORAL_TASK_QUEUE: string };
}): Promise<Health> {
  return checkParts({
    pingDatabase: ctx.pingDatabase ?? (() => pingDatabase(ctx.db)),
    temporal: ctx.temporal,
    namespace: ctx.config.TEMPORAL_NAMESPACE,
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
  });
}

/**
 * The answer: 200 when every part is up, 503 naming what is not. The health port adds `web`, the
 * main thread's event loop as its thread sees it (./health-port.server.ts).
 */
export function answerOf(health: Health, web?: PartHealth) {
  const { database, temporal, worker } = health;
  const ok = health.ok && (web?.ok ?? true);
  return {
    status: ok ? 200 : 503,
    body: { status: ok ? "ok" : "degraded", database, temporal, worker, ...(web ? { web } : {}) },
  };
}

/** The answer of /healthz. */
export async function healthAnswer(ctx: Parameters<typeof checkHealth>[0]) {
  return answerOf(await checkHealth(ctx));
}
