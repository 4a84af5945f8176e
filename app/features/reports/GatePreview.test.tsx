import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { CriterionResult, GateResult } from "~/domain/gate";
import { renderInApp } from "../../../tests/support/render-in-app";
import { GatePreview } from "./GatePreview";

/** The rendered text, without React's comment markers. */
const inApp = async (element: ReactNode, locale: "en" | "es" | "fr") =>
  (await renderInApp(element, locale)).replace(/<!-- -->/g, "");

const criterion = (key: string, met: boolean): CriterionResult => ({
  key,
  label: key,
  value: met ? 1 : 0,
  threshold: 1,
  unit: "yes/no",
  met,
  basis: "from the records",
});

/** A gate of the given criteria (a programme's template may give a stage a single criterion). */
const gate = (...met: boolean[]): GateResult => ({
  stageKey: "certification",
  stageName: "Certification",
  met: met.every(Boolean),
  criteria: met.map((m, i) => criterion(`c${i}`, m)),
  progress: Math.round((100 * met.filter(Boolean).length) / met.length),
});

describe("GatePreview's summary line", () => {
  it("agrees with a gate of one criterion in every language", async () => {
    expect(await inApp(<GatePreview current={gate(true)} />, "en")).toContain("Gate to Certification: 1 of 1 criterion met");
    expect(await inApp(<GatePreview current={gate(false)} />, "fr")).toContain(
      "Seuil pour Certification : 0 sur 1 critère rempli",
    );
    expect(await inApp(<GatePreview current={gate(true)} />, "es")).toContain(
      "Umbral para Certification: 1 de 1 criterio cumplido",
    );
  });

  it("counts a gate of several criteria in the plural", async () => {
    expect(await inApp(<GatePreview current={gate(true, false, true)} />, "en")).toContain(
      "Gate to Certification: 2 of 3 criteria met",
    );
    expect(await inApp(<GatePreview current={gate(true, false)} />, "fr")).toContain(
      "Seuil pour Certification : 1 sur 2 critères remplis",
    );
  });
});
