#!/usr/bin/env node
// Moves the app's modules to the feature layout (docs/decisions/014-feature-layout.md) and rewrites
// every relative or "~/" import that pointed at an old place: `node scripts/relayout-imports.mjs`.
//
// Re-runnable: a file still at an old path (say, added or edited on a branch merged since) is
// `git mv`ed; a file already at its new path is left where it is; then every import in app/, db/,
// workflows/, tests/ and scripts/ that no longer resolves is resolved again through the table below
// (static and dynamic imports, `export … from`, vi.mock/vi.importActual paths). A second run with
// nothing to do changes nothing. `--dry-run` prints the moves only.
//
// At the end it lists what is left in the folders the table empties, and any import it could not
// resolve, so that a new file can be given a line in MOVES.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const DRY = process.argv.includes("--dry-run");

/**
 * Old path → new path. A line ending in "/" moves a whole folder (files added to it later too);
 * a file line wins over a folder line.
 */
export const MOVES = [
  // platform: sessions, passwords, CSRF, the access policy, the Temporal client, configuration
  ["app/utils/auth.server.ts", "app/platform/auth.server.ts"],
  ["app/utils/password.server.ts", "app/platform/password.server.ts"],
  ["app/utils/password-rules.ts", "app/platform/password-rules.ts"],
  ["app/utils/account-forms.server.ts", "app/platform/account-forms.server.ts"],
  ["app/utils/roles.ts", "app/platform/roles.ts"],
  ["app/utils/access.server.ts", "app/platform/access.server.ts"],
  ["app/utils/institution-guard.server.ts", "app/platform/guard.server.ts"],
  ["app/platform/institution-guard.server.ts", "app/platform/guard.server.ts"],
  ["app/utils/header.server.ts", "app/platform/header.server.ts"],
  ["app/utils/workflow-errors.server.ts", "app/platform/workflow-errors.server.ts"],
  ["app/utils/workflow-update.server.ts", "app/platform/workflow-update.server.ts"],
  ["app/server/config.ts", "app/platform/config.ts"],
  ["app/server/config.test.ts", "app/platform/config.test.ts"],
  ["app/server/context.ts", "app/platform/context.ts"],

  // pathway: an institution's page, its graph, the pathway workflow's client side, forecasts
  ["app/utils/pathway.server.ts", "app/features/pathway/pathway.server.ts"],
  ["app/utils/pathway-view.server.ts", "app/features/pathway/pathway-view.server.ts"],
  ["app/utils/pathway-messages.server.ts", "app/features/pathway/pathway-messages.server.ts"],
  ["app/components/institution-page.server.ts", "app/features/pathway/institution-page.server.ts"],
  ["app/components/forecast.server.ts", "app/features/pathway/forecast.server.ts"],
  ["app/domain/forecast.ts", "app/features/pathway/forecast.ts"],
  ["app/domain/forecast.test.ts", "app/features/pathway/forecast.test.ts"],
  ["app/components/PathwayGraph.tsx", "app/features/pathway/PathwayGraph.tsx"],
  ["app/components/PathwayGraph.test.tsx", "app/features/pathway/PathwayGraph.test.tsx"],
  ["app/components/StageNode.tsx", "app/features/pathway/StageNode.tsx"],
  ["app/components/pathway-layout.ts", "app/features/pathway/pathway-layout.ts"],
  ["app/components/pathway-layout.test.ts", "app/features/pathway/pathway-layout.test.ts"],

  // reports: the milestone report form, evidence files, report effects
  ["app/utils/report-form.ts", "app/features/reports/report-form.ts"],
  ["app/utils/report-form.test.ts", "app/features/reports/report-form.test.ts"],
  ["app/utils/evidence.server.ts", "app/features/reports/evidence.server.ts"],
  ["app/utils/file-type.ts", "app/features/reports/file-type.ts"],
  ["app/utils/file-type.test.ts", "app/features/reports/file-type.test.ts"],
  ["app/components/forms/ReportFields.tsx", "app/features/reports/ReportFields.tsx"],
  ["app/components/forms/GatePreview.tsx", "app/features/reports/GatePreview.tsx"],
  ["app/domain/report-effects.ts", "app/features/reports/report-effects.ts"],
  ["app/domain/report-effects.test.ts", "app/features/reports/report-effects.test.ts"],

  // handover: plans, their workflow's client side, the dossier, XLSX
  ["app/components/handover/access.server.ts", "app/features/handover/plan-access.server.ts"],
  ["app/components/handover/", "app/features/handover/"],

  // indicators: the logframe
  ["app/domain/indicators.ts", "app/features/indicators/indicators.ts"],
  ["app/domain/indicators.test.ts", "app/features/indicators/indicators.test.ts"],
  ["app/domain/indicator-catalogue.ts", "app/features/indicators/indicator-catalogue.ts"],
  ["app/components/indicators/", "app/features/indicators/"],

  // import: bulk import of CSV/XLSX
  ["app/domain/import/", "app/features/import/rules/"],
  ["app/utils/import.server.ts", "app/features/import/import.server.ts"],
  ["app/utils/import-templates.server.ts", "app/features/import/import-templates.server.ts"],
  ["app/utils/import-access.server.ts", "app/features/import/import-access.server.ts"],

  // templates: pathway template editor, versions, moves
  ["app/domain/template-validation.ts", "app/features/templates/template-validation.ts"],
  ["app/domain/template-validation.test.ts", "app/features/templates/template-validation.test.ts"],
  ["app/domain/template-move.ts", "app/features/templates/template-move.ts"],
  ["app/utils/templates.server.ts", "app/features/templates/templates.server.ts"],
  ["app/components/TemplateEditor.tsx", "app/features/templates/TemplateEditor.tsx"],
  ["app/components/TemplateStagesTable.tsx", "app/features/templates/TemplateStagesTable.tsx"],

  // scorecard: readiness assessments
  ["app/domain/scorecard.ts", "app/features/scorecard/scorecard.ts"],
  ["app/domain/scorecard.test.ts", "app/features/scorecard/scorecard.test.ts"],
  ["app/utils/scorecard.server.ts", "app/features/scorecard/scorecard.server.ts"],
  ["app/utils/scorecard-messages.server.ts", "app/features/scorecard/scorecard-messages.server.ts"],
  ["app/components/scorecard/", "app/features/scorecard/"],

  // analytics: time in stage, stuck institutions
  ["app/domain/analytics.ts", "app/features/analytics/analytics.ts"],
  ["app/domain/analytics.test.ts", "app/features/analytics/analytics.test.ts"],
  ["app/components/portfolio-graph/analytics.server.ts", "app/features/analytics/analytics.server.ts"],

  // portfolio: the list of institutions and the portfolio graph
  ["app/components/portfolio.server.ts", "app/features/portfolio/portfolio.server.ts"],
  ["app/components/portfolio-graph/", "app/features/portfolio/"],
];

const SCANNED = ["app", "db", "workflows", "tests", "scripts"];
const EXTENSIONS = [".ts", ".tsx", ".mjs", ".js", ".jsx", ".cjs"];
const SOURCE = /\.(ts|tsx|mjs|js|jsx|cjs)$/;

const rel = (p) => path.relative(ROOT, p).split(path.sep).join("/");
const abs = (p) => path.join(ROOT, p);
const exists = (p) => fs.existsSync(abs(p)) && fs.statSync(abs(p)).isFile();

function walk(dir, out = []) {
  if (!fs.existsSync(abs(dir))) return out;
  for (const entry of fs.readdirSync(abs(dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** The new path of an old one, or undefined. */
function newPathOf(old) {
  const exact = MOVES.find(([from]) => from === old);
  if (exact) return exact[1];
  const folder = MOVES.filter(([from]) => from.endsWith("/") && old.startsWith(from)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  return folder ? folder[1] + old.slice(folder[0].length) : undefined;
}

/** The old path of a new one, or undefined. */
function oldPathOf(now) {
  const exact = MOVES.find(([, to]) => to === now);
  if (exact) return exact[0];
  for (const [from, to] of MOVES) {
    if (!to.endsWith("/") || !now.startsWith(to)) continue;
    const old = from + now.slice(to.length);
    if (newPathOf(old) === now) return old;
  }
  return undefined;
}

/** The file a specifier names from a folder, against the files that exist now. */
function resolveExisting(base) {
  if (exists(base)) return base;
  for (const ext of EXTENSIONS) if (exists(base + ext)) return base + ext;
  for (const ext of EXTENSIONS) if (exists(`${base}/index${ext}`)) return `${base}/index${ext}`;
  return undefined;
}

/** The file a specifier names through the table, trying the extensions a module may have had. */
function resolveMoved(base) {
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  for (const c of candidates) {
    const moved = newPathOf(c);
    if (moved && exists(moved)) return moved;
  }
  return undefined;
}

function basePath(fromFile, spec) {
  if (spec.startsWith("~/")) return path.posix.normalize(`app/${spec.slice(2)}`);
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
}

function specifierFor(fromFile, target, original) {
  const ext = original.match(/\.(mjs|cjs|js|jsx|ts|tsx)$/)?.[0] ?? "";
  let bare = target.replace(/\.(ts|tsx|mjs|js|jsx|cjs)$/, "");
  if (bare.endsWith("/index") && !/\/index(\.\w+)?$/.test(original)) bare = bare.slice(0, -"/index".length);
  const spec = bare + ext;
  if (original.startsWith("~/") && spec.startsWith("app/")) return `~/${spec.slice(4)}`;
  const r = path.posix.relative(path.posix.dirname(fromFile), spec);
  return r.startsWith(".") ? r : `./${r}`;
}

// import … from "x", export … from "x", import "x", import("x"), vi.mock("x"), vi.importActual("x"), require("x")
const IMPORT =
  /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.(?:mock|doMock|unmock|importActual|importMock)\s*\(\s*|\brequire\s*\(\s*)(["'])((?:\.{1,2}\/|~\/)[^"'\n]*)\2/g;

// import/export statements with their "type" keyword, to leave type-only ones out of the workflow bundle
const VALUE_IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^;"']*?\bfrom\s*)?["']([^"']+)["']/gm;

/** Only what pathway.workflow.ts / handover.workflow.ts bundle: the Temporal sandbox's side. */
function workflowSandboxClosure({ typesToo = false, entries = walk("workflows").filter((f) => /\.workflow\.ts$/.test(f)) } = {}) {
  const seen = new Set();
  const queue = [...entries];
  while (queue.length) {
    const f = queue.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of fs.readFileSync(abs(f), "utf8").matchAll(VALUE_IMPORT)) {
      if ((m[1] && !typesToo) || !/^(\.{1,2}\/|~\/)/.test(m[2])) continue; // type-only imports are not bundled
      const t = resolveExisting(basePath(f, m[2]));
      if (t && !seen.has(t)) queue.push(t);
    }
  }
  return seen;
}

function git(...args) {
  return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" });
}

function tracked(p) {
  try {
    git("ls-files", "--error-unmatch", p);
    return true;
  } catch {
    return false;
  }
}

// 1. Move what is still at an old path.
const sandbox = workflowSandboxClosure();
const movedNow = new Map(); // new path → old path, for files moved by this run
const conflicts = [];
const kept = [];
const oldFiles = new Set();
for (const [from] of MOVES) {
  if (from.endsWith("/")) walk(from.slice(0, -1)).forEach((f) => oldFiles.add(f));
  else if (exists(from)) oldFiles.add(from);
}
for (const from of [...oldFiles].sort()) {
  const to = newPathOf(from);
  if (!to || to === from) continue;
  if (from.startsWith("app/domain/") && sandbox.has(from.replace(/\.test(\.tsx?)$/, "$1"))) {
    kept.push(from);
    continue;
  }
  if (exists(to)) {
    conflicts.push(`${from} and ${to} both exist: merge them by hand, then run again`);
    continue;
  }
  console.log(`move ${from} → ${to}`);
  if (!DRY) {
    fs.mkdirSync(path.dirname(abs(to)), { recursive: true });
    if (tracked(from)) git("mv", from, to);
    else fs.renameSync(abs(from), abs(to));
  }
  movedNow.set(to, from);
}

if (DRY) {
  if (kept.length) console.log(`kept in app/domain (workflow code imports them):\n  ${kept.join("\n  ")}`);
  process.exit(0);
}

// 2. Rewrite every import that no longer resolves, or resolves only through the table.
const unresolved = [];
let rewrites = 0;
const files = SCANNED.flatMap((d) => walk(d)).filter((f) => SOURCE.test(f));
for (const file of files) {
  const text = fs.readFileSync(abs(file), "utf8");
  const oldHome = movedNow.get(file) ?? oldPathOf(file);
  const tryOldFirst = movedNow.has(file);
  const next = text.replace(IMPORT, (whole, lead, quote, spec) => {
    const here = basePath(file, spec);
    const there = oldHome ? basePath(oldHome, spec) : undefined;
    const attempts = tryOldFirst && !spec.startsWith("~/") ? [there, here] : [here, there];
    let target;
    for (const base of attempts) {
      if (!base) continue;
      target = resolveMoved(base) ?? resolveExisting(base);
      if (target) break;
    }
    if (!target) {
      unresolved.push(`${file}: ${spec}`);
      return whole;
    }
    const current = resolveExisting(here);
    if (current === target) return whole;
    const spec2 = specifierFor(file, target, spec);
    if (spec2 === spec) return whole;
    rewrites++;
    return `${lead}${quote}${spec2}${quote}`;
  });
  if (next !== text) fs.writeFileSync(abs(file), next);
}

// 3. Paths written out in comments, tests and the README ("see app/domain/forecast.ts") follow too;
// decision records keep the paths of their day, and this script keeps its table.
let mentions = 0;
const SELF = rel(new URL(import.meta.url).pathname);
for (const file of [...files, "README.md"]) {
  if (file === SELF || !exists(file)) continue;
  const text = fs.readFileSync(abs(file), "utf8");
  const next = text.replace(/\bapp\/[A-Za-z0-9_.$[\]/-]+\.(?:tsx?|mjs)\b/g, (p) => {
    const moved = newPathOf(p);
    if (!moved || !exists(moved) || exists(p)) return p;
    mentions++;
    return moved;
  });
  if (next !== text) fs.writeFileSync(abs(file), next);
}

// 4. Report.
const folderOf = (p) => (p.endsWith("/") ? p.slice(0, -1) : path.posix.dirname(p));
const targets = new Set(MOVES.map(([, to]) => folderOf(to)));
const emptied = [...new Set(MOVES.map(([from]) => folderOf(from)))].filter((d) => !targets.has(d));
const leftovers = emptied
  .filter((d) => !["app/server", "app/domain", "app/components", "app/components/forms"].includes(d))
  .flatMap((d) => walk(d));
console.log(`\n${movedNow.size} file(s) moved, ${rewrites} import(s) and ${mentions} written-out path(s) rewritten.`);
if (kept.length) console.log(`kept in app/domain (workflow code imports them):\n  ${kept.join("\n  ")}`);
if (leftovers.length) console.log(`left in emptied folders (give them a line in MOVES):\n  ${leftovers.join("\n  ")}`);
if (conflicts.length) console.log(`conflicts:\n  ${conflicts.join("\n  ")}`);
if (unresolved.length) console.log(`imports that resolve to nothing:\n  ${[...new Set(unresolved)].join("\n  ")}`);
const workerSide = workflowSandboxClosure({
  typesToo: true,
  entries: walk("workflows").filter((f) => SOURCE.test(f) && !/\.test\./.test(f)),
});
const domainOutside = walk("app/domain").filter((f) => SOURCE.test(f) && !/\.test\./.test(f) && !workerSide.has(f));
if (domainOutside.length)
  console.log(`in app/domain but imported by no workflow code nor its activities:\n  ${domainOutside.join("\n  ")}`);
process.exitCode = conflicts.length ? 1 : 0;
