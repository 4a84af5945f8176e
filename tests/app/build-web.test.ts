import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";

/**
 * `npm start` builds the web app with scripts/build-web.cjs, which disposes the Remix compiler's
 * esbuild contexts and lets the process end on its own, instead of `remix build`, whose CLI exits
 * while esbuild's service is still running (the goroutine dump `npm start` sometimes printed).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "pathways-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the production web build", () => {
  it("builds, ends by itself with status 0 and prints no esbuild crash", () => {
    const res = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts", "build-web.cjs")], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: "production", PATHWAYS_BUILD_DIR: dir },
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(res.error).toBeUndefined();
    expect(res.signal).toBeNull();
    expect(res.status).toBe(0);
    expect(res.stderr).not.toMatch(/goroutine|fatal error/);
    expect(existsSync(path.join(dir, "server", "index.js"))).toBe(true);
  });
});
