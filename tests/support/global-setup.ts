import { buildWebApp } from "../../app/server/build-web";
import { ensureTemporalBinaries } from "../../app/server/temporal-binaries";
import { ensureSystemDeps } from "./system-deps";

/**
 * Once per `npm test`: Chromium and the DejaVu fonts (installed from Debian's packages when run as
 * root, else one line saying what is missing), the Temporal binaries (installed on first use) and
 * the web build of the sources as they are.
 */
export default async function setup() {
  ensureSystemDeps();
  await ensureTemporalBinaries();
  // The suite's own build folder, so it never swaps the assets of a running `npm start`; made
  // again only when the sources changed since the suite last built it.
  buildWebApp({ env: { ...process.env, PATHWAYS_BUILD_DIR: ".cache/test-build" } });
}
