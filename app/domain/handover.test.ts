import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../db/reference-data";
import {
  costVariance,
  divRoundHalfEven,
  emptyFunding,
  formatMinor,
  formatShareBp,
  meetsShare,
  nonIloFloors,
  quarterActuals,
  quarterDays,
  quarterOf,
  rollUpUsd,
  shareVariance,
  summarisePlan,
  toUsdCents,
  yearFigures,
  type PlanFigures,
  type PlanYear,
} from "./handover";
import type { FundingSplit } from "./records";

const funding = (f: Partial<FundingSplit>): FundingSplit => ({ ...emptyFunding(), ...f });

// Plan A: a Ghanaian association, GHS, stated rate 1 USD = 15.5 GHS → 2/31 USD per GHS.
// M1 costs GHS 8,000.00 a cycle (800000 minor), M2 GHS 6,000.00 (600000 minor).
const A_YEARS: PlanYear[] = [
  {
    year: 2026,
    lines: [
      { module: "M1", cycles: 4, enterprises: 18, unitCostMinor: 800_000 }, // 3,200,000
      { module: "M2", cycles: 2, enterprises: 9, unitCostMinor: 600_000 }, //  1,200,000
    ],
    // funded 4,000,000; non-ILO 1,600,000
    funding: funding({ enterprise_fee: 1_100_000, government: 500_000, ilo: 2_400_000 }),
  },
  {
    year: 2027,
    lines: [{ module: "M1", cycles: 6, enterprises: 27, unitCostMinor: 800_000 }], // 4,800,000
    funding: funding({ enterprise_fee: 1_800_000, government: 600_000, sponsor: 400_000, ilo: 2_000_000 }),
  },
  {
    year: 2028,
    lines: [{ module: "M1", cycles: 6, enterprises: 27, unitCostMinor: 800_000 }], // 4,800,000
    funding: funding({ enterprise_fee: 2_400_000, government: 2_000_000, ilo: 400_000 }),
  },
];
const PLAN_A: PlanFigures = { currency: "GHS", usdRate: { num: 2, den: 31 }, exitYear: 2028, years: A_YEARS };

// Plan B: a Vietnamese provider, VND, stated rate 1 USD = 25,400 VND → 1/25400.
// M1 costs VND 50,800,000.00 a cycle (5,080,000,000 minor); three cycles in 2026.
const PLAN_B: PlanFigures = {
  currency: "VND",
  usdRate: { num: 1, den: 25_400 },
  exitYear: 2026,
  years: [
    {
      year: 2026,
      lines: [{ module: "M1", cycles: 3, enterprises: 14, unitCostMinor: 5_080_000_000 }], // 15,240,000,000
      funding: funding({ enterprise_fee: 7_620_000_000, ilo: 7_620_000_000 }),
    },
  ],
};

describe("one year of a plan", () => {
  it("totals cost from cycles × unit cost, and the gap is cost minus all funding", () => {
    const f = yearFigures(A_YEARS[0]);
    expect(f.costMinor).toBe(4_400_000); // 4×800,000 + 2×600,000
    expect(f.fundedMinor).toBe(4_000_000); // 1,100,000 + 500,000 + 2,400,000
    expect(f.nonIloMinor).toBe(1_600_000);
    expect(f.gapMinor).toBe(400_000); // GHS 4,000.00 not yet funded
    expect(f.cycles).toBe(6);
    expect(f.enterprises).toBe(27);
  });

  it("gives the non-ILO share of cost in basis points, rounded half to even", () => {
    // 1,600,000 / 4,400,000 = 36.3636… % → 3636.36 bp → 3636
    expect(yearFigures(A_YEARS[0]).nonIloShareBp).toBe(3636);
    // 2,800,000 / 4,800,000 = 58.333… % → 5833
    expect(yearFigures(A_YEARS[1]).nonIloShareBp).toBe(5833);
    // 4,400,000 / 4,800,000 = 91.666… % → 9166.67 → 9167
    expect(yearFigures(A_YEARS[2]).nonIloShareBp).toBe(9167);
    expect(formatShareBp(9167)).toBe("91.67 %");
  });

  it("has no share without cost, and a surplus shows as a negative gap", () => {
    const f = yearFigures({ year: 2030, lines: [], funding: funding({ government: 100 }) });
    expect(f.nonIloShareBp).toBeNull();
    expect(f.gapMinor).toBe(-100);
    expect(formatMinor(-123_456_78)).toBe("-123,456.78");
  });

  it("compares against a floor exactly, without the rounded share", () => {
    const cost = [{ module: "M1", cycles: 1, enterprises: 1, unitCostMinor: 3 }];
    // 2/3 = 66.67 % rounded, but 66.67 is not met by 2/3 exactly (2·100 = 200 < 66.67·3 = 200.01)
    expect(meetsShare(yearFigures({ year: 2026, lines: cost, funding: funding({ government: 2 }) }), 66.67)).toBe(false);
    const half = [{ module: "M1", cycles: 1, enterprises: 1, unitCostMinor: 1000 }];
    expect(meetsShare(yearFigures({ year: 2026, lines: half, funding: funding({ government: 500, ilo: 500 }) }), 50)).toBe(true);
  });
});

describe("the year each stage floor is met", () => {
  it("reads the floors from the template, not from code", () => {
    const floors = nonIloFloors(DEFAULT_TEMPLATE);
    expect(floors.map((f) => [f.stageKey, f.thresholdPct])).toEqual([
      ["cost_recovery", 50],
      ["independent", 90],
    ]);
  });

  it("finds the first planned year at or above each floor", () => {
    const s = summarisePlan(PLAN_A, DEFAULT_TEMPLATE);
    // 2026: 36.36 %, 2027: 58.33 % (≥ 50), 2028: 91.67 % (≥ 90)
    expect(s.floors.map((f) => [f.stageKey, f.firstYear])).toEqual([
      ["cost_recovery", 2027],
      ["independent", 2028],
    ]);
    expect(s.totalCostMinor).toBe(14_000_000); // 4.4M + 4.8M + 4.8M
    expect(s.totalGapMinor).toBe(400_000);
  });

  it("says never when no year reaches a floor, and follows a template with other floors", () => {
    const stricter = structuredClone(DEFAULT_TEMPLATE);
    stricter.stages.find((st) => st.key === "independent")!.gate.find((c) => c.metric === "non_ilo_share")!.threshold = 95;
    const s = summarisePlan(PLAN_A, stricter);
    expect(s.floors.find((f) => f.stageKey === "independent")!.firstYear).toBeNull();
  });
});

describe("rounding and currency conversion", () => {
  it("rounds ties to the even neighbour and everything else to the nearest", () => {
    expect(divRoundHalfEven(5n, 2n)).toBe(2n); // 2.5 → 2
    expect(divRoundHalfEven(7n, 2n)).toBe(4n); // 3.5 → 4
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n); // -2.5 → -2
    expect(divRoundHalfEven(8n, 3n)).toBe(3n); // 2.67 → 3
    expect(toUsdCents(3, { num: 1, den: 2 })).toBe(2); // 1.5 cents → 2
    expect(toUsdCents(1, { num: 1, den: 2 })).toBe(0); // 0.5 cents → 0
  });

  it("converts with the stated rate as a fraction", () => {
    // GHS 44,000.00 × 2/31 = USD 2,838.709… → 283,871 cents
    expect(toUsdCents(4_400_000, PLAN_A.usdRate)).toBe(283_871);
    // VND 152,400,000.00 / 25,400 = USD 6,000.00 exactly
    expect(toUsdCents(15_240_000_000, PLAN_B.usdRate)).toBe(600_000);
  });

  it("rolls up a country's plans in two currencies into USD per year", () => {
    const rows = rollUpUsd([PLAN_A, PLAN_B]);
    expect(rows.map((r) => r.year)).toEqual([2026, 2027, 2028]);
    const y2026 = rows[0];
    // cost: A 8,800,000/31 = 283,870.97 → 283,871; B 600,000 → 883,871 cents
    expect(y2026.costUsdCents).toBe(883_871);
    // non-ILO: A 3,200,000/31 = 103,225.81 → 103,226; B 7,620,000,000/25,400 = 300,000 → 403,226
    expect(y2026.nonIloUsdCents).toBe(403_226);
    // gap: A 800,000/31 = 25,806.45 → 25,806; B 0
    expect(y2026.gapUsdCents).toBe(25_806);
    // share: 403,226 / 883,871 = 45.620… % → 4562 bp
    expect(y2026.nonIloShareBp).toBe(4562);
    expect(y2026.plans).toBe(2);
    // 2027 has plan A only: 9,600,000/31 = 309,677.42 → 309,677
    expect(rows[1]).toMatchObject({ year: 2027, costUsdCents: 309_677, plans: 1 });
  });
});

describe("actuals per quarter against the plan", () => {
  const cycles = [
    { endedOn: "2026-03-31", costMinor: 800_000, funding: funding({ ilo: 800_000 }) }, // Q1
    { endedOn: "2026-04-10", costMinor: 800_000, funding: funding({ enterprise_fee: 200_000, ilo: 600_000 }) },
    { endedOn: "2026-06-30", costMinor: 800_000, funding: funding({ enterprise_fee: 400_000, ilo: 400_000 }) },
    { endedOn: "2026-07-01", costMinor: 800_000, funding: funding({ government: 800_000 }) }, // Q3
  ];

  it("knows calendar quarters", () => {
    expect(quarterOf(Date.UTC(2026, 5, 30, 23))).toEqual({ year: 2026, q: 2 });
    expect(quarterDays({ year: 2026, q: 2 })).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(quarterDays({ year: 2026, q: 4 })).toEqual({ from: "2026-10-01", to: "2026-12-31" });
  });

  it("sums cost and the non-ILO share of the cycles ended in the quarter", () => {
    const q2 = quarterActuals(cycles, { year: 2026, q: 2 });
    // cost 1,600,000; non-ILO 600,000 → 37.50 %
    expect(q2).toEqual({ quarter: "2026-Q2", cycles: 2, costMinor: 1_600_000, nonIloMinor: 600_000, nonIloShareBp: 3750 });
  });

  it("flags a variance beyond the threshold in percentage points, in either direction", () => {
    const q2 = quarterActuals(cycles, { year: 2026, q: 2 });
    // planned 2026: 36.36 %; actual 37.50 % → +1.14 pp: within 10 pp
    expect(shareVariance(PLAN_A, q2, { year: 2026, q: 2 }, 10)).toMatchObject({ varianceBp: 114, exceeded: false });
    const q1 = quarterActuals(cycles, { year: 2026, q: 1 });
    // actual 0 % → −36.36 pp: beyond 10 pp
    expect(shareVariance(PLAN_A, q1, { year: 2026, q: 1 }, 10)).toMatchObject({
      actualShareBp: 0,
      varianceBp: -3636,
      exceeded: true,
    });
    // no cycles in the quarter: nothing to compare
    expect(shareVariance(PLAN_A, quarterActuals(cycles, { year: 2026, q: 4 }), { year: 2026, q: 4 }, 10)).toBeNull();
  });

  it("compares a quarter's cost with a quarter of the year's planned cost, exactly at the threshold", () => {
    // 2026 plans GHS 44,000.00 → 11,000.00 a quarter. Q2 recorded 16,000.00: +45.45 %, beyond 25 %.
    const q2 = quarterActuals(cycles, { year: 2026, q: 2 });
    expect(costVariance(PLAN_A, q2, { year: 2026, q: 2 })).toEqual({
      quarter: "2026-Q2",
      plannedMinor: 1_100_000,
      actualMinor: 1_600_000,
      varianceBp: 4545,
      exceeded: true,
    });
    // Q1 recorded 8,000.00: −27.27 %, beyond 25 % below; with a 30 % threshold it is within.
    const q1 = quarterActuals(cycles, { year: 2026, q: 1 });
    expect(costVariance(PLAN_A, q1, { year: 2026, q: 1 })).toMatchObject({ varianceBp: -2727, exceeded: true });
    expect(costVariance(PLAN_A, q1, { year: 2026, q: 1 }, 30)).toMatchObject({ exceeded: false });
    // Exactly 25 % over (13,750.00) is not beyond the threshold; one cent more is.
    const at = (cost: number) =>
      quarterActuals([{ endedOn: "2026-05-01", costMinor: cost, funding: funding({ ilo: cost }) }], { year: 2026, q: 2 });
    expect(costVariance(PLAN_A, at(1_375_000), { year: 2026, q: 2 })).toMatchObject({ varianceBp: 2500, exceeded: false });
    expect(costVariance(PLAN_A, at(1_375_001), { year: 2026, q: 2 })).toMatchObject({ exceeded: true });
    // Nothing recorded, or a year outside the plan: nothing to compare.
    expect(costVariance(PLAN_A, quarterActuals(cycles, { year: 2026, q: 4 }), { year: 2026, q: 4 })).toBeNull();
    expect(costVariance(PLAN_A, quarterActuals(cycles, { year: 2030, q: 1 }), { year: 2030, q: 1 })).toBeNull();
  });
});
