import { describe, expect, it } from "vitest";
import { EMPTY_RECORDS, type PathwayRecords } from "../domain/records";
import { evaluateNextGate } from "../domain/gate";
import { message } from "./message";
import { localise } from "./localise";
import { render } from "./render";
import { translatorFor } from "./server";
import { DEFAULT_TEMPLATE } from "../../db/reference-data";

const en = translatorFor("en");
const es = translatorFor("es");
const fr = translatorFor("fr");

describe("render", () => {
  it("shows a notification's key and values in the reader's language, parts and all", () => {
    expect(render(es, message("notice.signedOff", { stage: "Certification" }))).toBe("Aprobado: ha llegado a Certification.");
    expect(render(fr, message("notice.reminder", { date: "2026-03-14" }))).toBe(
      "Aucun jalon signalé depuis le 14 mars 2026. Merci de signaler ce qui s’est passé ce trimestre.",
    );
    expect(render(es, message("notice.escalation", { kind: message("kind.training_cycle"), date: "2026-01-05" }))).toBe(
      "Un informe (Ciclo de formación impartido) espera verificación desde el 5 ene 2026.",
    );
    expect(
      render(es, message("notice.decided", { status: message("status.returned"), comment: "Please attach the invoice" })),
    ).toBe("Un informe fue devuelto: Please attach the invoice");
    const reason = message("notice.slipReason", {
      label: "Certified trainers",
      value: 2,
      threshold: 4,
      basis: message("basis.certified", { n: 2 }),
    });
    expect(render(fr, message("notice.slipFlagged", { stage: "Training of Trainers", reason }))).toBe(
      "Signalée pour examen : pourrait revenir à Training of Trainers. Certified trainers : 2 pour 4 requis (2 formateurs titulaires d’une certification en cours de validité)",
    );
  });

  it("gives a stored count the plural form of the reader's language", () => {
    expect(render(en, message("basis.certified", { n: 1 }))).toBe("1 trainer holding an unexpired certification");
    expect(render(es, message("basis.totTrainers", { n: 1 }))).toBe("1 formador con una formación de formadores verificada");
    expect(render(fr, message("basis.experts", { n: 0 }))).toBe("0 formateur expert national");
    expect(render(fr, message("basis.experts", { n: 3 }))).toBe("3 formateurs experts nationaux");
    // An English basis stored before messages had keys ("1 trainers") is read with the right form too.
    expect(localise(es, "1 trainers with a verified ToT")).toBe("1 formador con una formación de formadores verificada");
    expect(localise(fr, "4 cycles ended since 2026-01-01")).toBe("4 cycles terminés depuis le 1 janv. 2026");
  });

  it("leaves a user's own words as they are, even when they look like a date or a key", () => {
    expect(render(fr, message("notice.decided", { status: message("status.rejected"), comment: "notice.reminder" }))).toBe(
      "Un rapport a été rejeté : notice.reminder",
    );
    expect(render(en, null)).toBe("");
  });

  it("gives every gate criterion a basis message that reads, in English, as its basis", () => {
    const records: PathwayRecords = { ...EMPTY_RECORDS, mouSignedOn: "2025-01-05", scoreInPortfolio: true };
    for (const stage of DEFAULT_TEMPLATE.stages.map((s) => s.key)) {
      const gate = evaluateNextGate(DEFAULT_TEMPLATE, stage, records, new Date("2025-06-01T00:00:00Z"));
      for (const c of gate?.criteria ?? []) {
        expect(c.basisMessage, c.key).toBeDefined();
        const english = render(en, c.basisMessage);
        if (!/\d{4}/.test(c.basis)) expect(english.toLowerCase(), c.key).toBe(c.basis.toLowerCase());
        expect(render(es, c.basisMessage), c.key).not.toBe(english);
      }
    }
  });
});

describe("percentages inside messages", () => {
  it("are written in the language's one percentage format", () => {
    const share = message("notice.shareVariance", {
      plan: "Plan",
      quarter: "2026-Q2",
      actual: 12.5,
      planned: 36.36,
      points: -23.86,
      threshold: 10,
    });
    expect(render(en, share)).toContain("covered 12.5% of cost against 36.4% planned");
    expect(render(fr, share)).toContain("a couvert 12,5\u00a0% du coût pour 36,4\u00a0% prévus");
    const cost = message("notice.costVariance", {
      plan: "Plan",
      quarter: "2026-Q2",
      currency: "GHS",
      actual: 16000,
      planned: 11000,
      percent: 45.45,
      threshold: 25,
    });
    expect(render(es, cost)).toContain("(45,5\u00a0%; umbral 25\u00a0%)");
  });
});
