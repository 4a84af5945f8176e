import { defineConfig } from "vitest/config";

/**
 * Two projects. `unit`: pure tests that need no database, no Temporal and no web build; they run in
 * seconds (`npm run test:unit`). `integration`: everything else, after the global setup installs the
 * Temporal binaries and builds the web app. `npm test` runs both.
 */
const UNIT_TESTS = [
  "app/**/*.test.{ts,tsx}",
  "tests/analytics/csv.test.ts",
  "tests/i18n/untranslated.test.ts",
  "tests/security/csrf-token.test.ts",
  "tests/tooling/workflow-imports.test.ts",
  "tests/tooling/no-suspense.test.ts",
  "tests/tooling/system-deps.test.ts",
  "tests/web/workflow-errors.test.ts",
];
const ALL_TESTS = ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "workflows/**/*.test.ts", "tests/**/*.test.ts"];
const EXCLUDE = ["node_modules/**", "build/**", ".tools/**", ".data/**"];

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    exclude: EXCLUDE,
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: UNIT_TESTS } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ALL_TESTS,
          exclude: [...EXCLUDE, ...UNIT_TESTS],
          globalSetup: ["tests/support/global-setup.ts"],
          // Tests build and serve the web app from a folder of their own (see remix.config.js).
          env: { PATHWAYS_BUILD_DIR: ".cache/test-build" },
        },
      },
    ],
  },
});
