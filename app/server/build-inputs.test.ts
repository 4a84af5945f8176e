import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildInputsHash, buildIsCurrent, recordBuild } from "./build-inputs";

describe("the web build's inputs", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  function project() {
    const root = mkdtempSync(path.join(os.tmpdir(), "pathways-build-inputs-"));
    dirs.push(root);
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    write("app/root.tsx", "export default 1;");
    write("db/queries/a.ts", "export const a = 1;");
    write("remix.config.js", "export default {};");
    return { root, write };
  }

  it("hash the same for the same sources, and differently when a source, a config file or the build folder changes", () => {
    const { root, write } = project();
    const first = buildInputsHash(root, {});
    expect(buildInputsHash(root, {})).toBe(first);
    write("db/queries/a.ts", "export const a = 2;");
    const second = buildInputsHash(root, {});
    expect(second).not.toBe(first);
    write("remix.config.js", "export default { future: {} };");
    expect(buildInputsHash(root, {})).not.toBe(second);
    expect(buildInputsHash(root, { PATHWAYS_BUILD_DIR: "/tmp/x" })).not.toBe(buildInputsHash(root, {}));
  });

  it("leave out what the build makes and the tests beside the sources", () => {
    const { root, write } = project();
    const before = buildInputsHash(root, {});
    write("public/build/root-ABC.js", "built");
    write("app/root.test.tsx", "a test");
    write("app/.DS_Store", "noise");
    expect(buildInputsHash(root, {})).toBe(before);
    write("public/favicon.svg", "<svg/>");
    expect(buildInputsHash(root, {})).not.toBe(before);
  });

  it("count a build as current only when its server file, its assets and the same recorded inputs are there", () => {
    const { root, write } = project();
    const serverBuild = path.join(root, "build", "index.js");
    const assetsDir = path.join(root, "public", "build");
    const inputs = buildInputsHash(root, {});
    expect(buildIsCurrent({ serverBuild, assetsDir, inputs })).toBe(false);
    write("build/index.js", "server");
    write("public/build/manifest.js", "assets");
    expect(buildIsCurrent({ serverBuild, assetsDir, inputs })).toBe(false); // never recorded
    recordBuild(serverBuild, inputs);
    expect(buildIsCurrent({ serverBuild, assetsDir, inputs })).toBe(true);
    expect(buildIsCurrent({ serverBuild, assetsDir, inputs: "another" })).toBe(false);
    rmSync(assetsDir, { recursive: true });
    expect(buildIsCurrent({ serverBuild, assetsDir, inputs })).toBe(false);
  });
});
