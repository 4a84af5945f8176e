import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { healthAnswer } from "../platform/health.server";

/**
 * Liveness of the parts: the database, Temporal, and a worker polling the task queue. Answers
 * within about a second whatever is down (app/platform/health.server.ts). The web server answers
 * `/healthz` itself before the page router (app/server/web.ts); this route gives the same answer
 * to anything that runs the app's routes without that server.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const { status, body } = await healthAnswer(context);
  return json(body, { status, headers: { "Cache-Control": "no-store" } });
}
