import { ensureTemporalBinaries } from "./temporal-binaries";

// `npm run tools`: installs the Temporal binaries into .tools/ (npm start and npm test do it on first use).
const paths = await ensureTemporalBinaries();
console.log(`Temporal CLI:         ${paths.cli}\nTemporal test server: ${paths.testServer}`);
