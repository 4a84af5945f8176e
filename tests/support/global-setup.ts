import { spawnSync } from "node:child_process";
import { ensureTemporalBinaries, PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { ensureSystemDeps } from "./system-deps";

/**
 * Once per `npm test`: Chromium and the DejaVu fonts (installed from Debian's packages when run as
 * root, else one line saying what is missing), the Temporal binaries (installed on first use) and
 * a fresh web build.
 */
export default async function setup() {
  ensureSystemDeps();
  await ensureTemporalBinaries();
  const res = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PATHWAYS_BUILD_DIR: ".cache/test-build", NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" },
  });
  if (res.status !== 0) throw new Error("remix build failed");
}
