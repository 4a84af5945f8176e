import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Pages are rendered to one string (app/entry.server.tsx, decision 047): nothing streams, so a
 * route that suspends would be answered with its fallback and never with its data. This test fails
 * as soon as app code defers data or suspends, so whoever does it changes the renderer too.
 */

const ROOT = new URL("../..", import.meta.url).pathname;

/** What suspends a server render: deferred loader data, `<Await>`, `<Suspense>`, `lazy()`. */
const SUSPENDS: [RegExp, string][] = [
  [/\bimport\s*\{[^}]*\bdefer\b[^}]*\}\s*from\s*["']@remix-run\/(node|react|server-runtime)["']/, "imports defer"],
  [/<(Await|Suspense|React\.Suspense)\b/, "renders <Await> or <Suspense>"],
  [/\b(React\.)?lazy\(\s*\(\s*\)\s*=>\s*import\(/, "loads a component with lazy()"],
];

function suspending(source: string): string[] {
  return SUSPENDS.filter(([re]) => re.test(source)).map(([, what]) => what);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe("pages rendered to one string", () => {
  it("no app module defers data or suspends", () => {
    const files = sources(join(ROOT, "app"));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => suspending(readFileSync(f, "utf8")).map((what) => `${relative(ROOT, f)} ${what}`));
    expect(found).toEqual([]);
  });

  it("the check recognises each way to suspend", () => {
    expect(suspending(`import { defer, json } from "@remix-run/node";`)).toEqual(["imports defer"]);
    expect(suspending(`<Await resolve={p}>{(x) => x}</Await>`)).toEqual(["renders <Await> or <Suspense>"]);
    expect(suspending(`<Suspense fallback={null}><Chart /></Suspense>`)).toEqual(["renders <Await> or <Suspense>"]);
    expect(suspending(`const Chart = lazy(() => import("./Chart"));`)).toEqual(["loads a component with lazy()"]);
    expect(suspending(`import { json } from "@remix-run/node"; const deferred = 1;`)).toEqual([]);
  });
});
