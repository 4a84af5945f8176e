import { describe, expect, it } from "vitest";
import {
  achievedPercent,
  DEFAULT_INDICATOR_SETTINGS,
  indicatorDefinition,
  logframeCell,
  percentOf,
  stageOn,
  type CountryRecords,
  type CycleFacts,
  type InstitutionFacts,
  type TrainerFacts,
} from "./indicators";

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent"];
const PHASE = { startsOn: "2024-01-01", endsOn: "2025-12-31" };
const LAST_DAY = "2025-12-31";
const DAY_AFTER = "2026-01-01";

function inst(id: string, moves: [string, string][], extra: Partial<InstitutionFacts> = {}): InstitutionFacts {
  return {
    id,
    name: id,
    stages: STAGES,
    mouSignedOn: null,
    businessPlanAdoptedOn: null,
    scoreInPortfolio: false,
    portfolioListedOn: null,
    transitions: moves.map(([on, toStage], i) => ({ id: `${id}-${i}`, toStage, on, at: `${on}T1${i % 10}:00:00.000Z` })),
    ...extra,
  };
}

const zero = { enterprise_fee: 0n, institution_funds: 0n, government: 0n, sponsor: 0n, other_donor: 0n, ilo: 0n };
function cycle(id: string, endedOn: string, funding: Partial<typeof zero>, extra: Partial<CycleFacts> = {}): CycleFacts {
  const f = { ...zero, ...funding };
  return {
    id,
    institutionId: "a",
    enterpriseId: `e-${id}`,
    endedOn,
    currency: "GHS",
    cost: Object.values(f).reduce((s, v) => s + v, 0n),
    funding: f,
    ...extra,
  };
}
function trainer(id: string, sex: "female" | "male", trainedOn: string | null, extra: Partial<TrainerFacts> = {}): TrainerFacts {
  return { id, institutionId: "a", sex, trainedOn, nationalExpert: false, firstCertifiedOn: null, ...extra };
}
const records = (r: Partial<CountryRecords>): CountryRecords => ({
  institutions: [],
  trainers: [],
  cycles: [],
  commitments: [],
  ...r,
});
const compute = (key: string, r: Partial<CountryRecords>, settings = DEFAULT_INDICATOR_SETTINGS) =>
  indicatorDefinition(key)!.compute!(records(r), PHASE, settings);
const ids = (a: { records: { id: string }[] }) => a.records.map((r) => r.id).sort();

describe("institutions embedding SCORE (at or past the configured stage at the period's end)", () => {
  it("counts an institution by the stage it held on the period's last day, from its transition history", () => {
    const a = inst("reached", [
      ["2023-02-01", "engaged"],
      ["2024-06-01", "tot"],
      ["2025-03-01", "certification"],
      ["2025-09-01", "cost_recovery"],
    ]);
    const b = inst("below", [
      ["2023-02-01", "engaged"],
      ["2024-06-01", "tot"],
    ]);
    const c = inst("beyond", [
      ["2022-01-01", "engaged"],
      ["2023-01-01", "cost_recovery"],
      ["2024-01-01", "independent"],
    ]);
    const r = compute("institutions_embedding", { institutions: [a, b, c] });
    expect(r.value).toBe(2);
    expect(ids(r)).toEqual(["beyond", "reached"]);
    expect(r.unit).toBe("institutions");
  });

  it("does not count an institution that slipped back below the stage before the period ended; counts one that slipped back after", () => {
    const slippedBefore = inst("slipped-before", [
      ["2023-01-01", "engaged"],
      ["2024-05-01", "cost_recovery"],
      ["2025-11-15", "certification"],
    ]);
    const slippedAfter = inst("slipped-after", [
      ["2023-01-01", "engaged"],
      ["2024-05-01", "cost_recovery"],
      [DAY_AFTER, "certification"],
    ]);
    const slippedOnLastDay = inst("slipped-last-day", [
      ["2023-01-01", "engaged"],
      ["2024-05-01", "cost_recovery"],
      [LAST_DAY, "certification"],
    ]);
    const r = compute("institutions_embedding", { institutions: [slippedBefore, slippedAfter, slippedOnLastDay] });
    expect(ids(r)).toEqual(["slipped-after"]);
    expect(stageOn(slippedBefore, LAST_DAY)).toBe("certification");
    expect(stageOn(slippedAfter, LAST_DAY)).toBe("cost_recovery");
  });

  it("counts an advance on the last day, not on the first day after", () => {
    const onLast = inst("on-last", [
      ["2023-01-01", "certification"],
      [LAST_DAY, "cost_recovery"],
    ]);
    const dayAfter = inst("day-after", [
      ["2023-01-01", "certification"],
      [DAY_AFTER, "cost_recovery"],
    ]);
    expect(ids(compute("institutions_embedding", { institutions: [onLast, dayAfter] }))).toEqual(["on-last"]);
  });

  it("follows the configured stage", () => {
    const a = inst("a", [
      ["2023-01-01", "engaged"],
      ["2024-02-01", "tot"],
    ]);
    expect(
      compute("institutions_embedding", { institutions: [a] }, { embeddingStage: "tot", embeddingPortfolioFlag: false }).value,
    ).toBe(1);
    expect(
      compute("institutions_embedding", { institutions: [a] }, { embeddingStage: "certification", embeddingPortfolioFlag: false })
        .value,
    ).toBe(0);
  });

  it("may count the portfolio flag instead of a stage, or require both; a listing after the day does not count", () => {
    const early = inst("flag-early", [["2023-01-01", "engaged"]], { scoreInPortfolio: true, portfolioListedOn: "2024-03-01" });
    const late = inst("flag-late", [["2023-01-01", "cost_recovery"]], { scoreInPortfolio: true, portfolioListedOn: DAY_AFTER });
    const undated = inst("flag-undated", [["2023-01-01", "cost_recovery"]], { scoreInPortfolio: true });
    const none = inst("no-flag", [["2023-01-01", "independent"]]);
    const institutions = [early, late, undated, none];
    const flagOnly = { embeddingStage: null, embeddingPortfolioFlag: true };
    const both = { embeddingStage: "cost_recovery", embeddingPortfolioFlag: true };
    const stageOnly = { embeddingStage: "cost_recovery", embeddingPortfolioFlag: false };
    expect(ids(compute("institutions_embedding", { institutions }, flagOnly))).toEqual(["flag-early", "flag-undated"]);
    expect(ids(compute("institutions_embedding", { institutions }, both))).toEqual(["flag-undated"]);
    expect(ids(compute("institutions_embedding", { institutions }, stageOnly))).toEqual(["flag-late", "flag-undated", "no-flag"]);
  });
});

describe("% of training cost covered by non-ILO sources", () => {
  it("sums the cycles ended in the period in exact minor units: the last day counts, the day after does not", () => {
    const r = compute("non_ilo_cost_share", {
      cycles: [
        cycle("in", "2024-03-10", { enterprise_fee: 150_000n, ilo: 50_000n }),
        cycle("last-day", LAST_DAY, { government: 100_000n, sponsor: 20_000n, ilo: 80_000n }),
        cycle("day-after", DAY_AFTER, { ilo: 900_000n }),
        cycle("before", "2023-12-31", { ilo: 900_000n }),
      ],
    });
    // (150 000 + 120 000) / 400 000 = 67.5 %
    expect(r.value).toBe(67.5);
    expect(ids(r)).toEqual(["in", "last-day"]);
    expect(r.perCurrency).toEqual([{ currency: "GHS", cost: "400000", nonIlo: "270000", percent: 67.5 }]);
  });

  it("stays exact beyond 2^53 minor units and rounds half up", () => {
    const big = 9_007_199_254_740_993n; // 2^53 + 1: not a safe float
    const r = compute("non_ilo_cost_share", { cycles: [cycle("x", "2024-05-01", { enterprise_fee: big, ilo: big * 2n })] });
    expect(r.value).toBe(33.3);
    expect(percentOf(1n, 8n)).toBe(12.5);
    expect(percentOf(1n, 16n, 1)).toBe(6.3); // 6.25 rounds half up
    expect(percentOf(0n, 0n)).toBeNull();
  });

  it("never adds two currencies: each gets its share and the country's value stays empty", () => {
    const r = compute("non_ilo_cost_share", {
      cycles: [
        cycle("ghs", "2024-05-01", { enterprise_fee: 1n, ilo: 1n }),
        cycle("usd", "2024-05-01", { ilo: 1n }, { currency: "USD" }),
      ],
    });
    expect(r.value).toBeNull();
    expect(r.perCurrency!.map((p) => [p.currency, p.percent])).toEqual([
      ["GHS", 50],
      ["USD", 0],
    ]);
  });

  it("has no value when no cycle ended in the period", () => {
    expect(compute("non_ilo_cost_share", { cycles: [cycle("late", DAY_AFTER, { enterprise_fee: 5n })] }).value).toBeNull();
  });
});

describe("institutions or companies sponsoring or paying", () => {
  it("counts distinct named funders in force during the period and enterprises that paid fees", () => {
    const r = compute("paying_sponsors", {
      commitments: [
        { id: "c1", institutionId: "a", funder: "Ministry of Trade", startsOn: "2023-01-01", endsOn: null },
        { id: "c2", institutionId: "b", funder: " ministry of trade ", startsOn: "2024-06-01", endsOn: "2026-06-01" }, // the same payer
        { id: "c3", institutionId: "a", funder: "Lead Buyer Ltd", startsOn: "2022-01-01", endsOn: "2023-12-31" }, // ended before
        { id: "c4", institutionId: "a", funder: "Late Sponsor", startsOn: DAY_AFTER, endsOn: null }, // starts after
        { id: "c5", institutionId: "a", funder: "Last Day Sponsor", startsOn: LAST_DAY, endsOn: null },
      ],
      cycles: [
        cycle("fee1", "2024-04-01", { enterprise_fee: 10n }, { enterpriseId: "ent-1" }),
        cycle("fee2", "2025-04-01", { enterprise_fee: 10n }, { enterpriseId: "ent-1" }), // the same enterprise again
        cycle("fee3", DAY_AFTER, { enterprise_fee: 10n }, { enterpriseId: "ent-2" }),
        cycle("ilo-only", "2024-04-01", { ilo: 10n, government: 5n }, { enterpriseId: "ent-3" }),
      ],
    });
    expect(r.value).toBe(3); // Ministry of Trade, Last Day Sponsor, enterprise ent-1
    expect(ids(r)).toEqual(["c1", "c2", "c5", "fee1", "fee2"]);
  });
});

describe("MoUs signed and business plans adopted, up to the period's end", () => {
  it("counts those dated on the last day and not those of the first day after", () => {
    const institutions = [
      inst("early", [], { mouSignedOn: "2021-05-01", businessPlanAdoptedOn: "2024-02-02" }),
      inst("last", [], { mouSignedOn: LAST_DAY, businessPlanAdoptedOn: LAST_DAY }),
      inst("after", [], { mouSignedOn: DAY_AFTER, businessPlanAdoptedOn: DAY_AFTER }),
      inst("none", []),
    ];
    expect(ids(compute("mous_signed", { institutions }))).toEqual(["early", "last"]);
    const plans = compute("business_plans", { institutions });
    expect(plans.value).toBe(2);
    expect(plans.unit).toBe("plans");
  });
});

describe("partner staff trained and national expert trainers, with % women", () => {
  it("counts trainers trained within the period, and the share of women", () => {
    const r = compute("partner_staff_trained", {
      trainers: [
        trainer("w1", "female", "2024-01-01"),
        trainer("w2", "female", LAST_DAY),
        trainer("m1", "male", "2024-07-01"),
        trainer("m2", "male", "2025-02-01"),
        trainer("early", "female", "2023-12-31"),
        trainer("late", "female", DAY_AFTER),
        trainer("never", "male", null),
      ],
    });
    expect(r.value).toBe(4);
    expect(r.women).toEqual({ count: 2, percent: 50 });
    expect(ids(r)).toEqual(["m1", "m2", "w1", "w2"]);
  });

  it("counts national experts certified by the period's end", () => {
    const r = compute("national_expert_trainers", {
      trainers: [
        trainer("e1", "female", "2020-01-01", { nationalExpert: true, firstCertifiedOn: "2021-01-01" }),
        trainer("e2", "male", "2020-01-01", { nationalExpert: true, firstCertifiedOn: LAST_DAY }),
        trainer("e3", "male", "2020-01-01", { nationalExpert: true, firstCertifiedOn: DAY_AFTER }),
        trainer("e4", "male", "2020-01-01", { nationalExpert: true, firstCertifiedOn: "2022-01-01" }),
        trainer("plain", "female", "2020-01-01", { firstCertifiedOn: "2021-01-01" }),
      ],
    });
    expect(r.value).toBe(3);
    expect(r.women).toEqual({ count: 1, percent: 33.3 });
  });

  it("gives no women's share when nobody was trained", () => {
    expect(compute("partner_staff_trained", {}).women).toEqual({ count: 0, percent: null });
  });
});

describe("manual indicators and % achieved", () => {
  it("take the entered actual, marked manual, and compute % achieved against the target", () => {
    const def = indicatorDefinition("clusters_selected")!;
    expect(def.source).toBe("manual");
    const entry = { value: 3, evidence: "https://example.org/minutes.pdf", note: "", enteredBy: "x", enteredAt: "2025-01-01" };
    const cell = logframeCell(def, "GH", records({}), PHASE, DEFAULT_INDICATOR_SETTINGS, 4, entry);
    expect(cell.actual.kind).toBe("manual");
    expect(cell.actual.value).toBe(3);
    expect(cell.achieved).toBe(75);
    const empty = logframeCell(def, "GH", records({}), PHASE, DEFAULT_INDICATOR_SETTINGS, 4, null);
    expect(empty.actual.value).toBeNull();
    expect(empty.achieved).toBeNull();
  });

  it("has no % achieved without a target above zero", () => {
    expect(achievedPercent(5, null)).toBeNull();
    expect(achievedPercent(5, 0)).toBeNull();
    expect(achievedPercent(2, 3)).toBe(66.7);
    expect(achievedPercent(67.5, 50)).toBe(135);
  });
});
