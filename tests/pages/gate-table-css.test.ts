import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The gate table's "Met" cell is `td.status`, and the shared `.status` badge (forms.css) turns
 * any `.status` into an inline-block pill, which cost that cell its row line. The gate table's own
 * rule must put it back as a table cell with the row line every other cell has.
 */

const css = (f: string) => readFileSync(new URL(`../../app/styles/${f}`, import.meta.url), "utf8");

function rule(source: string, selector: string): string {
  const at = source.indexOf(`${selector} {`);
  expect(at, `${selector} in the stylesheet`).toBeGreaterThanOrEqual(0);
  return source.slice(at, source.indexOf("}", at));
}

describe("gate table Met cells", () => {
  it("are table cells with a row line, whatever the shared .status badge says", () => {
    expect(rule(css("forms.css"), ".status")).toMatch(/display: inline-block/);
    const own = rule(css("app.css"), ".criteria td.status");
    expect(own).toMatch(/display: table-cell;/);
    expect(own).toMatch(/border-radius: 0;/);
    expect(own).toMatch(/border-top: 1px solid var\(--line\);/);
  });
});
