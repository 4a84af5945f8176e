import { describe, expect, it } from "vitest";
import { safeRedirect } from "./flash.server";

describe("safeRedirect", () => {
  it("keeps paths on this site", () => {
    for (const p of ["/", "/institutions", "/institutions/abc?tab=reports#x", "/admin/users?q=a%20b"])
      expect(safeRedirect(p)).toBe(p);
  });
  it("refuses anything that a browser would take to another site", () => {
    for (const p of [
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/ /evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
      undefined,
      null,
      42,
    ])
      expect(safeRedirect(p, "/home")).toBe("/home");
  });
});
