import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_V2 } from "../../db/reference-data";
import { addShippedLabels } from "../../db/migrations/019_template_labels";
import { draftFromDefinition, validateDraft } from "../features/templates/template-validation";
import { message } from "./message";
import { render } from "./render";
import { translatorFor } from "./server";
import {
  localiseDefinition,
  localiseGate,
  localiseMessage,
  localiseTemplate,
  moduleNameIn,
  templateTerms,
} from "./template-labels";

const es = translatorFor("es");
const fr = translatorFor("fr");

describe("template data in the reader's language", () => {
  it("gives the default template's stage and criterion names in Spanish and French, English as typed", () => {
    const esDef = localiseDefinition(DEFAULT_TEMPLATE_V2, "es");
    expect(esDef.stages.map((s) => s.name)).toEqual([
      "Comprometida",
      "Formación de formadores",
      "Certificación",
      "Recuperación de costos",
      "Impartición independiente",
    ]);
    expect(localiseDefinition(DEFAULT_TEMPLATE, "fr").stages[3].gate[0].label).toBe("Plan d’affaires adopté");
    expect(localiseDefinition(DEFAULT_TEMPLATE, "en").stages[2].name).toBe("Certification");
    expect(localiseTemplate({ name: "SCORE institutionalisation pathway", definition: DEFAULT_TEMPLATE }, "es").name).toBe(
      "Itinerario de institucionalización de SCORE",
    );
    // Every stage and criterion of the shipped template has both languages.
    for (const s of DEFAULT_TEMPLATE_V2.stages) {
      expect(s.i18n?.es?.name && s.i18n?.fr?.name).toBeTruthy();
      for (const c of s.gate) expect(c.i18n?.es?.label && c.i18n?.fr?.label).toBeTruthy();
    }
  });

  it("falls back to the default language where no words were typed", () => {
    const def = { ...DEFAULT_TEMPLATE, stages: DEFAULT_TEMPLATE.stages.map((s) => ({ ...s, i18n: { es: { name: " " } } })) };
    expect(localiseDefinition(def, "es").stages[2].name).toBe("Certification");
    expect(moduleNameIn({ name: "Quality", labels: {} }, "fr")).toBe("Quality");
    expect(moduleNameIn({ name: "Quality", labels: { fr: "Qualité" } }, "fr")).toBe("Qualité");
  });

  it("renders a stored notice without an English stage name inside a Spanish sentence", () => {
    const stored = message("notice.gateMet", { stage: "Certification" });
    const terms = templateTerms([DEFAULT_TEMPLATE], "es");
    const shown = render(es, localiseMessage(stored, terms));
    expect(shown).toContain("Certificación");
    expect(shown).not.toMatch(/Certification/);
    // A nested reason's criterion label too.
    const slip = message("notice.slipFlagged", {
      stage: "Training of Trainers",
      reason: message("notice.slipReason", { label: "Certified trainers", value: 2, threshold: 4, basis: "x" }),
    });
    const frText = render(fr, localiseMessage(slip, templateTerms([DEFAULT_TEMPLATE], "fr")));
    expect(frText).toContain("Formation de formateurs");
    expect(frText).toContain("Formateurs certifiés");
  });

  it("renames a stored gate's stage and criteria by key", () => {
    const gate = {
      stageKey: "certification",
      stageName: "Certification",
      criteria: [{ key: "m1", label: "Trainers certified for M1" }],
    };
    expect(localiseGate(gate, DEFAULT_TEMPLATE, "es")).toEqual({
      stageKey: "certification",
      stageName: "Certificación",
      criteria: [{ key: "m1", label: "Formadores certificados en M1" }],
    });
  });

  it("keeps the words through the editor's draft and back", () => {
    const draft = draftFromDefinition(DEFAULT_TEMPLATE_V2);
    expect(draft.stages[1].names).toEqual({ es: "Formación de formadores", fr: "Formation de formateurs" });
    draft.stages[1].names = { es: "  Formación  ", fr: "" };
    draft.stages[1].gate[0].labels = { fr: "PA signé" };
    const result = validateDraft(draft);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const tot = result.definition.stages[1];
    expect(tot.i18n?.es?.name).toBe("Formación");
    expect(tot.i18n?.fr?.name).toBeUndefined();
    expect(tot.gate[0].i18n).toEqual({ fr: { label: "PA signé" } });
    expect(result.definition.i18n?.es?.name).toBe("Itinerario de institucionalización de SCORE");
  });

  it("migration 019 adds the shipped words only where the English is still as shipped", () => {
    const bare = JSON.parse(JSON.stringify(DEFAULT_TEMPLATE, (k, v: unknown) => (k === "i18n" ? undefined : v))) as Record<
      string,
      unknown
    >;
    const stages = bare.stages as { name: string; i18n?: unknown }[];
    stages[2].name = "Certified"; // renamed by an administrator: left alone
    const added = addShippedLabels(bare) as typeof bare;
    const out = added.stages as { name: string; i18n?: { es: { name: string } }; gate: { i18n?: unknown }[] }[];
    expect(out[1].i18n?.es.name).toBe("Formación de formadores");
    expect(out[2].i18n).toBeUndefined();
    expect(out[2].gate[0].i18n).toBeDefined();
    // Thresholds and rules are untouched.
    expect(JSON.stringify(added, (k, v: unknown) => (k === "i18n" ? undefined : v))).toBe(JSON.stringify(bare));
    // Run again: nothing more to add.
    expect(addShippedLabels(added)).toBeNull();
  });
});
