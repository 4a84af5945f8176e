import { describe, expect, it } from "vitest";
import { staysFrom, type TransitionEvent } from "../analytics/analytics";
import { DAY_MS } from "../../domain/dates";
import { forecastPathway, portfolioPace } from "./forecast";

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent_delivery"];
const T0 = Date.UTC(2024, 0, 1, 15); // signed off in the afternoon, as officers do
const at = (days: number) => new Date(T0 + days * DAY_MS);
const dayDiff = (iso: string, expected: Date) => Math.abs(Date.parse(`${iso}T12:00:00Z`) - expected.getTime()) / DAY_MS;

/** An institution entering stage i at day `entries[i]`. */
function stays(entries: number[], now: number) {
  const events: TransitionEvent[] = entries.map((day, i) => ({
    fromStage: i === 0 ? null : STAGES[i - 1],
    toStage: STAGES[i],
    kind: i === 0 ? "start" : "advance",
    at: at(day),
  }));
  return staysFrom(events, at(now));
}

/** The forecast may be off by rounding to a calendar day, never more. */
const TOLERANCE_DAYS = 1;

describe("forecast at the institution's own pace", () => {
  it("a steady 120 days per stage for 3 stages lands within a day of the expected dates", () => {
    // Engaged day 0, ToT 120, Certification 240, Cost recovery 360; today is day 400.
    const f = forecastPathway({ stageKeys: STAGES, stays: stays([0, 120, 240, 360], 400), now: at(400), portfolio: null });
    expect(f.status).toBe("forecast");
    expect(f.pace).toEqual({ daysPerStage: 120, low: 120, high: 120, source: "own" });
    expect(f.currentStageKey).toBe("cost_recovery");
    expect(f.daysInStage).toBe(40);
    expect(f.nextGate!.stageKey).toBe("independent_delivery");
    expect(dayDiff(f.nextGate!.on, at(480))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(dayDiff(f.lastStage!.on, at(480))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(f.nextGate!.overdue).toBe(false);
    expect(f.basis.stays.filter((s) => s.used).map((s) => s.stageKey)).toEqual(["engaged", "tot", "certification"]);
    expect(f.basis.summary).toMatch(/own pace.*3 completed stages/);
  });

  it("two stages to go add one pace each, and the range runs from the fastest to the slowest stage", () => {
    // 100 and 140 days: mean 120, range 100–140. At Certification since day 240, today day 300.
    const f = forecastPathway({ stageKeys: STAGES, stays: stays([0, 100, 240], 300), now: at(300), portfolio: null });
    expect(f.pace).toMatchObject({ daysPerStage: 120, low: 100, high: 140 });
    expect(dayDiff(f.nextGate!.on, at(360))).toBeLessThanOrEqual(TOLERANCE_DAYS); // cost recovery
    expect(dayDiff(f.lastStage!.on, at(480))).toBeLessThanOrEqual(TOLERANCE_DAYS); // + 1 × 120
    // Earliest: the gate at day 240 + 100 = 340, then 100 more; latest: 380, then 140 more.
    expect(dayDiff(f.lastStage!.earliest, at(440))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(dayDiff(f.lastStage!.latest, at(520))).toBeLessThanOrEqual(TOLERANCE_DAYS);
  });

  it("a gate past its expected date is overdue and expected from today, not in the past", () => {
    const f = forecastPathway({ stageKeys: STAGES, stays: stays([0, 120, 240], 500), now: at(500), portfolio: null });
    expect(f.nextGate!.overdue).toBe(true);
    expect(dayDiff(f.nextGate!.on, at(500))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(dayDiff(f.lastStage!.on, at(620))).toBeLessThanOrEqual(TOLERANCE_DAYS);
  });
});

describe("forecast from the portfolio's pace", () => {
  const others = [stays([0, 100, 200, 300], 350), stays([0, 200, 400], 450)]; // completed: 100, 100, 100, 200, 200
  const portfolio = portfolioPace(others)!;

  it("the portfolio pace is the median of every completed stage, with its quartiles", () => {
    expect(portfolio).toEqual({ daysPerStage: 100, low: 100, high: 200, stays: 5 });
  });

  it("an institution with no history of its own falls back to the portfolio pace and says so", () => {
    const f = forecastPathway({ stageKeys: STAGES, stays: stays([0], 30), now: at(30), portfolio });
    expect(f.pace!.source).toBe("portfolio");
    expect(f.basis.summary).toMatch(/No completed stage of its own, so the portfolio's pace: the median of 5 completed stages/);
    expect(f.basis.portfolioStays).toBe(5);
    expect(f.basis.stays.every((s) => !s.used)).toBe(true);
    // Engaged since day 0: ToT at day 100, then 3 more stages of 100 days.
    expect(dayDiff(f.nextGate!.on, at(100))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(dayDiff(f.lastStage!.on, at(400))).toBeLessThanOrEqual(TOLERANCE_DAYS);
    expect(dayDiff(f.lastStage!.latest, at(800))).toBeLessThanOrEqual(TOLERANCE_DAYS);
  });

  it("one completed stage is not yet a pace", () => {
    const f = forecastPathway({ stageKeys: STAGES, stays: stays([0, 50], 60), now: at(60), portfolio });
    expect(f.pace!.source).toBe("portfolio");
    expect(f.basis.summary).toMatch(/^Only 1 completed stage/);
  });

  it("a stay that ended in a slip back is shown but not used as pace", () => {
    const s = staysFrom(
      [
        { fromStage: null, toStage: "engaged", kind: "start", at: at(0) },
        { fromStage: "engaged", toStage: "tot", kind: "advance", at: at(100) },
        { fromStage: "tot", toStage: "engaged", kind: "slip_back", at: at(150) },
        { fromStage: "engaged", toStage: "tot", kind: "advance", at: at(250) },
      ],
      at(260),
    );
    const f = forecastPathway({ stageKeys: STAGES, stays: s, now: at(260), portfolio });
    expect(f.pace).toMatchObject({ source: "own", daysPerStage: 100 });
    expect(f.basis.stays.map((x) => x.used)).toEqual([true, false, true, false]);
  });

  it("with no completed stage anywhere there is no forecast, and at the last stage none is needed", () => {
    expect(forecastPathway({ stageKeys: STAGES, stays: stays([0], 30), now: at(30), portfolio: null }).status).toBe("no_data");
    const done = forecastPathway({
      stageKeys: STAGES,
      stays: stays([0, 100, 200, 300, 400], 450),
      now: at(450),
      portfolio: null,
    });
    expect(done.status).toBe("reached");
    expect(dayDiff(done.lastStage!.on, at(400))).toBeLessThanOrEqual(TOLERANCE_DAYS);
  });
});
