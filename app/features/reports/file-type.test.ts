import { describe, expect, it } from "vitest";
import { sniffEvidenceType } from "./file-type";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("evidence file types come from the content", () => {
  it("recognises PDF, PNG, JPEG and spreadsheets", () => {
    expect(sniffEvidenceType(bytes("%PDF-1.7\n%âãÏÓ"))).toBe("pdf");
    expect(sniffEvidenceType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe("png");
    expect(sniffEvidenceType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(sniffEvidenceType(bytes([0x50, 0x4b, 0x03, 0x04], "\x14\x00\x06\x00[Content_Types].xml"))).toBe("xlsx");
    expect(sniffEvidenceType(bytes("module,enterprise,cost\nM1,Accra Garments,2000\n"))).toBe("csv");
  });

  it("refuses a program renamed to .pdf, an unknown zip and binary junk", () => {
    expect(sniffEvidenceType(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeNull(); // ELF executable
    expect(sniffEvidenceType(bytes([0x4d, 0x5a, 0x90, 0x00]))).toBeNull(); // Windows executable
    expect(sniffEvidenceType(bytes([0x50, 0x4b, 0x03, 0x04], "\x14\x00payload.exe"))).toBeNull();
    expect(sniffEvidenceType(bytes("<html><script>alert(1)</script>"))).toBeNull();
    expect(sniffEvidenceType(new Uint8Array())).toBeNull();
  });

  it("refuses a CSV that carries markup or a NUL byte anywhere, not only at the start", () => {
    const table = "module,enterprise,cost\n" + "M1,Accra Garments,2000\n".repeat(400);
    expect(sniffEvidenceType(bytes(table))).toBe("csv");
    expect(sniffEvidenceType(bytes("name,comment\nA,<script>alert(document.cookie)</script>\n"))).toBeNull();
    expect(sniffEvidenceType(bytes("name,comment\nA,< SCRIPT src=//evil.example/x.js>\n"))).toBeNull();
    expect(sniffEvidenceType(bytes('a,b\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>,1\n'))).toBeNull();
    expect(sniffEvidenceType(bytes(table + "<svg/onload=alert(1)>,x\n"))).toBeNull();
    expect(sniffEvidenceType(bytes(table, [0], "tail,1\n"))).toBeNull();
    expect(sniffEvidenceType(bytes("a,b\nx,1 < 2 and 3 > 1\n"))).toBe("csv");
  });
});
