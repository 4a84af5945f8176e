import { parentPort } from "node:worker_threads";
import { exportJob, type ExportJob } from "./export-jobs";

/**
 * An export thread (decision 037): makes one file at a time for the pool in ./export-pool.server.ts
 * and sends its bytes back (transferred, not copied). A failure goes back as its message; the
 * request that asked answers 500 as it would have on the request path.
 */
parentPort!.on("message", (msg: { id: number; job: ExportJob }) => {
  exportJob(msg.job).then(
    (file) => parentPort!.postMessage({ id: msg.id, file }, [file.buffer]),
    (e: unknown) => parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
