import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workflowImportGraph } from "./workflow-imports";

/**
 * Workflow code runs in Temporal's deterministic sandbox. Starting from every workflows/*.workflow.ts,
 * this follows the value imports (type-only imports are erased before bundling) and fails when a
 * reachable module imports a Node built-in, db/, a *.server module or a Temporal package other than
 * @temporalio/workflow and @temporalio/common. ESLint's no-restricted-imports says the same per file
 * (eslint.config.js); this test checks what is actually reachable.
 */

const ROOT = new URL("../..", import.meta.url).pathname;

describe("modules reachable from workflow code", () => {
  const entries = readdirSync(join(ROOT, "workflows"))
    // index.ts is what the worker bundles; it re-exports the workflows.
    .filter((f) => f.endsWith(".workflow.ts") || f === "index.ts")
    .map((f) => join(ROOT, "workflows", f));
  const graph = workflowImportGraph(entries, ROOT);

  it("starts from every workflow and reaches the pure modules they use", () => {
    expect(entries.length).toBeGreaterThanOrEqual(3);
    const reached = graph.modules.map((m) => relative(ROOT, m));
    // If resolution silently broke, the walk would stop at the entry files and prove nothing.
    expect(reached).toEqual(
      expect.arrayContaining(["workflows/pathway.workflow.ts", "app/domain/dates.ts", "app/domain/template.ts"]),
    );
  });

  it("import no Node built-in, no db/, no .server module and no non-workflow Temporal package", () => {
    expect(graph.violations.map((v) => `${relative(ROOT, v.from)} imports ${v.specifier}: ${v.reason}`)).toEqual([]);
  });
});

describe("the import walk itself", () => {
  const dir = mkdtempSync(join(tmpdir(), "workflow-imports-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds each kind of forbidden import, however deep, and lets type-only imports through", () => {
    const files: Record<string, string> = {
      "workflows/a.workflow.ts": `import { helper } from "../app/domain/helper";\nimport type { Row } from "../db/schema";\nexport const a = helper;`,
      "app/domain/helper.ts": `import { deeper } from "./deeper";\nimport { type Client } from "@temporalio/client";\nexport const helper = deeper;`,
      "app/domain/deeper.ts": [
        `import { readFileSync } from "node:fs";`,
        `import path from "path";`,
        `import { db } from "../../db/connection";`,
        `export { session } from "../utils/session.server";`,
        `import { Worker } from "@temporalio/worker";`,
        `import { proxyActivities } from "@temporalio/workflow";`,
        `export const deeper = [readFileSync, path, db, Worker, proxyActivities];`,
      ].join("\n"),
      "db/connection.ts": `export const db = 1;`,
      "db/schema.ts": `export interface Row { id: string }`,
      "app/utils/session.server.ts": `export const session = 1;`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const graph = workflowImportGraph([join(dir, "workflows/a.workflow.ts")], dir);
    expect(graph.violations.map((v) => `${relative(dir, v.from)} -> ${v.specifier}`).sort()).toEqual([
      "app/domain/deeper.ts -> ../../db/connection",
      "app/domain/deeper.ts -> ../utils/session.server",
      "app/domain/deeper.ts -> @temporalio/worker",
      "app/domain/deeper.ts -> node:fs",
      "app/domain/deeper.ts -> path",
    ]);
    expect(builtinModules).toContain("path");
  });
});
