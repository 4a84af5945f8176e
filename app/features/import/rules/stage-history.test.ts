import { describe, expect, it } from "vitest";
import { normalisePeriod } from "./business-plans";
import { institutionKey, type ImportReference } from "./entity";
import { IMPORT_SPECS } from "./index";
import { stageOf } from "./stage-history";
import { validateSheet } from "./validate";

const STAGES = [
  { key: "engaged", name: "Engaged" },
  { key: "tot", name: "Training of Trainers" },
  { key: "certification", name: "Certification" },
  { key: "cost_recovery", name: "Cost recovery" },
];

const ref = (current = "engaged", reached: Record<string, string> = { engaged: "2026-12-01" }): ImportReference => ({
  countries: ["GH"],
  modules: ["M1"],
  phases: [],
  institutions: new Map([[institutionKey("GH", "Accra Centre"), { id: "i-1", currency: "GHS" }]]),
  enterprises: new Map(),
  pathways: new Map([["i-1", { stages: STAGES, current, reached }]]),
  today: "2026-12-06",
});

const HEADER = ["country", "institution", "stage", "reached_on", "decided_by", "note"];
const sheet = (rows: string[][]) => ({ header: HEADER, rows });
const codes = (rows: string[][], r = ref()) =>
  validateSheet(IMPORT_SPECS.stage_history, sheet(rows), r).problems.map((p) => [p.row, p.column, p.code]);

describe("stage history rows", () => {
  it("a stage is named by its key or its name, in any case and spacing", () => {
    expect(stageOf({ stages: STAGES }, "TOT")).toBe("tot");
    expect(stageOf({ stages: STAGES }, " training  of trainers ")).toBe("tot");
    expect(stageOf({ stages: STAGES }, "accredited")).toBeNull();
  });

  it("a history in order is accepted, several stages on one day too", () => {
    expect(
      codes([
        ["GH", "Accra Centre", "engaged", "2013-02-01", "officer@ilo.org", ""],
        ["GH", "Accra Centre", "tot", "2014-03-20", "officer@ilo.org", ""],
        ["GH", "Accra Centre", "certification", "2014-03-20", "officer@ilo.org", ""],
      ]),
    ).toEqual([]);
  });

  it("a stage left out of the file still counts: a later stage may not come before the day it was reached", () => {
    // Engaged was reached on 2026-12-01 (the institution was created then) and the file leaves it out.
    expect(codes([["GH", "Accra Centre", "tot", "2014-03-20", "officer@ilo.org", ""]])).toEqual([
      [2, "reached_on", "import.problem.stageOutOfOrder"],
    ]);
  });

  it("refuses a day after today and a file that would take the institution back", () => {
    expect(codes([["GH", "Accra Centre", "engaged", "2026-12-07", "officer@ilo.org", ""]])).toEqual([
      [2, "reached_on", "import.problem.futureDate"],
    ]);
    const atCertification = ref("certification", { engaged: "2013-02-01", tot: "2014-01-01", certification: "2015-01-01" });
    expect(codes([["GH", "Accra Centre", "tot", "2014-01-01", "officer@ilo.org", ""]], atCertification)).toEqual([
      [2, "stage", "import.problem.wouldMoveBack"],
    ]);
    // Its whole history up to where it stands is fine, and re-dates it.
    expect(
      codes(
        [
          ["GH", "Accra Centre", "tot", "2013-06-01", "officer@ilo.org", ""],
          ["GH", "Accra Centre", "certification", "2014-06-01", "officer@ilo.org", ""],
        ],
        atCertification,
      ),
    ).toEqual([]);
  });
});

describe("business plan periods", () => {
  it("are a year or two, stored with a hyphen", () => {
    expect(["2015", "2015-2017", "2015 – 2017", "2015-2015", "2017-2015", "FY15"].map(normalisePeriod)).toEqual([
      "2015",
      "2015-2017",
      "2015-2017",
      "2015",
      null,
      null,
    ]);
  });
});
