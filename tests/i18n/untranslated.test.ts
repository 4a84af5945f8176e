import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../app/i18n/catalog";

/**
 * A static check that no page or component writes English of its own:
 * no JSX text with words in it, and no word-bearing literal in the attributes people read
 * (labels, hints, titles, placeholders). Anything that must stay as it is (a product name, a
 * format code) is listed below, with the reason.
 */

const ROOT = path.resolve(__dirname, "../..");

function tsxUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return tsxUnder(rel);
    return name.endsWith(".tsx") && !name.endsWith(".test.tsx") ? [rel] : [];
  });
}

/** Every page and component of the app, whichever area it belongs to. */
const EVERY_PAGE_FILE = ["app/root.tsx", ...tsxUnder("app/routes"), ...tsxUnder("app/components"), ...tsxUnder("app/features")];

/** Text that stays as written in every language, and why. */
const ALLOWED = new Set([
  "Pathways", // the product's name, in the header
  "React Flow", // the library's name, in the credit line of each graph
]);

/** Attributes a person reads or hears. */
const READ_ATTRIBUTES = ["aria-label", "title", "placeholder", "label", "hint", "legend", "busyLabel", "alt", "summary"];

function parse(src: string): ts.SourceFile {
  return ts.createSourceFile("page.tsx", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
}

const WORDS = /[A-Za-zÀ-ÿ]{2,}/;
const isKey = (text: string) => text in CATALOGS.en;

/** JSX text with words in it: what a page would show in English whatever the language. */
function jsxTexts(src: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const text = node.text.replace(/\s+/g, " ").trim();
      if (WORDS.test(text)) found.push(text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(src));
  return found;
}

/** Word-bearing string literals in the attributes people read (a message key is fine). */
function attributeTexts(src: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText();
      const init = node.initializer;
      const literal = ts.isStringLiteral(init)
        ? init.text
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)
          ? init.expression.text
          : null;
      if (READ_ATTRIBUTES.includes(name) && literal !== null && WORDS.test(literal) && !isKey(literal))
        found.push(`${name}="${literal}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(src));
  return found;
}

describe("translated pages and components", () => {
  it("write no English words of their own in JSX text or read attributes", () => {
    const left: string[] = [];
    for (const file of EVERY_PAGE_FILE) {
      const src = readFileSync(path.join(ROOT, file), "utf8");
      for (const text of [...jsxTexts(src), ...attributeTexts(src)]) if (!ALLOWED.has(text)) left.push(`${file}: ${text}`);
    }
    expect(left).toEqual([]);
  });

  it("catch a bare English literal when there is one (the check can fail)", () => {
    const sample =
      'export const X = () => (<p className="hint">Nothing to see <b>{n}</b></p>);\nconst Y = <input placeholder="Type here" aria-label={t("x")} title={"Say more"} />;\nconst Z = <A title="inst.refusal.nothing" />;';
    expect(jsxTexts(sample)).toEqual(["Nothing to see"]);
    expect(attributeTexts(sample)).toEqual(['placeholder="Type here"', 'title="Say more"']);
    expect(jsxTexts("{items.map((o) => <li key={o}>{t(o)}</li>)}")).toEqual([]);
  });

  it("look at every page and component, of every area", () => {
    expect(EVERY_PAGE_FILE.length).toBeGreaterThan(60);
    for (const f of [
      "app/routes/logframe._index.tsx",
      "app/routes/import._index.tsx",
      "app/features/templates/TemplateEditor.tsx",
      "app/components/forms/fields.tsx",
      "app/routes/institutions.$id.assessment.tsx",
    ])
      expect(EVERY_PAGE_FILE, f).toContain(f);
  });
});
