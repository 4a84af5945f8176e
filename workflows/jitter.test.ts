import { describe, expect, it } from "vitest";
import { TIMER_JITTER_WINDOW_MS, timerJitterMs } from "./jitter";
import { pathwayWorkflowId } from "./shared";

describe("timer jitter", () => {
  it("is the same for a workflow id every time, and within the window", () => {
    const id = pathwayWorkflowId("7d3f0c2e-0000-4000-8000-000000000001");
    expect(timerJitterMs(id)).toBe(timerJitterMs(id));
    expect(timerJitterMs(id)).toBeGreaterThanOrEqual(0);
    expect(timerJitterMs(id)).toBeLessThan(TIMER_JITTER_WINDOW_MS);
  });

  it("spreads 5,000 institutions over the window: no minute holds more than a few dozen", () => {
    const minutes = new Map<number, number>();
    for (let i = 0; i < 5_000; i++) {
      const minute = Math.floor(timerJitterMs(pathwayWorkflowId(`inst-${i}`)) / 60_000);
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    }
    // 360 minutes in six hours: about 14 a minute on average.
    expect(minutes.size).toBeGreaterThan(300);
    expect(Math.max(...minutes.values())).toBeLessThan(40);
  });

  it("shrinks to an eighth of the shortest timer", () => {
    const hour = 60 * 60 * 1000;
    for (let i = 0; i < 100; i++) expect(timerJitterMs(`pathway-${i}`, 8 * hour)).toBeLessThan(hour);
  });
});
