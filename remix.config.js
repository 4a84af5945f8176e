// PATHWAYS_BUILD_DIR moves the whole build (server and browser assets) elsewhere: `npm test`
// builds into its own folder, so it never swaps the assets of a running `npm start`.
const buildDir = process.env.PATHWAYS_BUILD_DIR;

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // @xyflow/react ships ESM with CSS side effects; bundling keeps the server build self-contained.
  serverDependenciesToBundle: [/^@xyflow\//],
  ...(buildDir ? { serverBuildPath: `${buildDir}/server/index.js`, assetsBuildDirectory: `${buildDir}/public/build` } : {}),
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // The whole route manifest, one script per build kept by the browser, rather than a part of it
    // inlined in every page and the rest asked for by links (decision 049).
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: false,
  },
};
