import { describe, expect, it } from "vitest";
import { compareFunding } from "../../app/features/handover/compare-funding";

const split = (over: Partial<Record<string, number>>) => ({
  enterprise_fee: 0,
  institution_funds: 0,
  government: 0,
  sponsor: 0,
  other_donor: 0,
  ilo: 0,
  ...over,
});

describe("funding by source in a scenario comparison", () => {
  it("totals each source over all years and marks only the sources that differ", () => {
    const a = { years: [{ funding: split({ ilo: 1000, government: 500 }) }, { funding: split({ ilo: 1000 }) }] };
    const b = { years: [{ funding: split({ ilo: 500, government: 500 }) }, { funding: split({ ilo: 1000, sponsor: 250 }) }] };
    const rows = compareFunding(a, b);
    const by = Object.fromEntries(rows.map((r) => [r.source, r]));
    expect(by.ilo).toMatchObject({ aMinor: 2000, bMinor: 1500, diffMinor: -500, differs: true });
    expect(by.sponsor).toMatchObject({ aMinor: 0, bMinor: 250, diffMinor: 250, differs: true });
    expect(by.government).toMatchObject({ aMinor: 500, bMinor: 500, diffMinor: 0, differs: false });
    expect(rows.filter((r) => r.differs).map((r) => r.source)).toEqual(["sponsor", "ilo"]);
  });
});
