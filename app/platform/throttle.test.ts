import { describe, expect, it } from "vitest";
import { THROTTLE, signInDelaySeconds } from "./throttle";

describe("the sign-in slow-down", () => {
  it("lets the first tries through, then doubles the wait up to a ceiling", () => {
    const waits = Array.from({ length: 12 }, (_, n) => signInDelaySeconds(n));
    expect(waits.slice(0, THROTTLE.freeTries)).toEqual([0, 0, 0]);
    expect(waits.slice(3, 9)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(waits.slice(9)).toEqual([60, 60, 60]);
  });
});
