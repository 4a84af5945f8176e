import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { handleApi } from "../../app/features/api/api.server";
import { parseConfig } from "../../app/platform/config";
import { createDb } from "../../db/create-db";

/**
 * Another web process, for tests of what web processes share: sends REQUESTS requests with
 * TOKEN through the API's handler, on a pool of its own to DATABASE_URL, and prints their
 * statuses and Retry-After headers as one line of JSON.
 */
const { DATABASE_URL, TOKEN, REQUESTS } = process.env;
const handle = await createDb(DATABASE_URL!);
const context = {
  db: handle.db,
  config: parseConfig(process.env),
  temporal: undefined as never,
  temporalUiUrl: null,
  clientIp: "127.0.0.1",
} satisfies AppLoadContext;
const out: { status: number; retryAfter: string | null }[] = [];
for (let i = 0; i < Number(REQUESTS ?? "1"); i++) {
  const path = `reports/${randomUUID()}`;
  const res = await handleApi(
    new Request(`http://localhost/api/v1/${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } }),
    context,
    path,
  );
  out.push({ status: res.status, retryAfter: res.headers.get("Retry-After") });
}
await handle.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
