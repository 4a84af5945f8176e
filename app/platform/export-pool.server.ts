import type { Worker } from "node:worker_threads";
import { checkImportFile, type ImportCheckJob, type ImportCheckResult } from "~/features/import/import.server";
import { exportJob, type ExportJob } from "./export-jobs";
import { startSourceThread } from "./threads.server";

/**
 * A few threads that make export files (PDF, XLSX, big CSV) off the request path (decision 037):
 * the request loads its data and checks access as before, then hands the data to an export
 * thread, so one user's logframe PDF no longer holds the event loop every other page waits on.
 *
 * Bounded both ways: `threads` threads (EXPORT_THREADS), each making one file at a time, and at
 * most `queue` files waiting (EXPORT_QUEUE). Beyond that the request is answered 503 with
 * Retry-After — the server is busy, the user may try again — never queued without limit.
 * `threads: 0` makes files on the request path as before (for comparison, and for a process that
 * cannot start threads).
 */

export interface ExportPoolOptions {
  threads: number;
  queue: number;
  /** Seconds a refused request is told to wait. */
  retryAfterSeconds?: number;
}

export interface ExportPool {
  /** An export file's bytes. */
  run(job: ExportJob): Promise<Uint8Array<ArrayBuffer>>;
  /** An uploaded import file read and checked (the dry run's CPU part). */
  check(job: ImportCheckJob): Promise<ImportCheckResult>;
  /** Files being made and files waiting, for tests and the benchmark. */
  load(): { running: number; waiting: number };
  close(): Promise<void>;
}

type Job = ExportJob | ImportCheckJob;

interface Pending {
  job: Job;
  resolve(result: unknown): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  current: (Pending & { id: number }) | null;
}

/** The busy answer: a 503 the browser shows as it is, with when to try again. */
export function exportBusy(retryAfterSeconds: number): Response {
  return new Response("The server is making other export files. Try again in a few seconds.", {
    status: 503,
    headers: {
      "Retry-After": String(retryAfterSeconds),
      "Cache-Control": "no-store",
      "Content-Type": "text/plain; charset=utf-8",
    },
  });
}

export function createExportPool(opts: ExportPoolOptions): ExportPool {
  const retryAfter = opts.retryAfterSeconds ?? 5;
  const slots: Slot[] = [];
  const waiting: Pending[] = [];
  let inline = 0;
  let nextId = 1;
  let closed = false;

  const start = (): Slot => {
    // Its source found next to the pool or under the project, run through tsx (./threads.server.ts).
    const worker = startSourceThread("export-worker.ts");
    // An idle thread does not keep the process alive; a request waiting on it keeps the server's own handles.
    worker.unref();
    const slot: Slot = { worker, current: null };
    worker.on("message", (msg: { id: number; result?: unknown; error?: string }) => {
      const job = slot.current;
      if (!job || job.id !== msg.id) return;
      slot.current = null;
      if (msg.error === undefined) job.resolve(msg.result);
      else job.reject(new Error(`The export thread failed: ${msg.error}`));
      next();
    });
    const lost = (e: unknown) => {
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      slot.current?.reject(e instanceof Error ? e : new Error(`The export thread stopped: ${String(e)}`));
      slot.current = null;
      if (!closed) next();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`The export thread exited with ${code}`)));
    slots.push(slot);
    return slot;
  };

  const next = () => {
    while (waiting.length) {
      let slot = slots.find((s) => !s.current);
      if (!slot && slots.length < opts.threads) {
        try {
          slot = start();
        } catch (e) {
          // No thread can start (its source or tsx missing): every waiting job fails, none hangs.
          for (const w of waiting.splice(0)) w.reject(e);
          return;
        }
      }
      if (!slot) return;
      const job = waiting.shift()!;
      slot.current = { ...job, id: nextId++ };
      slot.worker.postMessage({ id: slot.current.id, job: job.job });
    }
  };

  const inlineJob = (job: Job): Promise<unknown> => (job.kind === "importCheck" ? checkImportFile(job) : exportJob(job));

  const submit = async (job: Job): Promise<unknown> => {
    if (closed) throw new Error("The export pool is closed");
    if (opts.threads <= 0) {
      // On the request path, still bounded: the same limit on jobs at once.
      if (inline >= Math.max(1, opts.queue)) throw exportBusy(retryAfter);
      inline++;
      try {
        return await inlineJob(job);
      } finally {
        inline--;
      }
    }
    const busy = slots.filter((s) => s.current).length;
    if (busy >= opts.threads && waiting.length >= opts.queue) throw exportBusy(retryAfter);
    return new Promise<unknown>((resolve, reject) => {
      waiting.push({ job, resolve, reject });
      next();
    });
  };

  return {
    run: (job) => submit(job) as Promise<Uint8Array<ArrayBuffer>>,
    check: (job) => submit(job) as Promise<ImportCheckResult>,
    load: () => ({ running: slots.filter((s) => s.current).length + inline, waiting: waiting.length }),
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new Error("The export pool closed"));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}

let shared: { key: string; pool: ExportPool } | null = null;

/** The process's pool, made on first use with the configured sizes. */
export function exportPool(config: { EXPORT_THREADS: number; EXPORT_QUEUE: number }): ExportPool {
  const key = `${config.EXPORT_THREADS}/${config.EXPORT_QUEUE}`;
  if (!shared || shared.key !== key) {
    void shared?.pool.close();
    shared = { key, pool: createExportPool({ threads: config.EXPORT_THREADS, queue: config.EXPORT_QUEUE }) };
  }
  return shared.pool;
}
