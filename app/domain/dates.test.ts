import { describe, expect, it } from "vitest";
import { addDays, addMonths, dateMs, isoDate } from "./dates";

describe("calendar arithmetic", () => {
  it("keeps the day of month, or the month's last day when it has fewer", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2026-06-15", -12)).toBe("2025-06-15");
    expect(addMonths("2026-11-30", 36)).toBe("2029-11-30");
  });

  it("adds days across a year end and round-trips through milliseconds", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(isoDate(dateMs("2026-03-01"))).toBe("2026-03-01");
  });
});
