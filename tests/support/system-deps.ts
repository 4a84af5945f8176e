import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * What the integration tests need from the system besides Node, Python and PostgreSQL: Chromium
 * for the browser tests and DejaVu Sans for the PDFs (the dossier falls back to Helvetica without
 * it, and the tests check the fonts). Debian packages both; as root `npm test` installs them, as
 * anyone else it says in one line what is missing and how to get it.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DEJAVU_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];

export interface Missing {
  what: string;
  /** The Debian package that provides it. */
  pkg: string;
}

export function missingSystemDeps(exists: (path: string) => boolean = existsSync): Missing[] {
  const missing: Missing[] = [];
  if (!exists(CHROMIUM_PATH)) missing.push({ what: `Chromium (${CHROMIUM_PATH}, or set CHROMIUM_PATH)`, pkg: "chromium" });
  if (!DEJAVU_FILES.every((f) => exists(f))) missing.push({ what: "the DejaVu Sans fonts", pkg: "fonts-dejavu-core" });
  return missing;
}

/** The one line a non-root run prints (and fails with) when something is missing. */
export function missingLine(missing: Missing[]): string {
  return `npm test needs ${missing.map((m) => m.what).join(" and ")}: run \`sudo apt-get install -y ${missing.map((m) => m.pkg).join(" ")}\` (Debian/Ubuntu) and try again.`;
}

export function ensureSystemDeps(): void {
  let missing = missingSystemDeps();
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (isRoot && hasApt) {
    const pkgs = missing.map((m) => m.pkg);
    console.log(`Installing ${pkgs.join(" ")} from Debian's packages (once)…`);
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      }).status === 0;
    if (!install()) {
      spawnSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"] });
      install();
    }
    missing = missingSystemDeps();
    if (missing.length === 0) return;
  }
  throw new Error(missingLine(missing));
}
