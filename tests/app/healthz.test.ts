import { Client, Connection } from "@temporalio/client";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createDb } from "../../db/create-db";
import { freePort } from "../../app/server/temporal-dev";
import { checkHealth } from "../../app/platform/health.server";
import { loader } from "../../app/routes/healthz";
import { createTestDb, type TestDb } from "../support/db";
import { Cleanup, startDevTemporal, startPathwayWorker, type TemporalHandle } from "../support/temporal";

/**
 * /healthz answers promptly whatever is down. Each part's check has a one-second limit; with the
 * old checks a stopped Temporal kept the answer waiting about 20 s. The tests' own time limit
 * (5 s) is the guard: no elapsed time is asserted, it is printed.
 */

async function askHealthz(ctx: Parameters<typeof checkHealth>[0]) {
  const began = performance.now();
  const res = (await loader({
    request: new Request("http://localhost/healthz"),
    params: {},
    context: ctx as never,
  })) as Response;
  const ms = performance.now() - began;
  return { status: res.status, body: (await res.json()) as Record<string, { ok: boolean; detail?: string }>, ms };
}

describe("/healthz", () => {
  const cleanup = new Cleanup();
  let db: TestDb;
  let temporal: TemporalHandle;

  beforeAll(async () => {
    db = await createTestDb("postgres");
    cleanup.add("the database", () => db.close());
    temporal = await startDevTemporal(cleanup);
  });
  afterAll(cleanup.run);

  it("answers 503 promptly when nothing listens on Temporal's port", { timeout: 5_000 }, async () => {
    // A real port with nothing listening: a lazy connection, as a web process whose Temporal
    // server stopped after it connected.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    cleanup.add("the dead connection", () => connection.close());
    const ctx = {
      db: db.db,
      temporal: new Client({ connection, namespace: "default" }),
      config: { TEMPORAL_NAMESPACE: "default", TEMPORAL_TASK_QUEUE: "healthz-dead" },
    };
    const first = await askHealthz(ctx);
    console.log(`  /healthz with Temporal down answered ${first.status} in ${first.ms.toFixed(0)} ms`);
    expect(first.status).toBe(503);
    expect(first.body.database.ok).toBe(true);
    expect(first.body.temporal.ok).toBe(false);
    expect(first.body.worker.ok).toBe(false);
    // The next ask within a few seconds is answered from the remembered result.
    const second = await askHealthz(ctx);
    console.log(`  …asked again: ${second.status} in ${second.ms.toFixed(0)} ms`);
    expect(second.status).toBe(503);
  });

  it("answers 503 promptly when the database does not answer, and 200 when all is up", { timeout: 60_000 }, async () => {
    const worker = await startPathwayWorker(cleanup, { temporal, db: db.db });
    const config = { TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: worker.taskQueue };
    console.log("  worker started");
    let up = await askHealthz({ db: db.db, temporal: temporal.client, config });
    // The worker's first poll reaches the server within moments; the remembered answer lasts 3 s.
    for (let i = 0; i < 20 && up.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      up = await askHealthz({ db: db.db, temporal: temporal.client, config });
    }
    console.log(`  /healthz with all up answered ${up.status} in ${up.ms.toFixed(0)} ms`);
    expect(up.status).toBe(200);
    expect(up.body.worker).toMatchObject({ ok: true });

    // A database that does not answer: a socket that accepts connections and never replies (a
    // hung server, a black-holed network), the case no connection error ends early.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const dead = await createDb(`postgres://postgres@127.0.0.1:${port}/postgres`);
    cleanup.add("the dead database handle", () => dead.close());
    // Stopped first (cleanups run last added first): the pool's pending connections then end.
    cleanup.add("the silent server", async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    });
    const down = await askHealthz({ db: dead.db, temporal: temporal.client, config });
    console.log(`  /healthz with the database down answered ${down.status} in ${down.ms.toFixed(0)} ms`);
    expect(down.status).toBe(503);
    expect(down.body.database.ok).toBe(false);
    expect(down.body.temporal.ok).toBe(true);
  });

  it(
    "a pool busy with long queries is not a database down: the ping has a connection of its own",
    { timeout: 20_000 },
    async () => {
      const busy = await createDb(db.url);
      cleanup.add("the busy pool", () => busy.close());
      const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
      cleanup.add("the dead connection", () => connection.close());
      const base = {
        db: busy.db,
        temporal: new Client({ connection, namespace: "default" }),
        config: { TEMPORAL_NAMESPACE: "default", TEMPORAL_TASK_QUEUE: "healthz-busy" },
      };
      // Every one of the pool's ten connections held by a page's slow statement.
      const slow = Array.from({ length: 10 }, () => sql`select pg_sleep(3)`.execute(busy.db));
      await new Promise((r) => setTimeout(r, 200));
      const own = await checkHealth({ ...base, pingDatabase: busy.ping });
      expect(own.database).toEqual({ ok: true });
      // Through the pool, the same check waits behind them past its limit.
      const pooled = await checkHealth(base);
      expect(pooled.database.ok).toBe(false);
      expect(pooled.database.detail).toMatch(/did not answer within/);
      await Promise.all(slow);
    },
  );
});
