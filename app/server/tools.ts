import { ensureSchemathesis } from "./schemathesis";
import { ensureTemporalBinaries } from "./temporal-binaries";

// `npm run tools`: installs the Temporal binaries and schemathesis into .tools/ (npm start and npm test do it on first use).
const paths = await ensureTemporalBinaries();
const schemathesis = await ensureSchemathesis();
console.log(
  `Temporal CLI:         ${paths.cli}\nTemporal test server: ${paths.testServer}\nschemathesis:         ${schemathesis}`,
);
