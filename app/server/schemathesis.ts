import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT, withInstallLock } from "./temporal-binaries";

/**
 * schemathesis (the API's contract tests, decision 028) comes from PyPI into a virtual
 * environment of its own in the git-ignored `.tools/schemathesis`, on `npm run tools` or on the
 * first contract test.
 */

const run = promisify(execFile);
const VENV = path.join(PROJECT_ROOT, ".tools", "schemathesis");
export const SCHEMATHESIS_REQUIREMENT = "schemathesis>=4.1,<5";
export const SCHEMATHESIS_BIN = path.join(VENV, "bin", "schemathesis");

/** Whether the installed command runs (a virtual environment moved or copied from elsewhere does not). */
async function runs(bin: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  return run(bin, ["--version"]).then(
    () => true,
    () => false,
  );
}

export async function ensureSchemathesis(): Promise<string> {
  if (await runs(SCHEMATHESIS_BIN)) return SCHEMATHESIS_BIN;
  return withInstallLock(async () => {
    if (await runs(SCHEMATHESIS_BIN)) return SCHEMATHESIS_BIN;
    rmSync(VENV, { recursive: true, force: true });
    await run("python3", ["-m", "venv", VENV]);
    await run(path.join(VENV, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", SCHEMATHESIS_REQUIREMENT], {
      maxBuffer: 16 * 1024 * 1024,
    });
    if (!existsSync(SCHEMATHESIS_BIN)) throw new Error(`pip installed no ${SCHEMATHESIS_BIN}`);
    return SCHEMATHESIS_BIN;
  }, `${VENV}.lock`);
}
