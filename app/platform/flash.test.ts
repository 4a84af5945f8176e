import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { FLASH_COOKIE, readFlash, safeRedirect, setFlash } from "./flash.server";

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

describe("the notice cookie", () => {
  const context = (secret: string) => ({ config: { COOKIE_SECRET: secret } }) as unknown as AppLoadContext;
  const a = context("a".repeat(64));
  const b = context("b".repeat(64));
  const url = "http://pathways.test/institutions";
  const withCookie = (setCookie: string) => new Request(url, { headers: { Cookie: setCookie.split(";")[0] } });

  it("is read back by a server with the same secret, once signed", () => {
    const cookie = setFlash(new Request(url), a, { notice: "Report sent" });
    expect(readFlash(withCookie(cookie), a).flash.notice).toBe("Report sent");
  });

  it("is ignored when it was not signed with this server's secret, or was changed", () => {
    const cookie = setFlash(new Request(url), a, { notice: "Report sent" });
    expect(readFlash(withCookie(cookie), b).flash.notice).toBeNull();
    const forged = Buffer.from(JSON.stringify({ notice: "Your account is locked: call +1 555 0100", error: null })).toString(
      "base64url",
    );
    expect(readFlash(withCookie(`${FLASH_COOKIE}=${forged}`), a).flash.notice).toBeNull();
    const [, signature] = cookie.split(";")[0].split(".");
    expect(readFlash(withCookie(`${FLASH_COOKIE}=${forged}.${signature}`), a).flash.notice).toBeNull();
    // Ignored, and cleared all the same.
    expect(readFlash(withCookie(`${FLASH_COOKIE}=${forged}`), a).headers["Set-Cookie"]).toMatch(/Max-Age=0/);
  });
});
