import { describe, expect, it } from "vitest";
import { contentDisposition } from "./content-disposition";

/** Parses `filename*=UTF-8''…` the way a browser does. */
function extended(header: string): string | null {
  const m = /filename\*=UTF-8''([^;\s]+)/.exec(header);
  return m ? decodeURIComponent(m[1]) : null;
}

describe("evidence download name (RFC 6266)", () => {
  it.each([
    "report.pdf",
    "отчёт за квартал.pdf",
    "ሪፖርት.docx",
    "報告書.xlsx",
    'a "quoted"; name=1.csv',
    "semi;colon=equals.txt",
    "emoji 🎓.png",
    "back\\slash 100%.txt",
  ])("carries %j whole and an ASCII-only fallback", (name) => {
    const header = contentDisposition(name);
    expect(extended(header)).toBe(name);
    // Every header value Node will send is Latin-1; the fallback and the encoded form are ASCII.
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const fallback = /filename="([^"]*)"/.exec(header)![1];
    expect(fallback).not.toMatch(/[";=\\]/);
    expect(() => new Headers({ "Content-Disposition": header })).not.toThrow();
  });

  it("the old form of the header could not carry a name outside Latin-1", () => {
    expect(() => new Headers({ "Content-Disposition": `attachment; filename="ሪፖርት.docx"` })).toThrow();
  });
});
