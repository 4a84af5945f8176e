import { describe, expect, it } from "vitest";
import { criteriaMetText, formatAgainst, formatDuration, formatThreshold, formatValue } from "./format";

describe("format", () => {
  it("reads values and thresholds in words per unit", () => {
    expect(formatValue(33.3, "percent")).toBe("33.3%");
    expect(formatValue(1, "yes/no")).toBe("Yes");
    expect(formatValue(0, "yes/no")).toBe("No");
    expect(formatThreshold(6, "count")).toBe("at least 6");
    expect(formatThreshold(30, "percent")).toBe("at least 30%");
    expect(formatThreshold(1, "yes/no")).toBe("Yes");
    expect(formatAgainst(4, 6, "count")).toBe("4 / 6");
    expect(formatAgainst(0, 1, "yes/no")).toBe("No");
  });

  it("says how long in days, then months, then years", () => {
    expect(formatDuration(0)).toBe("less than a day");
    expect(formatDuration(1)).toBe("1 day");
    expect(formatDuration(45)).toBe("45 days");
    expect(formatDuration(120)).toBe("3 months");
    expect(formatDuration(365 * 2 + 40)).toBe("2 years 1 month");
    expect(formatDuration(365 * 3 + 2)).toBe("3 years");
  });

  it("counts criteria in words", () => {
    expect(criteriaMetText(3, 4)).toBe("3 of 4 criteria met");
    expect(criteriaMetText(1, 1)).toBe("1 of 1 criterion met");
  });
});
