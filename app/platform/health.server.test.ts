import { describe, expect, it } from "vitest";
import { answerOf, BEAT_EVERY_MS, mainLoopHealth, type Health } from "./health.server";

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
