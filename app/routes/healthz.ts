import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { checkHealth } from "../platform/health.server";

/**
 * Liveness of the parts: the database, Temporal, and a worker polling the task queue. Answers
 * within about a second whatever is down (app/platform/health.server.ts).
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const { ok, database, temporal, worker } = await checkHealth(context);
  return json(
    { status: ok ? "ok" : "degraded", database, temporal, worker },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
