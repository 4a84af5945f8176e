import { parentPort } from "node:worker_threads";
import { checkImportFile, type ImportCheckJob } from "~/features/import/import.server";
import { exportJob, type ExportJob } from "./export-jobs";

/**
 * An export thread (decision 037): makes one file (or checks one uploaded import file) at a time for
 * the pool in ./export-pool.server.ts and sends the result back. A failure goes back as its message; the
 * request that asked answers 500 as it would have on the request path.
 */
parentPort!.on("message", (msg: { id: number; job: ExportJob | ImportCheckJob }) => {
  const work: Promise<unknown> = msg.job.kind === "importCheck" ? checkImportFile(msg.job) : exportJob(msg.job);
  work.then(
    // A file's bytes are transferred, not copied; a check's result is cloned.
    (result) =>
      parentPort!.postMessage({ id: msg.id, result }, result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : []),
    (e: unknown) => parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
