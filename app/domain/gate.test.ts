import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../db/reference-data";
import { evaluateGate, evaluateNextGate, failingFloors, nextCertificationExpiry, readinessScore } from "./gate";
import { EMPTY_RECORDS, type FundingSplit, type PathwayRecords, type TrainerRecord } from "./records";
import { TemplateDefinitionSchema } from "./template";

const NOW = new Date("2026-06-15T10:00:00Z");
const stage = (key: string) => DEFAULT_TEMPLATE.stages.find((s) => s.key === key)!;

function trainer(i: number, over: Partial<TrainerRecord> = {}): TrainerRecord {
  return {
    id: `t${i}`,
    sex: i % 3 === 0 ? "female" : "male",
    nationalExpert: false,
    trainedOn: "2025-09-01",
    lastActiveOn: "2026-03-01",
    certifications: [],
    ...over,
  };
}

const funding = (split: Partial<FundingSplit>): FundingSplit => ({
  enterprise_fee: 0,
  institution_funds: 0,
  government: 0,
  sponsor: 0,
  other_donor: 0,
  ilo: 0,
  ...split,
});

const cert = (module: string, certifiedOn = "2025-01-10", expiresOn = "2028-01-10") => ({ module, certifiedOn, expiresOn });

describe("the Training of Trainers gate", () => {
  const engaged: PathwayRecords = { ...EMPTY_RECORDS, mouSignedOn: "2025-02-01", scoreInPortfolio: true };

  it("is not met with five trainers", () => {
    const records = { ...engaged, trainers: [1, 2, 3, 4, 5].map((i) => trainer(i, { sex: i <= 2 ? "female" : "male" })) };
    const gate = evaluateGate(stage("tot"), records, NOW);
    expect(gate.met).toBe(false);
    expect(gate.criteria.find((c) => c.key === "trained")).toMatchObject({ value: 5, threshold: 6, met: false });
    expect(gate.progress).toBe(75);
  });

  it("is met with six trainers of whom two are women (33%)", () => {
    const records = { ...engaged, trainers: [1, 2, 3, 4, 5, 6].map((i) => trainer(i, { sex: i <= 2 ? "female" : "male" })) };
    const gate = evaluateGate(stage("tot"), records, NOW);
    expect(gate.criteria.find((c) => c.key === "women")).toMatchObject({ value: 33.3, met: true, basis: "2 women of 6 trained" });
    expect(gate.met).toBe(true);
  });

  it("fails on the women share alone: 1 of 6 is under 30%", () => {
    const records = { ...engaged, trainers: [1, 2, 3, 4, 5, 6].map((i) => trainer(i, { sex: i === 1 ? "female" : "male" })) };
    const gate = evaluateGate(stage("tot"), records, NOW);
    expect(gate.met).toBe(false);
    expect(gate.criteria.filter((c) => !c.met).map((c) => c.key)).toEqual(["women"]);
  });

  it("needs the MoU to be signed already, not in the future", () => {
    const records = {
      ...engaged,
      mouSignedOn: "2026-07-01",
      trainers: [1, 2, 3, 4, 5, 6].map((i) => trainer(i, { sex: "female" })),
    };
    expect(evaluateGate(stage("tot"), records, NOW).criteria.find((c) => c.key === "mou")?.met).toBe(false);
  });
});

describe("the Certification gate", () => {
  const certified: TrainerRecord[] = [
    trainer(1, { certifications: [cert("M1"), cert("M2")], nationalExpert: true }),
    trainer(2, { certifications: [cert("M1"), cert("M3")] }),
    trainer(3, { certifications: [cert("M2")] }),
    trainer(4, { certifications: [cert("M1")], lastActiveOn: "2024-01-01" }),
  ];
  const records: PathwayRecords = { ...EMPTY_RECORDS, trainers: certified };

  it("is met with four certified trainers covering M1 plus two modules and an expert", () => {
    const gate = evaluateGate(stage("certification"), records, NOW);
    expect(gate.criteria.map((c) => [c.key, c.value])).toEqual([
      ["certified", 4],
      ["m1", 3],
      ["other_modules", 2],
      ["experts", 1],
      ["active", 75],
    ]);
    expect(gate.met).toBe(true);
  });

  it("stops counting certifications once they expire", () => {
    const later = new Date("2028-01-10T00:00:00Z");
    const gate = evaluateGate(stage("certification"), records, later);
    expect(gate.criteria.find((c) => c.key === "certified")).toMatchObject({ value: 0, met: false });
    expect(nextCertificationExpiry(records, NOW)).toBe("2028-01-10");
    expect(nextCertificationExpiry(records, later)).toBeNull();
  });

  it("flags the certification floor after expiry for an institution already past it", () => {
    const atCostRecovery = failingFloors(DEFAULT_TEMPLATE, "cost_recovery", records, new Date("2028-02-01T00:00:00Z"));
    expect(atCostRecovery.map((f) => `${f.stageKey}.${f.criterion.key}`)).toContain("certification.certified");
    expect(failingFloors(DEFAULT_TEMPLATE, "tot", records, new Date("2028-02-01T00:00:00Z"))).toEqual([]);
  });
});

describe("the Cost recovery gate", () => {
  const base: PathwayRecords = { ...EMPTY_RECORDS, businessPlanAdoptedOn: "2026-01-10" };

  it("computes the non-ILO share of delivery cost over the last 12 months only", () => {
    const records: PathwayRecords = {
      ...base,
      cycles: [
        // Older than 12 months: ignored.
        { module: "M1", endedOn: "2025-05-01", iloStaffInvolved: true, funding: funding({ ilo: 1_000_000 }) },
        {
          module: "M1",
          endedOn: "2025-09-01",
          iloStaffInvolved: true,
          funding: funding({ ilo: 100_000, enterprise_fee: 50_000 }),
        },
        {
          module: "M2",
          endedOn: "2026-04-01",
          iloStaffInvolved: false,
          funding: funding({ government: 100_000, enterprise_fee: 50_000 }),
        },
      ],
    };
    const gate = evaluateGate(stage("cost_recovery"), records, NOW);
    // (50k + 100k + 50k) of 300k = 66.7%
    expect(gate.criteria.find((c) => c.key === "non_ilo_share")).toMatchObject({ value: 66.7, met: true });
    expect(gate.criteria.find((c) => c.key === "sources")).toMatchObject({ value: 2, met: true });
    expect(gate.met).toBe(true);
  });

  it("reports 0% when nothing was delivered in the window", () => {
    const gate = evaluateGate(stage("cost_recovery"), base, NOW);
    expect(gate.criteria.find((c) => c.key === "non_ilo_share")).toMatchObject({ value: 0, met: false });
  });
});

describe("the Independent delivery gate", () => {
  it("needs a cycle with no ILO staff or money and funding in force", () => {
    const records: PathwayRecords = {
      ...EMPTY_RECORDS,
      cycles: [
        {
          module: "M1",
          endedOn: "2026-02-01",
          iloStaffInvolved: false,
          funding: funding({ enterprise_fee: 150_000, government: 50_000 }),
        },
      ],
      commitments: [{ kind: "government_budget_line", startsOn: "2026-01-01", endsOn: "2026-05-31" }],
    };
    const gate = evaluateGate(stage("independent"), records, NOW);
    expect(gate.criteria.find((c) => c.key === "without_ilo")).toMatchObject({ value: 1, met: true });
    expect(gate.criteria.find((c) => c.key === "sustained")).toMatchObject({ value: 0, met: false, basis: "None in force" });
    const renewed = {
      ...records,
      commitments: [{ kind: "government_budget_line" as const, startsOn: "2026-01-01", endsOn: null }],
    };
    expect(evaluateGate(stage("independent"), renewed, NOW).met).toBe(true);
  });
});

describe("templates are data", () => {
  it("a country template with other thresholds changes the verdict, not the code", () => {
    const stricter = TemplateDefinitionSchema.parse({
      ...DEFAULT_TEMPLATE,
      stages: DEFAULT_TEMPLATE.stages.map((s) =>
        s.key === "tot" ? { ...s, gate: s.gate.map((c) => (c.key === "trained" ? { ...c, threshold: 10 } : c)) } : s,
      ),
    });
    const records: PathwayRecords = {
      ...EMPTY_RECORDS,
      mouSignedOn: "2025-01-01",
      scoreInPortfolio: true,
      trainers: [1, 2, 3, 4, 5, 6].map((i) => trainer(i, { sex: "female" })),
    };
    expect(evaluateNextGate(DEFAULT_TEMPLATE, "engaged", records, NOW)?.met).toBe(true);
    expect(evaluateNextGate(stricter, "engaged", records, NOW)?.met).toBe(false);
    expect(evaluateNextGate(DEFAULT_TEMPLATE, "independent", records, NOW)).toBeNull();
  });

  it("refuses a template whose later stage has no gate or whose stage keys repeat", () => {
    const noGate = { ...DEFAULT_TEMPLATE, stages: DEFAULT_TEMPLATE.stages.map((s, i) => (i === 2 ? { ...s, gate: [] } : s)) };
    expect(TemplateDefinitionSchema.safeParse(noGate).error?.issues[0].message).toBe("Stage Certification has no gate criteria");
    const repeated = { ...DEFAULT_TEMPLATE, stages: [...DEFAULT_TEMPLATE.stages, DEFAULT_TEMPLATE.stages[1]] };
    expect(TemplateDefinitionSchema.safeParse(repeated).success).toBe(false);
  });
});

describe("readiness score", () => {
  const weights = { technical: 35, institutional: 30, financial: 35 };
  const base = {
    mouSignedOn: null,
    scoreInPortfolio: false,
    businessPlanAdoptedOn: null,
    trainers: [],
    cycles: [],
    commitments: [],
  };

  it("is 0 with no ILO assessment, and for records recorded before the scorecard existed", () => {
    expect(readinessScore({ ...base, readiness: null }, weights).value).toBe(0);
    expect(readinessScore(base, weights).value).toBe(0);
  });

  it("weights each dimension's distance from 1 to 4", () => {
    // technical 4 → 100, institutional 2.5 → 50, financial 1 → 0: (35·100 + 30·50 + 35·0) / 100 = 50
    const r = { ...base, readiness: { assessedOn: "2026-05-01", means: { technical: 4, institutional: 2.5, financial: 1 } } };
    expect(readinessScore(r, weights).value).toBe(50);
    expect(readinessScore(r, { technical: 0, institutional: 0, financial: 1 }).value).toBe(0);
    expect(readinessScore(r, { technical: 1, institutional: 0, financial: 0 }).value).toBe(100);
  });

  it("counts a dimension not scored as 0", () => {
    const r = { ...base, readiness: { assessedOn: "2026-05-01", means: { technical: 4, institutional: 4, financial: null } } };
    expect(readinessScore(r, weights).value).toBe(65);
    expect(readinessScore(r, weights).basis).toContain("financial not scored");
  });
});
