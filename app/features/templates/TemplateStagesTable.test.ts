import { describe, expect, it } from "vitest";
import { translatorFor } from "~/i18n/server";
import { DEFAULT_TEMPLATE } from "../../../db/reference-data";
import { paramsInWords, thresholdInWords } from "./TemplateStagesTable";

const criterion = (stage: string, key: string) =>
  DEFAULT_TEMPLATE.stages.find((s) => s.key === stage)!.gate.find((c) => c.key === key)!;

describe("the template page's words", () => {
  it("says parameters in words, never as internal keys", () => {
    const en = translatorFor("en");
    expect(paramsInWords(en, criterion("certification", "active"))).toBe("last 12 months");
    expect(paramsInWords(en, criterion("certification", "m1"))).toBe("module M1");
    expect(paramsInWords(translatorFor("es"), criterion("cost_recovery", "sources"))).toBe("últimos 12 meses");
    expect(paramsInWords(en, criterion("tot", "mou"))).not.toMatch(/windowMonths|module:/);
  });

  it("gives each threshold its unit", () => {
    const en = translatorFor("en");
    expect(thresholdInWords(en, criterion("tot", "mou"))).toBe("Yes");
    expect(thresholdInWords(en, criterion("tot", "women"))).toBe(en.percent(30));
    expect(thresholdInWords(translatorFor("fr"), criterion("tot", "trained"))).toBe("6");
  });
});
