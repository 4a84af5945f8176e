import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Threads that run the TypeScript sources: the export threads (decision 037) and the health port's
 * thread (decision 040). Their scripts live in this folder (app/platform).
 */

/**
 * A thread's source, `name` in app/platform: next to this file when run from source, under the
 * project when run from the server build (its folder must also hold this file).
 */
export function threadSource(name: string): string {
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts)
    for (let dir = start; ; dir = path.dirname(dir)) {
      for (const candidate of [path.join(dir, name), path.join(dir, "app", "platform", name)])
        if (existsSync(candidate) && existsSync(path.join(path.dirname(candidate), "threads.server.ts"))) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  throw new Error(`The thread's source (app/platform/${name}) was not found`);
}

/**
 * The thread's bootstrap: registers tsx's loader, then imports the entry, so the thread runs the
 * TypeScript sources the web process runs (a loader passed with `--import` in a worker's execArgv
 * is not applied to its entry on Node 20).
 */
export function tsxBootstrap(entry: string): string {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    const api = path.join(dir, "node_modules", "tsx", "dist", "esm", "api", "index.mjs");
    if (existsSync(api))
      return `import(${JSON.stringify(pathToFileURL(api).href)})
        .then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })
        .catch((e) => { console.error(e); process.exit(1); });`;
    if (path.dirname(dir) === dir) throw new Error(`tsx was not found for the thread ${path.basename(entry)}`);
  }
}

/** A thread running `name` (in app/platform) from the sources. */
export function startSourceThread(name: string, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  return new Worker(tsxBootstrap(threadSource(name)), { ...options, eval: true });
}
