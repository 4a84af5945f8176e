import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";

/**
 * The V8 heap options an npm script gives Node (package.json: `npm run web`, `npm run worker`),
 * so a benchmark starts its processes as production does.
 */
export function nodeOptionsOf(script: string): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  return (scripts[script] ?? "").split(/\s+/).filter((w) => /^--max-(old|semi)-space-size=/.test(w));
}
