import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../app/i18n/catalog";

/**
 * A static check that the pages and components issue 6 translated write no English of their own:
 * no JSX text with words in it, and no word-bearing literal in the attributes people read
 * (labels, hints, titles, placeholders). Anything that must stay as it is (a product name, a
 * format code) is listed below, with the reason. Files of other areas are left to their owners.
 */

const ROOT = path.resolve(__dirname, "../..");

const OWNED = [
  "app/root.tsx",
  "app/routes/login.tsx",
  "app/routes/reset-password.$token.tsx",
  "app/routes/institutions._index.tsx",
  "app/routes/institutions.new.tsx",
  "app/routes/institutions.$id._index.tsx",
  "app/routes/institutions.$id.report.tsx",
  "app/routes/institutions.$id.reports.$reportId.tsx",
  "app/routes/institutions.$id.sign-off.tsx",
  "app/routes/institutions.$id.slip.tsx",
  "app/routes/verify.tsx",
  "app/routes/inbox.tsx",
  "app/routes/notifications.tsx",
  "app/routes/admin.users.tsx",
  "app/routes/admin.audit.tsx",
  "app/routes/portfolio.tsx",
  "app/routes/analytics.tsx",
  "app/components/ActionRefusal.tsx",
  "app/components/LanguagePicker.tsx",
  "app/components/PathwayGraph.tsx",
  "app/components/StageNode.tsx",
  "app/components/StillFlow.tsx",
  "app/components/forms/fields.tsx",
  "app/components/forms/ReportFields.tsx",
  "app/components/forms/GatePreview.tsx",
  "app/components/forms/SubmitButton.tsx",
  "app/components/charts/BarChart.tsx",
  "app/components/charts/ColumnChart.tsx",
  "app/components/portfolio-graph/FilterForm.tsx",
  "app/components/portfolio-graph/PortfolioGraph.tsx",
];

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
      if (READ_ATTRIBUTES.includes(name) && literal !== null && WORDS.test(literal) && !isKey(literal)) found.push(`${name}="${literal}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(src));
  return found;
}

describe("translated pages and components", () => {
  it("exist as listed (the list is kept honest when files move)", () => {
    for (const file of OWNED) expect(statSync(path.join(ROOT, file)).isFile(), file).toBe(true);
  });

  it("write no English words of their own in JSX text or read attributes", () => {
    const left: string[] = [];
    for (const file of OWNED) {
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

  it("cover every route and component file that is not another area's", () => {
    // Other engineers' areas (handover plans, scorecard, templates, indicators and logframe,
    // import) and routes that draw no page.
    const others = /plans|handover|scorecard|template|indicator|logframe|import|language|healthz|^_index|logout|evidence|analytics\[\.\]csv/;
    const all = [
      ...readdirSync(path.join(ROOT, "app/routes")).map((f) => `app/routes/${f}`),
      ...["app/components", "app/components/forms", "app/components/charts", "app/components/portfolio-graph"].flatMap((d) =>
        readdirSync(path.join(ROOT, d)).map((f) => `${d}/${f}`),
      ),
    ].filter((f) => f.endsWith(".tsx") && !f.endsWith(".test.tsx") && !others.test(f.replace(/^app\/(routes|components)\//, "")));
    const unlisted = all.filter((f) => !OWNED.includes(f) && f !== "app/components/CsrfInput.tsx");
    expect(unlisted).toEqual([]);
  });
});
