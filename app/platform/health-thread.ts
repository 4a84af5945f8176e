import { Client, Connection } from "@temporalio/client";
import { readlinkSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { createPingPool } from "../../db/ping";
import { answerOf, CHECK_TIMEOUT_MS, checkParts, mainLoopHealth } from "./health.server";
import type { HealthThreadData, HealthThreadMessage, HealthThreadPriority } from "./health-port.server";
import { temporalConnectionOptions } from "./temporal-connection";

/**
 * The health port's thread (./health-port.server.ts, decision 040): a small HTTP server answering
 * `GET /healthz` (and HEAD) from connections of its own, with the checks of /healthz
 * (./health.server.ts) plus the main thread's liveness. Nothing here waits on the main thread.
 */

const data = workerData as HealthThreadData;

/**
 * Asks the kernel for `nice` for this thread (decision 053). On Linux a nice value belongs to a
 * thread, and `os.setPriority(n)` changes the calling thread only; elsewhere it would change the
 * whole web process, so nothing is asked. Lowering is always allowed; raising needs a privilege,
 * and without it the thread keeps what it had and says why.
 */
function takePriority(nice: number): HealthThreadPriority {
  const had = os.getPriority();
  if (process.platform !== "linux")
    return { nice: had, refused: `a thread's own priority is a Linux feature (this is ${process.platform})`, tid: null };
  let tid: number | null = null;
  try {
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop()) || null;
  } catch {
    // No /proc: the priority is still asked for, only not located.
  }
  if (had === nice) return { nice, refused: null, tid };
  try {
    os.setPriority(nice);
    return { nice: os.getPriority(), refused: null, tid };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      nice: os.getPriority(),
      refused: `${why}; raising a thread's priority needs CAP_SYS_NICE or a RLIMIT_NICE that allows it (systemd LimitNICE=, docker --cap-add SYS_NICE)`,
      tid,
    };
  }
}
// First, before any connection: whatever the thread does from here on runs at that priority.
const priority = takePriority(data.nice);
const lastBeat = new BigInt64Array(data.beats);
const say = (m: HealthThreadMessage) => parentPort!.postMessage(m);

const database = createPingPool(data.databaseUrl, {
  applicationName: "pathways-health-port",
  statementTimeoutMs: CHECK_TIMEOUT_MS,
  connectTimeoutMs: CHECK_TIMEOUT_MS,
});
// Lazy: a Temporal down at start-up is a 503 on the port, not a port that never opens. Without the
// SDK's retry interceptor: a check reports what it finds now (the gRPC error itself, e.g.
// "UNAVAILABLE … ECONNREFUSED"), and a retry's timer cannot outlive the connection when the thread
// closes it (a retry that fires after close() throws "Channel has been shut down" from a timer).
const connection = Connection.lazy({
  ...temporalConnectionOptions(data.temporal.settings, data.temporal.address),
  interceptors: [],
});
const temporal = new Client({ connection, namespace: data.temporal.namespace });

async function answer() {
  const health = await checkParts({
    pingDatabase: database.ping,
    temporal,
    namespace: data.temporal.namespace,
    taskQueue: data.temporal.taskQueue,
  });
  // Read when the answer leaves: the main loop as it is now, not as it was when the checks began.
  return answerOf(health, mainLoopHealth(Number(Atomics.load(lastBeat, 0)), Date.now(), data.stallMs));
}

/** An answer with no body: the only address here is /healthz, and it is only read. */
function empty(res: http.ServerResponse, status: number, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...headers, "Content-Length": "0", "Cache-Control": "no-store" }).end();
}

const server = http.createServer((req, res) => {
  const pathname = (req.url ?? "").split("?")[0];
  if (pathname !== "/healthz") return empty(res, 404);
  if (req.method !== "GET" && req.method !== "HEAD") return empty(res, 405, { Allow: "GET, HEAD" });
  answer().then(
    ({ status, body }) => {
      const json = JSON.stringify(body);
      res.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": String(Buffer.byteLength(json)),
        "Cache-Control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : json);
    },
    (e: unknown) => {
      // The checks catch their own failures; this is a fault of the thread itself.
      console.error("The health port could not answer:", e);
      empty(res, 500);
    },
  );
});
// A client that sends its request slowly, or keeps a connection open, holds nothing for long.
server.requestTimeout = 5_000;
server.headersTimeout = 5_000;

server.once("error", (e) => say({ type: "failed", message: e.message }));
server.listen(data.port, data.host, () => {
  server.on("error", (e) => console.error("The health port failed:", e));
  say({ type: "listening", port: (server.address() as { port: number }).port, priority });
  // The first check opens the database and Temporal connections: done now, not on the load
  // balancer's first poll (which would otherwise wait for both, about 130 ms).
  answer().catch(() => undefined);
});

let stopping = false;
parentPort!.on("message", (m: { type: string }) => {
  if (m.type !== "stop" || stopping) return;
  stopping = true;
  void (async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    await Promise.allSettled([database.close(), connection.close()]);
    say({ type: "stopped" });
    // Nothing left to wait for: the thread ends.
    parentPort!.close();
  })();
});
