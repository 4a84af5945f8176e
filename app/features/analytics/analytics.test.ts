import { describe, expect, it } from "vitest";
import {
  quantile,
  spreadOf,
  staysFrom,
  stuckInstitutions,
  timeInStage,
  transitionsPerQuarter,
  type InstitutionHistory,
  type TransitionEvent,
} from "./analytics";

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent_delivery"];
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

function history(
  id: string,
  country: string,
  events: [string, TransitionEvent["kind"], string][],
  now: Date,
): InstitutionHistory {
  const transitions = events.map(([toStage, kind, at]) => ({ fromStage: null, toStage, kind, at: d(at) }));
  const stays = staysFrom(transitions, now);
  return { id, name: `Institution ${id}`, country, stageKey: stays.at(-1)!.stageKey, stays };
}

describe("stays from transitions", () => {
  it("closes each stay at the next transition and counts the open one until now", () => {
    const stays = staysFrom(
      [
        { fromStage: "engaged", toStage: "tot", kind: "advance", at: d("2025-03-01") },
        { fromStage: null, toStage: "engaged", kind: "start", at: d("2025-01-01") },
        { fromStage: "tot", toStage: "engaged", kind: "slip_back", at: d("2025-04-10") },
      ],
      d("2025-05-10"),
    );
    expect(stays.map((s) => [s.stageKey, s.days, s.exit])).toEqual([
      ["engaged", 59, "advance"],
      ["tot", 40, "slip_back"],
      ["engaged", 30, null],
    ]);
  });
});

describe("spread", () => {
  it("gives median, quartiles (linear interpolation) and extremes", () => {
    // Worked example: 10, 20, 30, 40 → median 25, p25 = 10 + 0.75·10 = 17.5, p75 = 30 + 0.25·10 = 32.5.
    expect(spreadOf([40, 10, 30, 20])).toEqual({ count: 4, median: 25, p25: 17.5, p75: 32.5, min: 10, max: 40 });
    expect(quantile([7], 0.75)).toBe(7);
    expect(spreadOf([])).toBeNull();
  });
});

describe("time in stage per stage and country", () => {
  const now = d("2025-12-31");
  const histories = [
    history(
      "a",
      "GH",
      [
        ["engaged", "start", "2025-01-01"],
        ["tot", "advance", "2025-04-11"],
      ],
      now,
    ), // engaged 100 days
    history(
      "b",
      "GH",
      [
        ["engaged", "start", "2025-01-01"],
        ["tot", "advance", "2025-07-20"],
      ],
      now,
    ), // engaged 200 days
    history("c", "VN", [["engaged", "start", "2025-12-01"]], now), // engaged 30 days, still there
  ];

  it("counts every stay, open ones until now, for all countries and each country", () => {
    const rows = timeInStage(histories, STAGES);
    const engaged = rows.filter((r) => r.stageKey === "engaged");
    expect(engaged.map((r) => [r.country, r.stays, r.open, r.spread?.median])).toEqual([
      [null, 3, 1, 100],
      ["GH", 2, 0, 150],
      ["VN", 1, 1, 30],
    ]);
    expect(engaged[0].spread).toMatchObject({ min: 30, max: 200, p25: 65, p75: 150 });
    // A stage nobody reached has one row, for all countries, with no spread.
    expect(rows.filter((r) => r.stageKey === "certification")).toEqual([
      { stageKey: "certification", country: null, stays: 0, open: 0, spread: null },
    ]);
  });

  it("lists as stuck only open stays longer than the threshold, never at the last stage", () => {
    const old = history(
      "d",
      "PE",
      [
        ["engaged", "start", "2023-01-01"],
        ["independent_delivery", "advance", "2023-06-01"],
      ],
      now,
    );
    const all = [...histories, old];
    // a and b have sat at ToT since April (264 days) and July (164 days).
    expect(stuckInstitutions(all, STAGES).map((s) => s.id)).toEqual([]);
    expect(stuckInstitutions(all, STAGES, 200).map((s) => [s.id, s.days, s.since])).toEqual([["a", 264, "2025-04-11"]]);
    expect(stuckInstitutions(all, STAGES, 100).map((s) => s.id)).toEqual(["a", "b"]);
  });
});

describe("transitions per quarter", () => {
  it("counts advances and slips back per calendar quarter, quiet quarters included, starts left out", () => {
    const q = transitionsPerQuarter(
      [
        { fromStage: null, toStage: "engaged", kind: "start", at: d("2024-11-01") },
        { fromStage: "engaged", toStage: "tot", kind: "advance", at: d("2025-01-15") },
        { fromStage: "tot", toStage: "certification", kind: "advance", at: d("2025-03-31") },
        { fromStage: "certification", toStage: "tot", kind: "slip_back", at: d("2025-07-01") },
      ],
      d("2025-08-01"),
    );
    expect(q).toEqual([
      { quarter: "2025-Q1", advances: 2, slipsBack: 0 },
      { quarter: "2025-Q2", advances: 0, slipsBack: 0 },
      { quarter: "2025-Q3", advances: 0, slipsBack: 1 },
    ]);
    expect(transitionsPerQuarter([], d("2025-08-01"))).toEqual([]);
  });
});
