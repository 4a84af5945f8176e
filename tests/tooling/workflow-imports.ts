import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface ImportViolation {
  from: string;
  specifier: string;
  reason: string;
}

const ALLOWED_TEMPORAL = new Set(["@temporalio/workflow", "@temporalio/common"]);

/** Value imports of one file: `import type`, `export type` and imports of types only are erased by the compiler. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string, root: string): string | undefined {
  const base = specifier.startsWith("~/") ? join(root, "app", specifier.slice(2)) : resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier) || builtinModules.includes(specifier.split("/")[0]);
}

/**
 * Follows local value imports from `entries` and reports every import a workflow sandbox must not
 * see. Packages other than Temporal's are not followed (they are bundled as they are).
 */
export function workflowImportGraph(entries: string[], root: string): { modules: string[]; violations: ImportViolation[] } {
  const seen = new Set<string>();
  const violations: ImportViolation[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      const local = specifier.startsWith(".") || specifier.startsWith("~/");
      if (!local) {
        if (isBuiltin(specifier)) violations.push({ from: file, specifier, reason: "Node built-in" });
        else if (specifier.startsWith("@temporalio/") && !ALLOWED_TEMPORAL.has(specifier.split("/").slice(0, 2).join("/")))
          violations.push({ from: file, specifier, reason: "Temporal package outside the workflow sandbox" });
        continue;
      }
      const target = resolveLocal(file, specifier, root);
      if (!target) {
        violations.push({ from: file, specifier, reason: "cannot be resolved" });
        continue;
      }
      const rel = relative(root, target).split(sep).join("/");
      if (rel.startsWith("db/")) violations.push({ from: file, specifier, reason: "database module" });
      else if (/\.server\.tsx?$/.test(rel)) violations.push({ from: file, specifier, reason: "server module" });
      else queue.push(target);
    }
  }
  return { modules: [...seen].sort(), violations };
}
