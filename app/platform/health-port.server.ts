import type { Worker } from "node:worker_threads";
import { BEAT_EVERY_MS } from "./health.server";
import type { TemporalSettings } from "./temporal-connection";
import { startSourceThread } from "./threads.server";

/**
 * The health port (HEALTH_PORT, decision 040): `GET /healthz` answered by a thread of its own in
 * the web process, with connections of its own to PostgreSQL and Temporal, so a load balancer's
 * check never waits in the main thread's event loop behind page renders. The main thread only
 * marks, every BEAT_EVERY_MS, that it ran (a timestamp in shared memory); the thread reads it and
 * reports the main loop's lag as the `web` part, 503 once the main thread has not run for
 * `stallMs` (a wedged process is taken out of rotation).
 */

export interface HealthPortOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** A postgres:// URL: the thread opens its own connection (PGlite lives in the main thread: refused in config.ts). */
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string; settings: TemporalSettings };
  /** The main thread not having run for longer than this is a 503 (HEALTH_STALL_MS). */
  stallMs: number;
  /** The nice value the thread asks for (HEALTH_NICE, decision 053); its own, on Linux only. */
  nice: number;
}

/** The priority the thread runs at: what it asked for, or why it kept the one it had. */
export interface HealthThreadPriority {
  /** Its nice value, as the kernel reports it once the thread has asked. */
  nice: number;
  /** Why the asked-for value was not taken (null: taken, or already the thread's). */
  refused: string | null;
  /** The thread's id in /proc/self/task (null off Linux). */
  tid: number | null;
}

/** What the thread is given (plain data, and the shared heartbeat). */
export interface HealthThreadData extends HealthPortOptions {
  /** One BigInt64: Date.now() of the main thread's last beat. */
  beats: SharedArrayBuffer;
}

export type HealthThreadMessage =
  { type: "listening"; port: number; priority: HealthThreadPriority } | { type: "failed"; message: string } | { type: "stopped" };

export interface HealthPort {
  port: number;
  /** The thread's scheduling priority (decision 053). */
  priority: HealthThreadPriority;
  /** http://host:port, as the web URL is shown. */
  url: string;
  /**
   * Closes the port and the thread's connections; resolves with the thread's exit code: 0 when it
   * ended on its own, having closed everything, 1 when it had to be ended after CLOSE_GRACE_MS.
   */
  close(): Promise<number>;
}

/** How long a closing thread may take to close its server and connections before it is ended. */
const CLOSE_GRACE_MS = 5_000;

export async function startHealthPort(opts: HealthPortOptions): Promise<HealthPort> {
  const beats = new SharedArrayBuffer(8);
  const lastBeat = new BigInt64Array(beats);
  const beat = () => Atomics.store(lastBeat, 0, BigInt(Date.now()));
  beat();
  // Never keeps the process alive: it only says the loop ran.
  const heartbeat = setInterval(beat, BEAT_EVERY_MS).unref();

  const data: HealthThreadData = { ...opts, beats };
  let worker: Worker;
  try {
    worker = startSourceThread("health-thread.ts", { workerData: data });
  } catch (e) {
    clearInterval(heartbeat);
    throw e;
  }
  let closing = false;
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));

  let listening: { port: number; priority: HealthThreadPriority };
  try {
    listening = await new Promise((resolve, reject) => {
      const onMessage = (m: HealthThreadMessage) => {
        if (m.type === "listening") resolve(m);
        else if (m.type === "failed") reject(new Error(m.message));
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      void exited.then((code) => reject(new Error(`its thread exited with ${code} before it listened`)));
    });
  } catch (e) {
    clearInterval(heartbeat);
    await worker.terminate();
    throw new Error(`The health port could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Serving from here on: a failure of the thread is said out loud (the port stops answering, and
  // a load balancer takes the process out of rotation).
  worker.on("error", (e) => console.error("The health port's thread failed:", e));
  void exited.then((code) => {
    clearInterval(heartbeat);
    if (!closing) console.error(`The health port's thread exited with ${code}: the health port no longer answers.`);
  });
  worker.unref();

  const shown = opts.host === "0.0.0.0" || opts.host === "::" ? "localhost" : opts.host;
  const { port, priority } = listening;
  return {
    port,
    priority,
    url: `http://${shown}:${port}`,
    async close() {
      if (closing) return exited;
      closing = true;
      clearInterval(heartbeat);
      // The thread closes its server and its connections, then ends; one that does not is ended.
      worker.postMessage({ type: "stop" });
      const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
