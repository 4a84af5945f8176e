import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "workflows/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["node_modules/**", "build/**", ".tools/**", ".data/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    // Tests build and serve the web app from a folder of their own (see remix.config.js).
    env: { PATHWAYS_BUILD_DIR: ".cache/test-build" },
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
