import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EMPTY_RECORDS, type PathwayRecords } from "./records";
import { applyReportEffects, effectId, reportEffects, ReportNotApplicableError, type VerifiedReport } from "./report-effects";
import { recordsAfterReport } from "./reports";

const REPORT_ID = "7d3f1f0e-2b6a-4c1e-9d4b-4f4a0c2e8b11";
const INSTITUTION_ID = "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f101";
const RULES = { certificationValidityMonths: 36, currency: "GHS" };
const report = (body: Omit<VerifiedReport, "reportId" | "institutionId">): VerifiedReport =>
  ({ reportId: REPORT_ID, institutionId: INSTITUTION_ID, ...body }) as VerifiedReport;

const TRAINER = {
  id: "4c0d8a8e-6a34-4f0b-8d2c-0b6f1c9d2e77",
  sex: "female" as const,
  nationalExpert: false,
  trainedOn: "2025-01-10",
  certifications: [],
};
const withTrainer = (lastActiveOn: string | null): PathwayRecords => ({
  ...EMPTY_RECORDS,
  trainers: [{ ...TRAINER, lastActiveOn }],
});

/** RFC 4122 version 5 computed with Node's own SHA-1, to check the workflow-safe one. */
function nodeUuidV5(namespace: string, name: string): string {
  const h = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(name, "utf8")
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe("effect ids", () => {
  it("are RFC 4122 name-based UUIDs: the published example and Node's SHA-1 agree", () => {
    // The DNS namespace example of RFC 9562 / the uuid package's documented test vector.
    expect(effectId("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    for (const key of ["cohort", "trainer:0", "trainer:59", "certification", "ключ-é-✓", "x".repeat(200)]) {
      expect(effectId(REPORT_ID, key), key).toBe(nodeUuidV5(REPORT_ID, key));
    }
  });

  it("are the same for the same report and key, and differ otherwise", () => {
    expect(effectId(REPORT_ID, "cohort")).toBe(effectId(REPORT_ID.toUpperCase(), "cohort"));
    expect(effectId(REPORT_ID, "cohort")).not.toBe(effectId(REPORT_ID, "trainer:0"));
    expect(effectId(REPORT_ID, "cohort")).not.toBe(effectId(INSTITUTION_ID, "cohort"));
  });

  it("refuse a report id that is not a UUID", () => {
    expect(() => effectId("not-a-uuid", "cohort")).toThrow(/Not a UUID/);
  });
});

describe("what a verified report writes", () => {
  const cohort = report({
    kind: "tot_cohort",
    payload: {
      module: "M1",
      startedOn: "2026-05-01",
      endedOn: "2026-05-05",
      trainers: [
        { name: "Ama Boateng", sex: "female" },
        { name: "Kofi Asante", sex: "male" },
      ],
    },
  });

  it("a ToT cohort adds the cohort, then its trainers, trained and last active on its last day", () => {
    const effects = reportEffects(cohort, EMPTY_RECORDS, RULES);
    expect(effects.map((e) => [e.type, e.key])).toEqual([
      ["tot_cohort_added", "cohort"],
      ["trainer_added", "trainer:0"],
      ["trainer_added", "trainer:1"],
    ]);
    expect(effects[1]).toMatchObject({
      id: effectId(REPORT_ID, "trainer:0"),
      cohortId: effectId(REPORT_ID, "cohort"),
      trainedOn: "2026-05-05",
      lastActiveOn: "2026-05-05",
      sex: "female",
    });
    // Computed twice, the same ids: a retry names the same records.
    expect(reportEffects(cohort, EMPTY_RECORDS, RULES)).toEqual(effects);
  });

  it("a certification adds the certificate with its expiry and marks the trainer active that day", () => {
    const body = report({
      kind: "trainer_certified",
      payload: { trainerId: TRAINER.id, module: "M2", certifiedOn: "2026-02-28", nationalExpert: true },
    });
    const effects = reportEffects(body, withTrainer("2025-06-01"), RULES);
    expect(effects).toEqual([
      expect.objectContaining({
        type: "certification_added",
        trainerId: TRAINER.id,
        module: "M2",
        certifiedOn: "2026-02-28",
        expiresOn: "2029-02-28",
        sourceReportId: REPORT_ID,
      }),
      expect.objectContaining({ type: "trainer_updated", trainerId: TRAINER.id, activeOn: "2026-02-28", nationalExpert: true }),
    ]);
  });

  it("a training cycle upserts its enterprise and adds the cycle in the institution's currency", () => {
    const funding = { enterprise_fee: 300, institution_funds: 0, government: 0, sponsor: 0, other_donor: 0, ilo: 700 };
    const body = report({
      kind: "training_cycle",
      payload: {
        module: "M1",
        enterpriseName: "Tema Packaging Ltd",
        enterpriseSize: "small",
        startedOn: "2026-01-05",
        endedOn: "2026-04-01",
        visits: 3,
        participants: { managersFemale: 1, managersMale: 1, workersFemale: 2, workersMale: 1 },
        cost: 1000,
        funding,
        iloStaffInvolved: true,
      },
    });
    const effects = reportEffects(body, EMPTY_RECORDS, RULES);
    expect(effects.map((e) => e.type)).toEqual(["enterprise_upserted", "training_cycle_added"]);
    expect(effects[1]).toMatchObject({ enterpriseName: "Tema Packaging Ltd", currency: "GHS", cost: 1000, funding });
    expect(applyReportEffects(EMPTY_RECORDS, effects).cycles).toEqual([
      { module: "M1", endedOn: "2026-04-01", funding, iloStaffInvolved: true },
    ]);
  });

  it("institution facts and funding commitments", () => {
    const after = [
      report({ kind: "mou_signed", payload: { signedOn: "2025-03-01" } }),
      report({ kind: "score_in_portfolio", payload: { listedOn: "2025-04-01" } }),
      report({ kind: "business_plan_adopted", payload: { adoptedOn: "2025-05-01" } }),
      report({
        kind: "funding_secured",
        payload: { kind: "multi_year_sponsor", funder: "Lead buyer", startsOn: "2025-06-01", endsOn: "2027-06-01" },
      }),
      report({
        kind: "enterprise_reached",
        payload: { name: "Kumasi Wood Works", size: "medium", sector: "Furniture", workersFemale: 20, workersMale: 40 },
      }),
    ].reduce((records, r) => applyReportEffects(records, reportEffects(r, records, RULES)), EMPTY_RECORDS);
    expect(after).toMatchObject({
      mouSignedOn: "2025-03-01",
      scoreInPortfolio: true,
      businessPlanAdoptedOn: "2025-05-01",
      commitments: [{ kind: "multi_year_sponsor", startsOn: "2025-06-01", endsOn: "2027-06-01" }],
      trainers: [],
      cycles: [],
    });
  });

  it("a lapse ends the trainer's still-valid certificates in that module on the day", () => {
    const records: PathwayRecords = {
      ...EMPTY_RECORDS,
      trainers: [
        {
          ...TRAINER,
          lastActiveOn: null,
          certifications: [
            { module: "M1", certifiedOn: "2025-01-01", expiresOn: "2028-01-01" },
            { module: "M2", certifiedOn: "2025-01-01", expiresOn: "2028-01-01" },
          ],
        },
      ],
    };
    const after = recordsAfterReport(
      records,
      report({ kind: "trainer_lapsed", payload: { trainerId: TRAINER.id, module: "M1", lapsedOn: "2026-03-01" } }),
      RULES,
    );
    expect(after.trainers[0].certifications).toEqual([
      { module: "M1", certifiedOn: "2025-01-01", expiresOn: "2026-03-01" },
      { module: "M2", certifiedOn: "2025-01-01", expiresOn: "2028-01-01" },
    ]);
  });

  it("a certification naming a trainer the institution does not have is not applicable", () => {
    const certified = report({
      kind: "trainer_certified",
      payload: {
        trainerId: "9f9f9f9f-0000-4000-8000-000000000000",
        module: "M1",
        certifiedOn: "2026-01-01",
        nationalExpert: false,
      },
    });
    const error = (() => {
      try {
        reportEffects(certified, withTrainer(null), RULES);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ReportNotApplicableError);
    expect(error).toMatchObject({
      reportId: REPORT_ID,
      field: "payload.trainerId",
      message: "it names a record this institution does not have",
    });
  });

  it("a lapse naming a trainer the institution does not have changes none of its records", () => {
    const records = {
      ...EMPTY_RECORDS,
      trainers: [
        {
          ...TRAINER,
          lastActiveOn: null,
          certifications: [{ module: "M1", certifiedOn: "2025-01-01", expiresOn: "2028-01-01" }],
        },
      ],
    };
    const lapsed = report({
      kind: "trainer_lapsed",
      payload: { trainerId: "9f9f9f9f-0000-4000-8000-000000000000", module: "M1", lapsedOn: "2026-01-01" },
    });
    expect(recordsAfterReport(records, lapsed, RULES)).toEqual(records);
  });
});

describe("applying effects to records (the preview)", () => {
  it("moves a certified trainer's last activity forward to the certification day, never back", () => {
    const certify = (on: string) =>
      report({
        kind: "trainer_certified",
        payload: { trainerId: TRAINER.id, module: "M1", certifiedOn: on, nationalExpert: false },
      });
    expect(recordsAfterReport(withTrainer("2024-01-01"), certify("2026-02-01"), RULES).trainers[0].lastActiveOn).toBe(
      "2026-02-01",
    );
    expect(recordsAfterReport(withTrainer(null), certify("2026-02-01"), RULES).trainers[0].lastActiveOn).toBe("2026-02-01");
    expect(recordsAfterReport(withTrainer("2026-05-01"), certify("2026-02-01"), RULES).trainers[0].lastActiveOn).toBe(
      "2026-05-01",
    );
  });

  it("never unsets the national expert flag", () => {
    const records: PathwayRecords = { ...EMPTY_RECORDS, trainers: [{ ...TRAINER, nationalExpert: true, lastActiveOn: null }] };
    const after = recordsAfterReport(
      records,
      report({
        kind: "trainer_certified",
        payload: { trainerId: TRAINER.id, module: "M1", certifiedOn: "2026-02-01", nationalExpert: false },
      }),
      RULES,
    );
    expect(after.trainers[0].nationalExpert).toBe(true);
  });

  it("applied twice, adds trainers and certificates once, as the database does", () => {
    const cohort = report({
      kind: "tot_cohort",
      payload: {
        module: "M1",
        startedOn: "2026-05-01",
        endedOn: "2026-05-05",
        trainers: [{ name: "Ama Boateng", sex: "female" }],
      },
    });
    const once = applyReportEffects(EMPTY_RECORDS, reportEffects(cohort, EMPTY_RECORDS, RULES));
    expect(applyReportEffects(once, reportEffects(cohort, EMPTY_RECORDS, RULES))).toEqual(once);
    const certify = report({
      kind: "trainer_certified",
      payload: { trainerId: TRAINER.id, module: "M1", certifiedOn: "2026-02-01", nationalExpert: false },
    });
    const effects = reportEffects(certify, withTrainer(null), RULES);
    const twice = applyReportEffects(applyReportEffects(withTrainer(null), effects), effects);
    expect(twice.trainers[0].certifications).toHaveLength(1);
  });

  it("leaves the records it was given unchanged", () => {
    const records = withTrainer("2024-01-01");
    const copy = structuredClone(records);
    recordsAfterReport(
      records,
      report({
        kind: "trainer_certified",
        payload: { trainerId: TRAINER.id, module: "M1", certifiedOn: "2026-02-01", nationalExpert: true },
      }),
      RULES,
    );
    expect(records).toEqual(copy);
  });

  it("lets the caller choose the ids (the demo seed keeps its own)", () => {
    const cohort = report({
      kind: "tot_cohort",
      payload: {
        module: "M1",
        startedOn: "2026-05-01",
        endedOn: "2026-05-05",
        trainers: [{ name: "Ama Boateng", sex: "female" }],
      },
    });
    const effects = reportEffects(cohort, EMPTY_RECORDS, { ...RULES, idFor: (key) => `seed-${key}` });
    expect(effects.map((e) => e.id)).toEqual(["seed-cohort", "seed-trainer:0"]);
    expect(effects[1]).toMatchObject({ cohortId: "seed-cohort" });
  });
});
