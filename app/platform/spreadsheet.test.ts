import { describe, expect, it } from "vitest";
import { csvCell, csvText, neutraliseFormula, sheetValue } from "./spreadsheet";

describe("formula guard for exports", () => {
  it("turns text a spreadsheet would evaluate into text", () => {
    for (const s of ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1", '=HYPERLINK("http://x")'])
      expect(neutraliseFormula(s)).toBe(`'${s}`);
  });
  it("leaves ordinary text and numbers alone", () => {
    for (const s of ["Tema Garments", "-12", "-1,250.50", "+3", "12.5%", "", "a=b", "email@x"])
      expect(neutraliseFormula(s)).toBe(s);
  });
  it("quotes CSV fields after guarding them", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(
      csvText([
        ["a", "=b"],
        [1, "c,d"],
      ]),
    ).toBe('a,\'=b\r\n1,"c,d"\r\n');
    expect(sheetValue("@x")).toBe("'@x");
    expect(sheetValue(3)).toBe(3);
  });
});
