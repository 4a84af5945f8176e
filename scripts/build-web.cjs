/**
 * The production web build, as `remix build` makes it, but ended the way esbuild asks for.
 *
 * `remix build` (@remix-run/dev's CLI) calls `process.exit(0)` the moment the build resolves,
 * without disposing the compiler's esbuild contexts. The esbuild service (a Go child process)
 * then sees its parent vanish while it still has requests in flight, and esbuild 0.17 sometimes
 * dies of a WaitGroup race on that path ("fatal error: all goroutines are asleep - deadlock!"
 * and a goroutine dump on the inherited stderr: evanw/esbuild#2485). Here the compiler is
 * disposed first and the process ends on its own once esbuild's service has shut down.
 */
"use strict";
const fse = require("fs-extra");
const { readConfig } = require("@remix-run/dev/dist/config.js");
const { create } = require("@remix-run/dev/dist/compiler/compiler.js");
const { createFileWatchCache } = require("@remix-run/dev/dist/compiler/fileWatchCache.js");
const { logger } = require("@remix-run/dev/dist/tux/logger.js");

async function main() {
  const config = await readConfig(process.cwd());
  fse.emptyDirSync(config.assetsBuildDirectory);
  const compiler = await create({
    config,
    options: { mode: "production", sourcemap: false },
    fileWatchCache: createFileWatchCache(),
    logger,
  });
  try {
    await compiler.compile();
  } finally {
    await compiler.dispose();
  }
}

main().catch((error) => {
  if (error) console.error(error);
  process.exitCode = 1;
});
