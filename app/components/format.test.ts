import { describe, expect, it } from "vitest";
import { translatorFor } from "~/i18n/server";
import { criteriaMetText, formatAgainst, formatDuration, formatThreshold, formatValue } from "./format";

const en = translatorFor("en");
const es = translatorFor("es");
const fr = translatorFor("fr");

describe("format", () => {
  it("reads values and thresholds in words per unit", () => {
    expect(formatValue(en, 33.3, "percent")).toBe("33.3%");
    expect(formatValue(en, 1, "yes/no")).toBe("Yes");
    expect(formatValue(en, 0, "yes/no")).toBe("No");
    expect(formatThreshold(en, 6, "count")).toBe("at least 6");
    expect(formatThreshold(en, 30, "percent")).toBe("at least 30%");
    expect(formatThreshold(en, 1, "yes/no")).toBe("Yes");
    expect(formatAgainst(en, 4, 6, "count")).toBe("4 / 6");
    expect(formatAgainst(en, 0, 1, "yes/no")).toBe("No");
  });

  it("says how long in days, then months, then years", () => {
    expect(formatDuration(en, 0)).toBe("less than a day");
    expect(formatDuration(en, 1)).toBe("1 day");
    expect(formatDuration(en, 45)).toBe("45 days");
    expect(formatDuration(en, 120)).toBe("3 months");
    expect(formatDuration(en, 365 * 2 + 40)).toBe("2 years 1 month");
    expect(formatDuration(en, 365 * 3 + 2)).toBe("3 years");
  });

  it("counts criteria in words", () => {
    expect(criteriaMetText(en, 3, 4)).toBe("3 of 4 criteria met");
    expect(criteriaMetText(en, 1, 1)).toBe("1 of 1 criterion met");
  });

  it("speaks Spanish and French with their number forms", () => {
    expect(formatValue(es, 33.3, "percent").replace(/\s/g, " ")).toBe("33,3 %");
    expect(formatThreshold(es, 1, "yes/no")).toBe("Sí");
    expect(formatThreshold(fr, 6, "count")).toBe("au moins 6");
    expect(formatDuration(es, 365 * 2 + 40)).toBe("2 años 1 mes");
    expect(formatDuration(fr, 45)).toBe("45 jours");
    // The noun agrees with the whole, as in English and Spanish: "1 sur 3 critères remplis", never "1 critères".
    expect(criteriaMetText(fr, 3, 4)).toBe("3 sur 4 critères remplis");
    expect(criteriaMetText(fr, 1, 3)).toBe("1 sur 3 critères remplis");
    expect(criteriaMetText(fr, 1, 1)).toBe("1 sur 1 critère rempli");
    expect(criteriaMetText(es, 1, 1)).toBe("1 de 1 criterio cumplido");
  });
});
