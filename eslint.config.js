// ESLint 9 flat config. `npm run lint` must stay clean: fix findings, do not switch rules off wholesale.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import { builtinModules } from "node:module";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Workflow code runs inside Temporal's deterministic sandbox: it may import only @temporalio/workflow
 * (and @temporalio/common), pure modules and type-only declarations. Kept in step with
 * tests/tooling/workflow-imports.test.ts, which follows the actual imports from workflows/*.workflow.ts.
 */
export const WORKFLOW_FILES = [
  "workflows/index.ts",
  "workflows/*.workflow.ts",
  "workflows/*.shared.ts",
  "workflows/shared.ts",
  "workflows/refusal.ts",
  "workflows/legacy/**/*.ts",
  // Every module workflow code imports lives here; the rule holds for the whole folder.
  "app/domain/**/*.ts",
];

const sandbox = "Workflow code runs in Temporal's sandbox";
// Type-only imports are erased at compile time and never reach the workflow bundle: they stay allowed.
const workflowImportRestrictions = {
  paths: builtinModules
    .filter((name) => !name.startsWith("_"))
    .map((name) => ({ name, message: `${sandbox}: no Node built-ins.`, allowTypeImports: true })),
  patterns: [
    { regex: "^node:", message: `${sandbox}: no Node built-ins.`, allowTypeImports: true },
    { regex: "(^|/)db(/|$)", message: "Workflow code reaches the database only through activities.", allowTypeImports: true },
    { regex: "\\.server(\\.tsx?)?$", message: "Workflow code must not import server modules.", allowTypeImports: true },
    {
      regex: "^@temporalio/(client|worker|activity|testing)(/|$)",
      message: "Workflow code may import only @temporalio/workflow and @temporalio/common.",
      allowTypeImports: true,
    },
  ],
};

export default defineConfig(
  {
    ignores: [
      "node_modules/**",
      "build/**",
      "public/build/**",
      ".cache/**",
      ".tools/**",
      ".data*/**",
      ".scratch/**",
      "test-results/**",
      "tests/fixtures/histories/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware: a promise nobody awaits loses its errors (and in workflow code, its ordering).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Remix's `interface AppLoadContext extends AppContext {}` augmentation is the one legitimate empty interface.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  {
    files: WORKFLOW_FILES,
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": ["error", workflowImportRestrictions],
    },
  },
  {
    // Migrations take `Kysely<any>` on purpose: they must not depend on the schema as it is today.
    files: ["db/migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
