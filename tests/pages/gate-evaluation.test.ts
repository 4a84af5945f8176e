import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Pages read each institution's gate from the stored pathway status; only a few modules may
 * evaluate gate rules themselves. This test reads the source of every module under app/ and
 * db/ with the TypeScript compiler and fails when a module outside the allow-list calls a gate
 * evaluation function of the gate rules module, or a function that (through any number of
 * exported wrappers) calls one.
 *
 * The allow-list names modules by file name, not path, so moving a file to another folder keeps
 * it allowed. Test files are not scanned: they evaluate rules to check them.
 */

const ROOT = path.resolve(__dirname, "../..");

/** The gate rules' evaluation functions. The module that exports all of them is the gate rules module. */
const GATE_FUNCTIONS = ["evaluateCriterion", "evaluateGate", "evaluateNextGate", "failingFloors", "evaluatePathway"];

/** Modules that may evaluate gates, by file name, and why. */
const ALLOWED: Record<string, string> = {
  "gate.ts": "the gate rules themselves",
  "status.ts": "evaluates an institution and stores the result: the pathway workflow's activity calls it",
  "institutions.$id.report.tsx": "the report preview: one institution's gate with the report about to be sent",
  "template-move.ts": "what a move to another template version would change: a gate on a template not in force",
  "admin.templates.$templateId.move.tsx": "the template move preview, through template-move.ts",
  "seed.ts": "the demo seed stores each institution's status, as the workflow would",
  "seed-build.ts": "the demo seed shapes its stories' records against single criteria",
  "start.ts": "start-up loads the demo seed into an empty database, once",
};

interface Ref {
  module: string;
  name: string;
}

interface ModuleFacts {
  file: string;
  /** Local name → the exported function it was imported as. */
  imports: Map<string, Ref>;
  /** Namespace import name → module. */
  namespaces: Map<string, string>;
  /** Top-level functions (exported or not) with the calls in their bodies, unresolved. */
  functions: Map<string, { exported: boolean; calls: ts.CallExpression[] }>;
  /** Re-exports (`export { x } from`) as the exported name → what it re-exports. */
  reexports: Map<string, Ref>;
  /** Every call anywhere in the module. */
  calls: ts.CallExpression[];
}

function resolveSpecifier(from: string, spec: string, known: Set<string>): string | null {
  let base: string;
  if (spec.startsWith("~/")) base = path.join(ROOT, "app", spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")])
    if (known.has(candidate)) return candidate;
  return null;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function collectCalls(node: ts.Node, out: ts.CallExpression[]) {
  if (ts.isCallExpression(node)) out.push(node);
  ts.forEachChild(node, (child) => collectCalls(child, out));
}

function readModule(file: string, text: string, known: Set<string>): ModuleFacts {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const facts: ModuleFacts = {
    file,
    imports: new Map(),
    namespaces: new Map(),
    functions: new Map(),
    reexports: new Map(),
    calls: [],
  };
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const target = resolveSpecifier(file, st.moduleSpecifier.text, known);
      const bindings = st.importClause.namedBindings;
      if (!target || !bindings) continue;
      if (ts.isNamespaceImport(bindings)) facts.namespaces.set(bindings.name.text, target);
      else
        for (const el of bindings.elements)
          if (!el.isTypeOnly) facts.imports.set(el.name.text, { module: target, name: (el.propertyName ?? el.name).text });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && !st.isTypeOnly) {
      const target = resolveSpecifier(file, st.moduleSpecifier.text, known);
      if (target && st.exportClause && ts.isNamedExports(st.exportClause))
        for (const el of st.exportClause.elements)
          facts.reexports.set(el.name.text, { module: target, name: (el.propertyName ?? el.name).text });
    } else if (ts.isFunctionDeclaration(st) && st.name && st.body) {
      const calls: ts.CallExpression[] = [];
      collectCalls(st.body, calls);
      facts.functions.set(st.name.text, { exported: isExported(st), calls });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (
          ts.isIdentifier(d.name) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        ) {
          const calls: ts.CallExpression[] = [];
          collectCalls(d.initializer, calls);
          facts.functions.set(d.name.text, { exported: isExported(st), calls });
        }
    }
  }
  collectCalls(source, facts.calls);
  return facts;
}

/** The function a call calls, when it is one imported from (or declared in) a scanned module. */
function callee(m: ModuleFacts, call: ts.CallExpression): Ref | null {
  const e = call.expression;
  if (ts.isIdentifier(e)) {
    const imported = m.imports.get(e.text);
    if (imported) return imported;
    if (m.functions.has(e.text)) return { module: m.file, name: e.text };
  } else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const ns = m.namespaces.get(e.expression.text);
    if (ns) return { module: ns, name: e.name.text };
  }
  return null;
}

const key = (r: Ref) => `${r.module}#${r.name}`;

/**
 * For a set of modules (path → source): every module that calls a gate evaluation function,
 * directly or through wrappers, with the functions it calls.
 */
export function findGateEvaluations(sources: Map<string, string>): { gateModule: string; callers: Map<string, string[]> } {
  const known = new Set(sources.keys());
  const modules = [...sources].map(([file, text]) => readModule(file, text, known));
  const gateModules = modules.filter((m) => GATE_FUNCTIONS.every((f) => m.functions.get(f)?.exported));
  if (gateModules.length !== 1)
    throw new Error(`Expected one module exporting ${GATE_FUNCTIONS.join(", ")}; found ${gateModules.length}`);
  const gateModule = gateModules[0].file;

  const evaluators = new Set(GATE_FUNCTIONS.map((name) => key({ module: gateModule, name })));
  const resolve = (r: Ref): Ref => {
    // Follow re-exports to the function's own module.
    for (let i = 0; i < 10; i++) {
      const m = modules.find((x) => x.file === r.module);
      const next = m?.reexports.get(r.name);
      if (!next) return r;
      r = next;
    }
    return r;
  };
  const callsEvaluator = (m: ModuleFacts, calls: ts.CallExpression[]) =>
    calls.map((c) => callee(m, c)).filter((r): r is Ref => !!r && evaluators.has(key(resolve(r))));

  // Wrappers: a top-level function that calls an evaluator is one itself; until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const m of modules) {
      if (m.file === gateModule) continue;
      for (const [name, f] of m.functions) {
        const k = key({ module: m.file, name });
        if (!evaluators.has(k) && callsEvaluator(m, f.calls).length > 0) {
          evaluators.add(k);
          changed = true;
        }
      }
    }
  }

  const callers = new Map<string, string[]>();
  for (const m of modules) {
    if (m.file === gateModule) continue;
    const called = [...new Set(callsEvaluator(m, m.calls).map((r) => resolve(r).name))];
    // A re-export hands the rules out under another name: as good as a call.
    const handedOut = [...m.reexports.values()].filter((r) => evaluators.has(key(resolve(r)))).map((r) => r.name);
    if (called.length + handedOut.length > 0) callers.set(m.file, [...called, ...handedOut].sort());
  }
  return { gateModule, callers };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

describe("gates are evaluated only where allowed", () => {
  it("no module under app/ or db/ outside the allow-list evaluates gate rules", () => {
    const files = [...sourceFiles(path.join(ROOT, "app")), ...sourceFiles(path.join(ROOT, "db"))];
    const { gateModule, callers } = findGateEvaluations(new Map(files.map((f) => [f, readFileSync(f, "utf8")])));
    expect(path.basename(gateModule)).toBe("gate.ts");
    const offenders = [...callers]
      .filter(([file]) => !(path.basename(file) in ALLOWED))
      .map(([file, fns]) => `${path.relative(ROOT, file)} calls ${fns.join(", ")}`);
    expect(offenders, "Read the stored status (db/queries/pathway-status.ts) instead of evaluating gates").toEqual([]);
    // The scan sees the modules it should: the report preview and the read model's writer.
    const seen = [...callers.keys()].map((f) => path.basename(f));
    expect(seen).toContain("institutions.$id.report.tsx");
    expect(seen).toContain("status.ts");
  });

  describe("the scan itself", () => {
    const gate = `export function evaluateCriterion() {}
export function evaluateGate() {}
export function evaluateNextGate() { return evaluateGate(); }
export function failingFloors() {}
export function evaluatePathway() { return evaluateNextGate(); }
export function readinessScore() {}`;
    const scan = (files: Record<string, string>) =>
      findGateEvaluations(new Map(Object.entries({ "/r/app/domain/gate.ts": gate, ...files }))).callers;

    it("finds direct calls, renamed imports, namespace imports and calls through wrappers", () => {
      const callers = scan({
        "/r/app/a.ts": `import { evaluateNextGate } from "./domain/gate"; export const f = () => evaluateNextGate();`,
        "/r/app/b.ts": `import { evaluateGate as g } from "./domain/gate"; g();`,
        "/r/app/c.ts": `import * as rules from "./domain/gate"; export function h() { return rules.failingFloors(); }`,
        "/r/app/d.ts": `import { f } from "./a"; f();`,
        "/r/app/e.ts": `import { h } from "./c"; export async function loader() { return h(); }`,
        "/r/app/f.ts": `export { evaluatePathway as run } from "./domain/gate";`,
        "/r/app/g.ts": `import { run } from "./f"; run();`,
      });
      expect(Object.fromEntries([...callers].map(([f, fns]) => [path.basename(f), fns]))).toEqual({
        "a.ts": ["evaluateNextGate"],
        "b.ts": ["evaluateGate"],
        "c.ts": ["failingFloors"],
        "d.ts": ["f"],
        "e.ts": ["h"],
        "f.ts": ["evaluatePathway"],
        "g.ts": ["evaluatePathway"],
      });
    });

    it("ignores type-only imports and other functions of the gate module", () => {
      const callers = scan({
        "/r/app/a.ts": `import type { GateResult } from "./domain/gate"; import { readinessScore } from "./domain/gate"; readinessScore();`,
        "/r/app/b.ts": `function evaluateGate() {} evaluateGate();`,
      });
      expect([...callers.keys()]).toEqual([]);
    });
  });
});
