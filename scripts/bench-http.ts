/**
 * The bench's HTTP client: what a load generator should cost, next to the app it measures on the
 * same two cores. `fetch` (undici) spent 1.3–3.9 ms of the bench's CPU per page request — a
 * sixth of the machine while `/institutions` ran — decompressing and parsing every answer; here a
 * page is asked as a browser asks it (`Accept-Encoding: gzip, deflate, br`, the session cookie)
 * over kept-alive sockets and its bytes are counted, not decoded. `/healthz` pollers run on a
 * thread of their own, so what they time is the app's answer, not the wait behind the load
 * generator's own event loop (a load balancer polls from another machine).
 */
import http from "node:http";
import os from "node:os";
import { Worker } from "node:worker_threads";

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One GET: the status and the bytes on the wire (compressed, as sent). A kept-alive socket the
 * server closed as it was reused (its idle timeout and the request crossing) is asked again once
 * on a new one, as browsers do for a GET; any other failure counts.
 */
export async function httpGet(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; bytes: number }> {
  try {
    return await getOnce(url, headers, timeoutMs);
  } catch (e) {
    if (!(e instanceof ReusedSocketClosed)) throw e;
    return getOnce(url, headers, timeoutMs);
  }
}

class ReusedSocketClosed extends Error {}

function getOnce(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: { "Accept-Encoding": "gzip, deflate, br", ...headers }, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", reject);
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && e.code === "ECONNRESET" ? new ReusedSocketClosed(e.message) : e),
    );
  });
}

/** The value below which a share `q` of the sorted values lie (NaN for none). */
export const quantile = (sorted: number[], q: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;

/** What one lane asking `/healthz` every `everyMs` saw: latency of every answer (or failure). */
export interface HealthResult {
  n: number;
  notOk: number;
  p50: number;
  p99: number;
  max: number;
  firstProblem?: string;
  /** The poller thread's nice value while it asked, and why not the one asked for (null: taken). */
  nice: number;
  refused: string | null;
}

// Plain JavaScript: the thread is started from source, not through the TypeScript loader.
const POLLER = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { urls, everyMs, nice } = workerData;
// A nice value belongs to a thread on Linux: this one only (decision 053).
const os = require("node:os");
let refused = null;
if (nice !== os.getPriority()) {
  try { os.setPriority(nice); } catch (e) { refused = e.message; }
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stopped = false;
parentPort.on("message", () => (stopped = true));
const once = (url) => new Promise((resolve) => {
  const req = http.get(url, { agent, signal: AbortSignal.timeout(10000) }, (res) => {
    res.resume();
    res.on("end", () => resolve(res.statusCode === 200 ? null : "HTTP " + res.statusCode));
    res.on("error", (e) => resolve(e.message));
  });
  req.on("error", (e) => resolve(e.message));
});
(async () => {
  const times = [];
  let notOk = 0;
  let firstProblem;
  for (let k = 0; !stopped; k++) {
    const t0 = performance.now();
    const problem = await once(urls[k % urls.length] + "/healthz");
    if (problem) { notOk++; firstProblem ??= problem; }
    const took = performance.now() - t0;
    times.push(took);
    if (took < everyMs) await new Promise((r) => setTimeout(r, everyMs - took));
  }
  parentPort.postMessage({ times, notOk, firstProblem, nice: os.getPriority(), refused });
})();
`;

/**
 * One lane: `/healthz` of each web process in turn, one request every `everyMs` (the next leaves
 * `everyMs` after the previous left, or at once when that one took longer), on its own thread,
 * until `stop()` says. A failure counts with the time it took (a timeout: 10 s). `nice`: the
 * thread's scheduling priority (Linux; below the process's needs CAP_SYS_NICE). At -10 the lane
 * stands in for a load balancer on another machine: it does not wait for one of these cores
 * itself, so what it times is the app's answer (decision 053).
 */
export async function pollHealth(
  urls: string[],
  stop: () => boolean,
  everyMs = 50,
  nice = os.getPriority(),
): Promise<HealthResult> {
  const worker = new Worker(POLLER, { eval: true, workerData: { urls, everyMs, nice } });
  const done = new Promise<{ times: number[]; notOk: number; firstProblem?: string; nice: number; refused: string | null }>(
    (resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    },
  );
  while (!stop()) await new Promise((r) => setTimeout(r, 20));
  worker.postMessage("stop");
  const { times, notOk, firstProblem, nice: took, refused } = await done;
  await worker.terminate();
  times.sort((a, b) => a - b);
  return {
    n: times.length,
    notOk,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    max: times.at(-1) ?? NaN,
    firstProblem,
    nice: took,
    refused,
  };
}
