import { describe, expect, it } from "vitest";
import type { Client } from "@temporalio/client";
import {
  answerOf,
  BEAT_EVERY_MS,
  cachedDatabase,
  cachedTemporal,
  DATABASE_CACHE_MS,
  DATABASE_STALE_MS,
  mainLoopHealth,
  TEMPORAL_CACHE_MS,
  TEMPORAL_STALE_MS,
  type Health,
} from "./health.server";

const allUp: Health = { ok: true, database: { ok: true }, temporal: { ok: true }, worker: { ok: true } };

describe("the main thread's liveness as the health port reports it (decision 040)", () => {
  it("reads the lag from the last beat, and is down past the stall limit", () => {
    const now = 1_000_000;
    expect(mainLoopHealth(now - 40, now, 10_000)).toEqual({ ok: true, detail: "event loop lag 0 ms" });
    expect(mainLoopHealth(now - BEAT_EVERY_MS - 250, now, 10_000)).toEqual({ ok: true, detail: "event loop lag 250 ms" });
    const wedged = mainLoopHealth(now - 12_000, now, 10_000);
    expect(wedged.ok).toBe(false);
    expect(wedged.detail).toBe("event loop lag 11900 ms: the main thread has not run for 12000 ms (limit 10000 ms)");
  });

  it("adds the web part to the answer, and a web part down is a 503", () => {
    expect(answerOf(allUp)).toEqual({
      status: 200,
      body: { status: "ok", database: { ok: true }, temporal: { ok: true }, worker: { ok: true } },
    });
    const web = { ok: true, detail: "event loop lag 3 ms" };
    expect(answerOf(allUp, web)).toMatchObject({ status: 200, body: { status: "ok", web } });
    const stalled = { ok: false, detail: "event loop lag 12000 ms" };
    expect(answerOf(allUp, stalled)).toMatchObject({ status: 503, body: { status: "degraded", web: stalled } });
    expect(answerOf({ ...allUp, ok: false, worker: { ok: false } }, web)).toMatchObject({ status: 503 });
  });
});

describe("the Temporal checks behind /healthz, remembered and refreshed behind the answer", () => {
  /** A client whose two calls answer when the test says, counting them. */
  function fakeClient() {
    let calls = 0;
    let answer: (up: boolean) => void = () => undefined;
    const pending = () =>
      new Promise<boolean>((resolve) => {
        answer = resolve;
      });
    let current = pending();
    const client = {
      withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
      workflowService: {
        getSystemInfo: async () => {
          calls++;
          if (!(await current)) throw new Error("14 UNAVAILABLE");
          return {};
        },
        describeTaskQueue: async () => {
          if (!(await current)) throw new Error("14 UNAVAILABLE");
          return { pollers: [{ lastAccessTime: { seconds: Math.floor(Date.now() / 1000) } }] };
        },
      },
    };
    return {
      client: client as unknown as Client,
      calls: () => calls,
      /** Answers the calls in flight, and makes the next ones wait again. */
      answer(up: boolean) {
        answer(up);
        current = pending();
      },
    };
  }

  it("answers from the last check while a fresh one runs, and waits only when that answer is too old", async () => {
    const fake = fakeClient();
    const t0 = 1_000_000;
    const first = cachedTemporal(fake.client, "default", "pathways", t0);
    fake.answer(true);
    expect((await first).server.ok).toBe(true);
    expect(fake.calls()).toBe(1);

    // Within TEMPORAL_CACHE_MS: the same answer, no call.
    expect((await cachedTemporal(fake.client, "default", "pathways", t0 + 1_000)).server.ok).toBe(true);
    expect(fake.calls()).toBe(1);

    // Past it: the last answer at once (the new check has not answered), and one check begun.
    const stale = await cachedTemporal(fake.client, "default", "pathways", t0 + TEMPORAL_CACHE_MS + 1);
    expect(stale.server.ok).toBe(true);
    await Promise.resolve();
    expect(fake.calls()).toBe(2);
    // Asked again meanwhile: still the last answer, no second check.
    expect((await cachedTemporal(fake.client, "default", "pathways", t0 + TEMPORAL_CACHE_MS + 2)).server.ok).toBe(true);
    expect(fake.calls()).toBe(2);

    // The fresh check finds Temporal down: from then on that is the answer.
    fake.answer(false);
    await new Promise((r) => setTimeout(r, 0));
    const after = await cachedTemporal(fake.client, "default", "pathways", t0 + TEMPORAL_CACHE_MS + 3);
    expect(after.server.ok).toBe(false);
    expect(fake.calls()).toBe(2);

    // An answer older than TEMPORAL_STALE_MS is not given: the request waits for a new check.
    let settled = false;
    const late = cachedTemporal(fake.client, "default", "pathways", t0 + TEMPORAL_CACHE_MS + TEMPORAL_STALE_MS + 10).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    expect(fake.calls()).toBe(3);
    fake.answer(true);
    expect((await late).server.ok).toBe(true);
  });
});

describe("the database check behind /healthz, remembered per ping function (decision 043)", () => {
  it("pings once per DATABASE_CACHE_MS, answers from the last ping while a fresh one runs, and reports a failure once found", async () => {
    let pings = 0;
    let release: (up: boolean) => void = () => undefined;
    const ping = () => {
      pings++;
      return new Promise<void>((resolve, reject) => {
        release = (up) => (up ? resolve() : reject(new Error("connection refused")));
      });
    };
    const t0 = 2_000_000;
    const first = cachedDatabase(ping, t0);
    release(true);
    expect(await first).toEqual({ ok: true });
    expect(pings).toBe(1);
    expect(await cachedDatabase(ping, t0 + DATABASE_CACHE_MS - 1)).toEqual({ ok: true });
    expect(pings).toBe(1);

    // Stale: the last answer at once, one ping behind it; asked again meanwhile, no second ping.
    expect(await cachedDatabase(ping, t0 + DATABASE_CACHE_MS + 1)).toEqual({ ok: true });
    expect(await cachedDatabase(ping, t0 + DATABASE_CACHE_MS + 2)).toEqual({ ok: true });
    expect(pings).toBe(2);
    release(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(await cachedDatabase(ping, t0 + DATABASE_CACHE_MS + 3)).toEqual({ ok: false, detail: "connection refused" });

    // Older than DATABASE_STALE_MS: the request waits for a new ping.
    let settled = false;
    const late = cachedDatabase(ping, t0 + DATABASE_CACHE_MS + DATABASE_STALE_MS + 10).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    expect(pings).toBe(3);
    release(true);
    expect(await late).toEqual({ ok: true });

    // Another ping function (another database) is checked on its own.
    let other = 0;
    expect(await cachedDatabase(async () => void other++, t0 + DATABASE_CACHE_MS + DATABASE_STALE_MS + 11)).toEqual({ ok: true });
    expect(other).toBe(1);
  });
});
