import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../db/reference-data";
import { evaluateNextGate } from "./gate";
import { EMPTY_RECORDS } from "./records";
import { MilestoneReportSchema, ReportDecisionSchema, fieldErrors, recordsAfterReport, type ReportBody } from "./reports";

const envelope = {
  reportId: "6f1c2a7e-8d3b-4a51-9b0e-2f4d5c6a7b8c",
  institutionId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  submittedBy: "Reporting officer",
};

const cycle = {
  module: "M1",
  enterpriseName: "Accra Garments Ltd",
  enterpriseSize: "small",
  startedOn: "2026-01-10",
  endedOn: "2026-04-02",
  visits: 3,
  participants: { managersFemale: 1, managersMale: 1, workersFemale: 1, workersMale: 1 },
  cost: 200_000,
  funding: { enterprise_fee: 50_000, institution_funds: 0, government: 0, sponsor: 0, other_donor: 0, ilo: 150_000 },
  iloStaffInvolved: true,
};

describe("milestone report validation", () => {
  it("accepts a training cycle whose funding adds up to its cost", () => {
    expect(MilestoneReportSchema.safeParse({ ...envelope, kind: "training_cycle", payload: cycle }).success).toBe(true);
  });

  it("names the funding split when it does not add up to the cost", () => {
    const bad = { ...cycle, funding: { ...cycle.funding, ilo: 100_000 } };
    const result = MilestoneReportSchema.safeParse({ ...envelope, kind: "training_cycle", payload: bad });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({ "payload.funding": "The funding split must add up to the cost" });
  });

  it("refuses a ToT that ends before it starts, and one with no trainers", () => {
    const result = MilestoneReportSchema.safeParse({
      ...envelope,
      kind: "tot_cohort",
      payload: { module: "M1", startedOn: "2026-03-10", endedOn: "2026-03-01", trainers: [] },
    });
    const errors = fieldErrors(result.error!);
    expect(errors["payload.trainers"]).toBe("List at least one trainer who completed the ToT");
    expect(errors["payload.endedOn"]).toBe("The ToT cannot end before it starts");
  });

  it("needs a report id, so a retry can be recognised", () => {
    const result = MilestoneReportSchema.safeParse({
      ...envelope,
      reportId: "x",
      kind: "mou_signed",
      payload: { signedOn: "2026-01-01" },
    });
    expect(fieldErrors(result.error!).reportId).toBe("Every report needs its own id");
  });

  it("asks for a comment when a report goes back", () => {
    const base = { reportId: envelope.reportId, decidedBy: "ILO officer" };
    expect(ReportDecisionSchema.safeParse({ ...base, decision: "verify" }).success).toBe(true);
    const returned = ReportDecisionSchema.safeParse({ ...base, decision: "return", comment: " " });
    expect(fieldErrors(returned.error!).comment).toBe("Say why the report goes back to the institution");
  });
});

describe("previewing a report's effect on the next gate", () => {
  const REPORT = { reportId: "5b7c1a52-3f0e-4c55-9a43-2f6f3f7b2d10", institutionId: "0c9a4e43-8d3a-4a55-b6b3-3b1d3e7a6f21" };
  const RULES = { certificationValidityMonths: 36, currency: "USD" };

  it("a ToT cohort of six with two women meets the ToT gate of an engaged institution", () => {
    const records = { ...EMPTY_RECORDS, mouSignedOn: "2025-01-01", scoreInPortfolio: true };
    const body: ReportBody = {
      kind: "tot_cohort",
      payload: {
        module: "M1",
        startedOn: "2026-05-01",
        endedOn: "2026-05-05",
        trainers: ["Ama", "Kofi", "Yaw", "Esi", "Kwame", "Kojo"].map((name, i) => ({
          name,
          sex: i === 0 || i === 3 ? "female" : "male",
        })),
      },
    };
    const now = new Date("2026-06-01T00:00:00Z");
    expect(evaluateNextGate(DEFAULT_TEMPLATE, "engaged", records, now)?.met).toBe(false);
    const after = recordsAfterReport(records, { ...REPORT, ...body }, RULES);
    expect(evaluateNextGate(DEFAULT_TEMPLATE, "engaged", after, now)?.met).toBe(true);
  });

  it("a certification adds an expiry from the template's validity", () => {
    const records = {
      ...EMPTY_RECORDS,
      trainers: [
        {
          id: "t1",
          sex: "female" as const,
          nationalExpert: false,
          trainedOn: "2025-01-01",
          lastActiveOn: null,
          certifications: [],
        },
      ],
    };
    const after = recordsAfterReport(
      records,
      {
        ...REPORT,
        kind: "trainer_certified",
        payload: { trainerId: "t1", module: "M2", certifiedOn: "2026-02-28", nationalExpert: true },
      },
      RULES,
    );
    expect(after.trainers[0]).toMatchObject({
      nationalExpert: true,
      certifications: [{ module: "M2", certifiedOn: "2026-02-28", expiresOn: "2029-02-28" }],
    });
  });
});
