import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "./temporal-binaries";

/**
 * schemathesis (the API's contract tests, decision 028) comes from PyPI into a virtual
 * environment of its own in the git-ignored `.tools/schemathesis`, on `npm run tools` or on the
 * first contract test.
 */

const run = promisify(execFile);
const VENV = path.join(PROJECT_ROOT, ".tools", "schemathesis");
export const SCHEMATHESIS_REQUIREMENT = "schemathesis>=4.1,<5";
export const SCHEMATHESIS_BIN = path.join(VENV, "bin", "schemathesis");

export async function ensureSchemathesis(): Promise<string> {
  if (existsSync(SCHEMATHESIS_BIN)) return SCHEMATHESIS_BIN;
  const lock = `${VENV}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}; remove it if no install is running`);
      await sleep(500);
    }
  }
  try {
    if (existsSync(SCHEMATHESIS_BIN)) return SCHEMATHESIS_BIN;
    rmSync(VENV, { recursive: true, force: true });
    await run("python3", ["-m", "venv", VENV]);
    await run(path.join(VENV, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", SCHEMATHESIS_REQUIREMENT], {
      maxBuffer: 16 * 1024 * 1024,
    });
    if (!existsSync(SCHEMATHESIS_BIN)) throw new Error(`pip installed no ${SCHEMATHESIS_BIN}`);
    return SCHEMATHESIS_BIN;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
