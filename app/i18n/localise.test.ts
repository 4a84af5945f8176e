import { describe, expect, it } from "vitest";
import { EMPTY_RECORDS, type PathwayRecords } from "~/domain/records";
import { evaluateNextGate } from "~/domain/gate";
import { REPORT_KIND_KEYS } from "~/domain/reports";
import { readReportForm, type FormValues } from "~/features/reports/report-form";
import { DEFAULT_TEMPLATE } from "../../db/reference-data";
import { localise } from "./localise";
import { translatorFor } from "./server";

const en = translatorFor("en");
const es = translatorFor("es");
const fr = translatorFor("fr");
const ctx = { institutionId: "6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f", submittedBy: "Ama Mensah" };

/** Forms that break every rule the report schema has, kind by kind. */
const BAD: FormValues[] = [
  { kind: "nonsense" },
  ...REPORT_KIND_KEYS.map((kind) => ({ kind, reportId: "not-an-id" })),
  {
    kind: "tot_cohort",
    reportId: "0b8e4a52-8f0c-4d3e-9a51-3c2f1e0d9b7a",
    "payload.module": "M1",
    "payload.startedOn": "2025-05-01",
    "payload.endedOn": "2025-04-01",
    "payload.trainers.0.name": "A",
    "payload.trainers.1.sex": "female",
    "evidence.0.reference": "file.pdf",
  },
  {
    kind: "training_cycle",
    reportId: "0b8e4a52-8f0c-4d3e-9a51-3c2f1e0d9b7a",
    "payload.module": "M1",
    "payload.enterpriseName": "Accra Garments",
    "payload.enterpriseSize": "small",
    "payload.startedOn": "2025-05-01",
    "payload.endedOn": "2025-04-01",
    "payload.visits": "30",
    "payload.participants.managersFemale": "-1",
    "payload.participants.workersMale": "1.5",
    "payload.cost": "abc",
    "payload.funding.ilo": "12",
  },
  {
    kind: "training_cycle",
    reportId: "0b8e4a52-8f0c-4d3e-9a51-3c2f1e0d9b7a",
    "payload.module": "M1",
    "payload.enterpriseName": "Accra Garments",
    "payload.enterpriseSize": "small",
    "payload.startedOn": "2025-01-01",
    "payload.endedOn": "2025-04-01",
    "payload.visits": "3",
    "payload.cost": "0",
  },
  {
    kind: "funding_secured",
    reportId: "0b8e4a52-8f0c-4d3e-9a51-3c2f1e0d9b7a",
    "payload.startsOn": "2025-05-01",
    "payload.endsOn": "2025-04-01",
  },
];

function allErrors(): string[] {
  const messages = new Set<string>();
  for (const values of BAD) {
    const read = readReportForm(values, ctx);
    if (read.ok) throw new Error(`expected ${values.kind} to be refused`);
    for (const m of Object.values(read.errors)) messages.add(m);
  }
  return [...messages];
}

describe("localise", () => {
  it("gives every refusal of the report form in Spanish and French", () => {
    const messages = allErrors();
    expect(messages.length).toBeGreaterThan(15);
    const untranslated = messages.filter((m) => localise(es, m) === m || localise(fr, m) === m);
    expect(untranslated).toEqual([]);
    for (const m of messages) expect(localise(en, m)).toBe(m);
  });

  it("fills templates, translating the field names and formatting numbers", () => {
    expect(localise(es, "Women managers cannot be negative")).toBe("Mujeres gerentes: no puede ser negativo");
    expect(localise(fr, "Use at least 12 characters")).toBe("Utilisez au moins 12 caractères");
    expect(localise(es, "report.pdf is larger than 10 MB")).toBe("report.pdf supera los 10 MB");
  });

  it("no longer reads notification texts: they are stored as message keys", () => {
    expect(localise(es, "Signed off: you have reached Certification.")).toBe("Signed off: you have reached Certification.");
  });

  it("translates the gate's on-what-data lines, and leaves unknown text as it is", () => {
    const records: PathwayRecords = { ...EMPTY_RECORDS, mouSignedOn: "2025-01-05", scoreInPortfolio: true };
    const gate = evaluateNextGate(DEFAULT_TEMPLATE, "engaged", records, new Date("2025-06-01T00:00:00Z"))!;
    const bases = gate.criteria.map((c) => c.basis).filter((b) => /\d|No /.test(b));
    expect(bases.length).toBeGreaterThan(0);
    for (const b of bases) expect(localise(es, b), b).not.toBe(b);
    expect(localise(fr, "Something nobody wrote a pattern for")).toBe("Something nobody wrote a pattern for");
    expect(localise(es, "")).toBe("");
  });
});
