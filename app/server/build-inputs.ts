import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * What the web build is made from: the app's, the read model's and the workflows' sources (loaders
 * import them), the public folder and the files that configure the compiler. A start whose inputs
 * hash to what the last build recorded uses that build: a second `npm start` does not build again.
 */
const FOLDERS = ["app", "db", "workflows", "public"];
const FILES = ["remix.config.js", "tsconfig.json", "package.json", "package-lock.json", "scripts/build-web.cjs"];
/** Made by the build itself, or by tests beside the sources. */
const SKIPPED = /(^|\/)(build|node_modules|\.[^/]*)(\/|$)|\.test\.tsx?$/;

export function buildInputsHash(root: string, env: Record<string, string | undefined> = process.env): string {
  const hash = createHash("sha256");
  const visit = (rel: string) => {
    const full = path.join(root, rel);
    for (const entry of readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = `${rel}/${entry.name}`;
      if (SKIPPED.test(child)) continue;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile())
        hash
          .update(`${child}\0`)
          .update(readFileSync(path.join(root, child)))
          .update("\0");
    }
  };
  for (const folder of FOLDERS) if (existsSync(path.join(root, folder))) visit(folder);
  for (const file of FILES)
    if (existsSync(path.join(root, file)))
      hash
        .update(`${file}\0`)
        .update(readFileSync(path.join(root, file)))
        .update("\0");
  // The build's own location is chosen by the environment (remix.config.js).
  hash.update(`PATHWAYS_BUILD_DIR=${env.PATHWAYS_BUILD_DIR ?? ""}`);
  return hash.digest("hex");
}

/** Where the hash of the inputs of the last good build is kept: beside the server build. */
export function recordFileFor(serverBuild: string): string {
  return path.join(path.dirname(serverBuild), ".inputs-sha256");
}

/** True when the server build and the browser assets exist and were made from these very inputs. */
export function buildIsCurrent(opts: { serverBuild: string; assetsDir: string; inputs: string }): boolean {
  const record = recordFileFor(opts.serverBuild);
  if (!existsSync(opts.serverBuild) || !existsSync(opts.assetsDir) || !existsSync(record)) return false;
  return readFileSync(record, "utf8").trim() === opts.inputs;
}

export function recordBuild(serverBuild: string, inputs: string): void {
  writeFileSync(recordFileFor(serverBuild), `${inputs}\n`);
}
