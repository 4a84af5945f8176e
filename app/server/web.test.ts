import type express from "express";
import { describe, expect, it } from "vitest";
import { refuseCrossSiteWrites } from "./web";

/** Whether a POST with these headers, to a server reached as `host` over `protocol`, gets through. */
function passes(headers: Record<string, string>, host = "pathways.example", protocol = "http"): boolean {
  const all: Record<string, string> = { host, ...headers };
  const req = {
    method: "POST",
    protocol,
    get: (name: string) => all[Object.keys(all).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ""],
  } as unknown as express.Request;
  let refused = false;
  const res = { status: () => res, type: () => res, send: () => ((refused = true), res) } as unknown as express.Response;
  let next = false;
  refuseCrossSiteWrites(req, res, () => (next = true));
  return next && !refused;
}

describe("the Origin check of state-changing requests", () => {
  it("lets the site's own origin through, default ports included", () => {
    expect(passes({ Origin: "http://pathways.example" })).toBe(true);
    expect(passes({ Origin: "http://pathways.example:80" })).toBe(true);
    expect(passes({ Origin: "http://127.0.0.1:3000" }, "127.0.0.1:3000")).toBe(true);
    expect(passes({ Origin: "https://pathways.example", "X-Forwarded-Proto": "https" })).toBe(true);
    expect(passes({})).toBe(true);
  });
  it("compares scheme, host and port, not the host alone", () => {
    expect(passes({ Origin: "https://pathways.example" })).toBe(false);
    expect(passes({ Origin: "http://pathways.example", "X-Forwarded-Proto": "https" })).toBe(false);
    expect(passes({ Origin: "http://127.0.0.1:8080" }, "127.0.0.1:3000")).toBe(false);
    expect(passes({ Origin: "http://evil.example" })).toBe(false);
    expect(passes({ Origin: "null" })).toBe(false);
    expect(passes({ Origin: "http://pathways.example", "Sec-Fetch-Site": "cross-site" })).toBe(false);
  });
});
