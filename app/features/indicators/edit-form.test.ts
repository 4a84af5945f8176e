import { describe, expect, it } from "vitest";
import { readActual, readEvidence, readNote, readNumber } from "./edit-form";

describe("reading the target and manual-actual forms", () => {
  it("takes numbers with a dot or a decimal comma, and refuses anything else", () => {
    expect(readNumber("12.5", "people")).toEqual({ ok: true, value: 12.5 });
    expect(readNumber(" 4,5 ", "plans")).toEqual({ ok: true, value: 4.5 });
    expect(readNumber("0", "institutions")).toEqual({ ok: true, value: 0 });
    for (const bad of ["", "-1", "abc", "1e5", "1.2.3", "1,000,000"]) expect(readNumber(bad, "people").ok, bad).toBe(false);
  });

  it("checks the unit: percentages 0–100, yes/no as 1 or 0", () => {
    expect(readNumber("100", "percent").ok).toBe(true);
    expect(readNumber("100.5", "percent")).toEqual({ ok: false, error: "indicators.error.percent" });
    expect(readNumber("1", "yes_no")).toEqual({ ok: true, value: 1 });
    expect(readNumber("2", "yes_no")).toEqual({ ok: false, error: "indicators.error.yesNo" });
  });

  it("reads yes/no as words in every language, only for yes/no indicators", () => {
    expect(readNumber("yes", "yes_no")).toEqual({ ok: true, value: 1 });
    expect(readNumber(" Oui ", "yes_no")).toEqual({ ok: true, value: 1 });
    expect(readNumber("no", "yes_no")).toEqual({ ok: true, value: 0 });
    expect(readNumber("sí", "yes_no")).toEqual({ ok: true, value: 1 });
    expect(readNumber("yes", "people")).toEqual({ ok: false, error: "indicators.error.number" });
  });

  it("takes an actual as unknown (null, never 0) in every language; a target cannot be unknown", () => {
    for (const word of ["unknown", "Desconocido", " inconnu ", "?"])
      expect(readActual(word, "clusters")).toEqual({ ok: true, value: null });
    expect(readActual("0", "clusters")).toEqual({ ok: true, value: 0 });
    expect(readActual("150", "percent")).toEqual({ ok: false, error: "indicators.error.percent" });
    expect(readActual("lots", "clusters")).toEqual({ ok: false, error: "indicators.error.number" });
    expect(readNumber("unknown", "clusters").ok).toBe(false);
  });

  it("wants evidence of 3–500 characters, and only http(s) links", () => {
    expect(readEvidence("Minutes, 14 March 2025")).toEqual({ ok: true, value: "Minutes, 14 March 2025" });
    expect(readEvidence("https://example.org/a.pdf").ok).toBe(true);
    expect(readEvidence("  ").ok).toBe(false);
    expect(readEvidence("javascript:alert(1)").ok).toBe(false);
    expect(readEvidence("DATA:text/html,x").ok).toBe(false);
    expect(readEvidence("Decree:2025/14").ok).toBe(true);
    expect(readEvidence("x".repeat(501)).ok).toBe(false);
    expect(readNote("y".repeat(1001)).ok).toBe(false);
    expect(readNote(" ok ")).toEqual({ ok: true, value: "ok" });
  });
});
