import { describe, expect, it } from "vitest";
import {
  formatMoney,
  formValues,
  fundingTotal,
  parseMoney,
  readReportForm,
  reportToFormValues,
  rowCount,
  type FormValues,
} from "./report-form";

const ctx = { institutionId: "6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f", submittedBy: "Ama Mensah" };
const reportId = "0b8e4a52-8f0c-4d3e-9a51-3c2f1e0d9b7a";

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(entries)) fd.append(k, v);
  return fd;
}

const cycle = (over: FormValues = {}): FormValues => ({
  reportId,
  kind: "training_cycle",
  "payload.module": "M1",
  "payload.enterpriseName": "Accra Garments Ltd",
  "payload.enterpriseSize": "small",
  "payload.startedOn": "2025-01-10",
  "payload.endedOn": "2025-04-02",
  "payload.visits": "3",
  "payload.participants.managersFemale": "1",
  "payload.participants.managersMale": "",
  "payload.participants.workersFemale": "2",
  "payload.participants.workersMale": "2",
  "payload.cost": "2000.50",
  "payload.funding.enterprise_fee": "500.50",
  "payload.funding.ilo": "1,500",
  ...over,
});

describe("parseMoney", () => {
  it.each([
    ["2000.50", 200050],
    ["2000.5", 200050],
    ["2000", 200000],
    ["2,000.50", 200050],
    ["2 000,50", 200050],
    ["2.000,50", 200050],
    ["2000,5", 200050],
    ["1.500.000", 150000000],
    ["1.234", 123400],
    ["0.07", 7],
    [" 12 ", 1200],
  ])("reads %j as %i minor units", (text, minor) => {
    expect(parseMoney(text)).toBe(minor);
  });

  it("reads blank as null and nonsense as NaN", () => {
    expect(parseMoney("  ")).toBeNull();
    for (const bad of ["abc", "-5", "1.2345", "12.3.4", "1,5,0", "1e5", "$20"]) expect(parseMoney(bad)).toBeNaN();
  });

  it("formats minor units back to what one types", () => {
    expect(formatMoney(200050)).toBe("2000.50");
    expect(formatMoney(7)).toBe("0.07");
    expect(parseMoney(formatMoney(123456789))).toBe(123456789);
  });
});

describe("readReportForm", () => {
  it("keeps only the text entries of a FormData", () => {
    const fd = form({ a: "1" });
    fd.append("file", new Blob(["x"]), "x.txt");
    expect(formValues(fd)).toEqual({ a: "1" });
  });

  it("reads a ToT cohort, skipping blank trainer rows", () => {
    const res = readReportForm(
      formValues(
        form({
          reportId,
          kind: "tot_cohort",
          "payload.module": "M1",
          "payload.startedOn": "2025-02-01",
          "payload.endedOn": "2025-02-05",
          "payload.trainers.0.name": "Efua Owusu",
          "payload.trainers.0.sex": "female",
          "payload.trainers.1.name": "",
          "payload.trainers.1.sex": "",
          "payload.trainers.2.name": " Kofi Boateng ",
          "payload.trainers.2.sex": "male",
          "evidence.0.label": "Attendance sheet",
          "evidence.0.reference": "https://example.org/sheet.pdf",
          "evidence.1.label": "",
          "evidence.1.reference": "",
        }),
      ),
      ctx,
    );
    expect(res).toEqual({
      ok: true,
      report: {
        reportId,
        institutionId: ctx.institutionId,
        submittedBy: ctx.submittedBy,
        kind: "tot_cohort",
        payload: {
          module: "M1",
          startedOn: "2025-02-01",
          endedOn: "2025-02-05",
          trainers: [
            { name: "Efua Owusu", sex: "female" },
            { name: "Kofi Boateng", sex: "male" },
          ],
        },
        evidence: [{ label: "Attendance sheet", reference: "https://example.org/sheet.pdf" }],
      },
    });
  });

  it("puts a trainer's error on the row it was typed in, not its place in the list", () => {
    const res = readReportForm(
      {
        reportId,
        kind: "tot_cohort",
        "payload.module": "M1",
        "payload.startedOn": "2025-02-01",
        "payload.endedOn": "2025-02-05",
        "payload.trainers.0.name": "Efua Owusu",
        "payload.trainers.0.sex": "female",
        "payload.trainers.4.name": "Kofi",
        "payload.trainers.4.sex": "",
        "payload.trainers.6.name": "",
        "payload.trainers.6.sex": "male",
      },
      ctx,
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toEqual({
      "payload.trainers.4.sex": "Choose female or male",
      "payload.trainers.6.name": "Enter the trainer's name",
    });
  });

  it("says when the ToT ends before it starts", () => {
    const res = readReportForm(
      {
        reportId,
        kind: "tot_cohort",
        "payload.module": "M1",
        "payload.startedOn": "2025-02-05",
        "payload.endedOn": "2025-02-01",
        "payload.trainers.0.name": "Efua Owusu",
        "payload.trainers.0.sex": "female",
      },
      ctx,
    );
    expect(res.ok || res.errors).toEqual({ "payload.endedOn": "The ToT cannot end before it starts" });
  });

  it("asks for at least one trainer when every row is blank", () => {
    const res = readReportForm(
      {
        reportId,
        kind: "tot_cohort",
        "payload.module": "M1",
        "payload.startedOn": "2025-02-01",
        "payload.endedOn": "2025-02-01",
        "payload.trainers.0.name": "",
      },
      ctx,
    );
    expect(res.ok || res.errors["payload.trainers"]).toBe("List at least one trainer who completed the ToT");
  });

  it("reads a training cycle's amounts as minor units and blank counts as zero", () => {
    const res = readReportForm(cycle(), ctx);
    expect(res.ok).toBe(true);
    if (!res.ok || res.report.kind !== "training_cycle") return;
    expect(res.report.payload.cost).toBe(200050);
    expect(res.report.payload.funding).toEqual({
      enterprise_fee: 50050,
      institution_funds: 0,
      government: 0,
      sponsor: 0,
      other_donor: 0,
      ilo: 150000,
    });
    expect(res.report.payload.participants.managersMale).toBe(0);
    expect(res.report.payload.iloStaffInvolved).toBe(false);
  });

  it("says the split must add up to the cost next to the funding fields", () => {
    const res = readReportForm(cycle({ "payload.funding.ilo": "1000" }), ctx);
    expect(res.ok || res.errors).toEqual({ "payload.funding": "The funding split must add up to the cost" });
  });

  it("names a badly typed amount and a missing visit count", () => {
    const res = readReportForm(
      cycle({ "payload.cost": "two thousand", "payload.visits": "", "payload.participants.workersMale": "2.5" }),
      ctx,
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors["payload.cost"]).toBe("Enter an amount like 2000.50");
    expect(res.errors["payload.visits"]).toBe("Visits must be a whole number");
    expect(res.errors["payload.participants.workersMale"]).toBe("Men workers must be a whole number");
  });

  it("refuses decimals in a currency used without them (VND, IDR) next to the field", () => {
    const dong = { ...ctx, currency: "VND" };
    const res = readReportForm(
      cycle({ "payload.cost": "45000000.50", "payload.funding.enterprise_fee": "500", "payload.funding.ilo": "45000000,5" }),
      dong,
    );
    expect(res.ok || res.errors).toEqual({
      "payload.cost": "VND amounts have no decimals",
      "payload.funding.ilo": "VND amounts have no decimals",
    });
    const rupiah = readReportForm(cycle({ "payload.cost": "2000.50", "payload.funding.enterprise_fee": "500" }), {
      ...ctx,
      currency: "IDR",
    });
    expect(rupiah.ok || rupiah.errors["payload.cost"]).toBe("IDR amounts have no decimals");
    // Whole dong read as hundredths like every currency; the same decimals in cedis are fine.
    const whole = readReportForm(
      cycle({ "payload.cost": "45,000,000", "payload.funding.enterprise_fee": "0", "payload.funding.ilo": "45000000" }),
      dong,
    );
    expect(whole.ok && whole.report.kind === "training_cycle" && whole.report.payload.cost).toBe(4_500_000_000);
    expect(readReportForm(cycle(), { ...ctx, currency: "GHS" }).ok).toBe(true);
  });

  it("reads checkboxes and optional dates", () => {
    const cert = readReportForm(
      {
        reportId,
        kind: "trainer_certified",
        "payload.trainerId": reportId,
        "payload.module": "M2",
        "payload.certifiedOn": "2025-03-01",
        "payload.nationalExpert": "on",
      },
      ctx,
    );
    expect(cert.ok && cert.report.payload).toEqual({
      trainerId: reportId,
      module: "M2",
      certifiedOn: "2025-03-01",
      nationalExpert: true,
    });
    const funding = readReportForm(
      {
        reportId,
        kind: "funding_secured",
        "payload.kind": "government_budget_line",
        "payload.funder": "Ministry of Trade",
        "payload.startsOn": "2025-01-01",
        "payload.endsOn": "",
      },
      ctx,
    );
    expect(funding.ok && funding.report.payload).toEqual({
      kind: "government_budget_line",
      funder: "Ministry of Trade",
      startsOn: "2025-01-01",
      endsOn: null,
    });
  });

  it("lists errors in the order of the form's fields", () => {
    const res = readReportForm(
      {
        reportId,
        kind: "tot_cohort",
        "evidence.0.label": "",
        "evidence.0.reference": "sheet.pdf",
        "payload.trainers.3.name": "Kofi",
        "payload.trainers.1.name": "Efua",
        "payload.module": "",
        "payload.startedOn": "2025-02-01",
        "payload.endedOn": "2025-02-05",
      },
      ctx,
    );
    expect(res.ok || Object.keys(res.errors)).toEqual([
      "payload.module",
      "payload.trainers.1.sex",
      "payload.trainers.3.sex",
      "evidence.0.label",
    ]);
  });

  it("asks what a piece of evidence is when only its reference is typed", () => {
    const res = readReportForm(
      {
        reportId,
        kind: "mou_signed",
        "payload.signedOn": "2024-11-30",
        "evidence.2.label": "",
        "evidence.2.reference": "mou.pdf",
      },
      ctx,
    );
    expect(res.ok || res.errors).toEqual({ "evidence.2.label": "Say what this evidence is" });
  });

  it("refuses an unknown kind and a missing report id", () => {
    expect(readReportForm({ kind: "party" }, ctx)).toEqual({ ok: false, errors: { kind: "Choose what to report" } });
    const res = readReportForm({ kind: "mou_signed", "payload.signedOn": "2024-11-30" }, ctx);
    expect(res.ok || res.errors.reportId).toBe("Every report needs its own id");
  });
});

describe("helpers for the page", () => {
  it("adds up the funding as typed", () => {
    expect(fundingTotal(cycle({ "payload.funding.sponsor": "oops" }))).toEqual({ total: 200050, cost: 200050 });
  });

  it("shows enough rows for everything typed", () => {
    expect(rowCount({}, "payload.trainers", 0, 8, 60)).toBe(8);
    expect(rowCount({}, "payload.trainers", 16, 8, 60)).toBe(16);
    expect(rowCount({ "payload.trainers.11.name": "x" }, "payload.trainers", 0, 8, 60)).toBe(12);
    expect(rowCount({}, "payload.trainers", 500, 8, 60)).toBe(60);
  });
});

describe("showing a returned report again", () => {
  it("gives back the values that read as the same report", () => {
    const report = {
      reportId: "5b0e3b2a-1c9d-4e8f-9a7b-6c5d4e3f2a1b",
      kind: "training_cycle",
      payload: {
        module: "M2",
        enterpriseName: "Kumasi Furniture Works",
        enterpriseSize: "medium",
        startedOn: "2026-02-01",
        endedOn: "2026-04-30",
        visits: 3,
        participants: { managersFemale: 1, managersMale: 2, workersFemale: 2, workersMale: 3 },
        cost: 250_050,
        funding: { enterprise_fee: 100_000, institution_funds: 0, government: 50_050, sponsor: 0, other_donor: 0, ilo: 100_000 },
        iloStaffInvolved: true,
      },
      evidence: [
        { label: "Invoice", reference: "INV-2026-14" },
        { label: "scan.pdf", reference: "file:0f8fad5b-d9cb-469f-a165-70867728950e" },
      ],
    };
    const values = reportToFormValues(report);
    expect(values["payload.cost"]).toBe("2500.50");
    expect(values["payload.iloStaffInvolved"]).toBe("on");
    expect(values["evidence.1.label"]).toBeUndefined();
    const read = readReportForm(values, { institutionId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", submittedBy: "Reporter" });
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.report.payload).toEqual(report.payload);
      expect(read.report.evidence).toEqual([report.evidence[0]]);
    }
  });
});
