import express from "express";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicFiles, refuseCrossSiteWrites } from "./web";

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

describe("the files of public/", () => {
  it("serves the names the folder held at start-up and hands every other address to the app", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pathways-public-"));
    writeFileSync(path.join(dir, "robots.txt"), "User-agent: *\n");
    const app = express();
    app.use(publicFiles(dir));
    app.use((_req, res) => void res.status(418).send("the app"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const robots = await fetch(`${base}/robots.txt`);
      expect(robots.status).toBe(200);
      expect(await robots.text()).toBe("User-agent: *\n");
      const page = await fetch(`${base}/institutions`);
      expect(page.status).toBe(418);
      expect(await page.text()).toBe("the app");
      // Not looked up on disk: a file that was not there at start-up is the app's address.
      writeFileSync(path.join(dir, "institutions"), "a file");
      expect((await fetch(`${base}/institutions`)).status).toBe(418);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
