import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildInputsHash, buildIsCurrent, recordBuild } from "./build-inputs";
import { PROJECT_ROOT } from "./temporal-binaries";
import { buildPaths } from "./web";

/**
 * The production web build, made only when its sources changed since the last one
 * (app/server/build-inputs.ts) or when `force` asks. Used by `npm start`, the test suite's set-up
 * and the benchmarks, so each of them runs the build its sources make.
 */
export function buildWebApp(opts: { force?: boolean; env?: NodeJS.ProcessEnv } = {}): "built" | "current" {
  const env = opts.env ?? process.env;
  const { serverBuild, assetsDir } = buildPaths(env.PATHWAYS_BUILD_DIR);
  const inputs = buildInputsHash(PROJECT_ROOT, env);
  if (!opts.force && buildIsCurrent({ serverBuild, assetsDir, inputs })) return "current";
  // Not `remix build`: its CLI exits before esbuild's service has shut down (scripts/build-web.cjs).
  const res = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts", "build-web.cjs")], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" },
  });
  if (res.status !== 0) throw new Error("The web app did not build (see the messages above)");
  recordBuild(serverBuild, inputs);
  return "built";
}
