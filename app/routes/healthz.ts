import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { pingDatabase } from "../../db/queries/health";

/** Liveness of the parts: the database, Temporal, and a worker polling the task queue. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { db, temporal, config } = context;
  const check = async (fn: () => Promise<string | boolean>) => {
    try {
      const r = await fn();
      return r === true ? { ok: true } : r === false ? { ok: false } : { ok: true, detail: r };
    } catch (e) {
      return { ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
  };
  const [database, temporalServer, worker] = await Promise.all([
    check(async () => {
      await pingDatabase(db);
      return true;
    }),
    check(async () => {
      await temporal.workflowService.getSystemInfo({});
      return `${config.TEMPORAL_NAMESPACE}`;
    }),
    check(async () => {
      const res = await temporal.workflowService.describeTaskQueue({
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
        taskQueueType: 1, // workflow tasks
      });
      const recent = (res.pollers ?? []).filter((p) => {
        const seconds = Number(p.lastAccessTime?.seconds ?? 0);
        return Date.now() / 1000 - seconds < 120;
      });
      if (recent.length === 0) throw new Error(`no worker is polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
      return `${recent.length} poller(s) on ${config.TEMPORAL_TASK_QUEUE}`;
    }),
  ]);
  const ok = database.ok && temporalServer.ok && worker.ok;
  return json(
    { status: ok ? "ok" : "degraded", database, temporal: temporalServer, worker },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
