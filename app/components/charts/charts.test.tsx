import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { renderInApp } from "../../../tests/support/render-in-app";
import { BarChart, type BarRow } from "./BarChart";
import { ColumnChart, type Column } from "./ColumnChart";

type Locale = "en" | "es" | "fr";

/** Rendered under a root route whose loader data carries the language, as in the app. */
const render = (element: ReactNode, locale: Locale = "en") => renderInApp(element, locale, renderToStaticMarkup);

type Attrs = Record<string, string>;
const attrs = (tag: string): Attrs => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
/** Every `<name …>` element's attributes, in document order. */
const elements = (html: string, name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, "g"))].map((m) => attrs(m[0]));
const num = (a: Attrs, k: string) => Number(a[k]);
/** The tick labels of an axis, with the position each one is drawn at. */
const ticks = (html: string, axis: "x-axis" | "y-axis") => {
  const part = html.slice(html.indexOf(`class="${axis}"`));
  return [...part.matchAll(/<g class="tick" transform="translate\(([-\d.]+), ([-\d.]+)\)">.*?<text[^>]*>([^<]*)<\/text>/g)].map(
    (m) => ({
      at: axis === "x-axis" ? Number(m[1]) : Number(m[2]),
      label: m[3],
    }),
  );
};

const one = [{ label: "median days", className: "bar-a" }];
const bars = (rows: BarRow[], locale: Locale = "en") =>
  render(<BarChart title="Days in stage" unit="days" series={one} rows={rows} />, locale);
const two = [
  { label: "advances", className: "bar-a" },
  { label: "slips back", className: "bar-warn" },
];
const columns = (cols: Column[], locale: Locale = "en") =>
  render(<ColumnChart title="Moves" unit="transitions" series={two} columns={cols} />, locale);

describe("BarChart", () => {
  it("draws each bar from the same baseline with a length proportional to its value", async () => {
    const html = await bars([
      { label: "Engaged", values: [10] },
      { label: "Training of Trainers", values: [25] },
      { label: "Certification", values: [40] },
      { label: "Cost recovery", values: [0] },
    ]);
    const rects = elements(html, "rect").filter((r) => r.class === "bar-a" && r["data-value"] !== undefined);
    expect(rects.map((r) => Number(r["data-value"]))).toEqual([10, 25, 40, 0]);
    expect(new Set(rects.map((r) => r.x)).size).toBe(1);
    const perUnit = num(rects[2], "width") / 40;
    expect(perUnit).toBeGreaterThan(0);
    expect(num(rects[0], "width")).toBeCloseTo(10 * perUnit, 1);
    expect(num(rects[1], "width")).toBeCloseTo(25 * perUnit, 1);
    expect(num(rects[3], "width")).toBe(0);
    // Rows do not overlap: each bar starts below the one before.
    const tops = [...html.matchAll(/<g class="bar-row" transform="translate\(0, ([\d.]+)\)"/g)].map((m) => Number(m[1]));
    expect(tops).toHaveLength(4);
    for (let i = 1; i < tops.length; i++) expect(tops[i]).toBeGreaterThan(tops[i - 1] + num(rects[0], "height"));
  });

  it("labels a nice axis whose ticks sit where their values are", async () => {
    const html = await bars([
      { label: "A", values: [37] },
      { label: "B", values: [12] },
    ]);
    const xs = ticks(html, "x-axis");
    expect(xs.map((x) => x.label)).toEqual(["0", "10", "20", "30", "40"]);
    const bar = elements(html, "rect").find((r) => r["data-value"] === "37")!;
    const perUnit = num(bar, "width") / 37;
    for (const x of xs) expect(x.at).toBeCloseTo(num(bar, "x") + Number(x.label) * perUnit, 1);
  });

  it("formats tick labels and values in the reader's language", async () => {
    const rows = [{ label: "A", values: [11_500] }];
    const labels = async (locale: Locale) => ticks(await bars(rows, locale), "x-axis").map((x) => x.label);
    expect(await labels("en")).toContain("12,000");
    expect(await labels("es")).toContain("12.000");
    expect(await labels("fr")).toContain("12\u202f000");
    expect(await bars(rows, "fr")).toContain("11\u202f500");
  });

  it("places the range line from the 25th to the 75th percentile over the first bar", async () => {
    const html = await bars([
      { label: "Engaged", values: [30], range: [20, 55] },
      { label: "Certification", values: [60], range: [45, 90] },
    ]);
    const rects = elements(html, "rect").filter((r) => r["data-value"] !== undefined);
    const x0 = num(rects[0], "x");
    const perUnit = num(rects[0], "width") / 30;
    const groups = [...html.matchAll(/<g class="bar-range" data-range="([\d.]+)-([\d.]+)">(.*?)<\/g>/g)];
    expect(groups.map((g) => [Number(g[1]), Number(g[2])])).toEqual([
      [20, 55],
      [45, 90],
    ]);
    for (const [i, g] of groups.entries()) {
      const [p25, p75] = [Number(g[1]), Number(g[2])];
      const [span, left, right] = elements(g[3], "line");
      expect(num(span, "x1")).toBeCloseTo(x0 + p25 * perUnit, 1);
      expect(num(span, "x2")).toBeCloseTo(x0 + p75 * perUnit, 1);
      expect(num(left, "x1")).toBe(num(span, "x1"));
      expect(num(right, "x1")).toBe(num(span, "x2"));
      // Across the middle of the row's bar, inside the bar's height.
      const bar = rects[i];
      expect(num(span, "y1")).toBeCloseTo(num(bar, "y") + num(bar, "height") / 2, 1);
    }
    // The axis reaches past the largest range end, not only the largest bar.
    expect(Number(ticks(html, "x-axis").at(-1)!.label)).toBeGreaterThanOrEqual(90);
    expect(html).toContain(">range</text>");
  });

  it("is one image named by its title and described by its description", async () => {
    const html = await bars([{ label: "A", values: [3] }], "es");
    const svg = elements(html, "svg")[0];
    expect(svg.role).toBe("img");
    const title = html.match(new RegExp(`<title id="${svg["aria-labelledby"]}">([^<]*)</title>`));
    const desc = html.match(new RegExp(`<desc id="${svg["aria-describedby"]}">([^<]*)</desc>`));
    expect(title?.[1]).toBe("Days in stage (gráfico; la tabla tiene las mismas cifras)");
    expect(desc?.[1]).toBe("Barras horizontales en days, sobre un eje de 0 a 3.");
    expect(html).toContain("<figcaption>Days in stage, en days.</figcaption>");
  });

  it("draws an axis from 0 to 1 and no NaN when every value is zero", async () => {
    const html = await bars([{ label: "A", values: [0] }]);
    expect(html).not.toContain("NaN");
    expect(ticks(html, "x-axis").at(-1)!.label).toBe("1");
  });
});

describe("ColumnChart", () => {
  const quarters: Column[] = [
    { label: "2024 Q1", values: [4, 1] },
    { label: "2024 Q2", values: [7, 0] },
    { label: "2024 Q3", values: [2, 3] },
    { label: "2024 Q4", values: [0, 0] },
  ];

  it("stacks each quarter's segments into one column whose height is its total", async () => {
    const html = await columns(quarters);
    const cols = [...html.matchAll(/<g class="column" data-total="(\d+)">(.*?)<\/g>/g)];
    expect(cols.map((c) => Number(c[1]))).toEqual([5, 7, 5, 0]);
    const baseline = Number(html.match(/<line class="axis"[^>]*y1="([\d.]+)"/)![1]);
    const perUnit = (baseline - num(elements(cols[1][2], "rect")[0], "y")) / 7;
    expect(perUnit).toBeGreaterThan(0);
    for (const [i, c] of cols.entries()) {
      const rects = elements(c[2], "rect");
      // Zero segments are left out; the rest follow the series order from the baseline up.
      expect(rects.map((r) => Number(r["data-value"]))).toEqual(quarters[i].values.filter((v) => v > 0));
      expect(rects.map((r) => r.class)).toEqual(two.filter((_, j) => quarters[i].values[j] > 0).map((s) => s.className));
      let bottom = baseline;
      for (const r of rects) {
        expect(num(r, "y") + num(r, "height")).toBeCloseTo(bottom, 1);
        expect(num(r, "height")).toBeCloseTo(Number(r["data-value"]) * perUnit, 1);
        bottom = num(r, "y");
      }
      expect(baseline - bottom).toBeCloseTo(Number(c[1]) * perUnit, 1);
    }
    // All columns are the same width and do not overlap.
    const lefts = cols.slice(0, 3).map((c) => num(elements(c[2], "rect")[0], "x"));
    const width = num(elements(cols[0][2], "rect")[0], "width");
    for (let i = 1; i < lefts.length; i++) expect(lefts[i] - lefts[i - 1]).toBeGreaterThan(width);
  });

  it("labels the count axis with whole numbers only, placed at their heights", async () => {
    const html = await columns([{ label: "2025 Q1", values: [2, 1] }]);
    const ys = ticks(html, "y-axis");
    expect(ys.map((y) => y.label)).toEqual(["0", "1", "2", "3"]);
    const step = ys[0].at - ys[1].at;
    expect(step).toBeGreaterThan(0);
    for (const [i, y] of ys.entries()) expect(y.at).toBeCloseTo(ys[0].at - i * step, 1);
    const rects = elements(html, "rect").filter((r) => r["data-value"] !== undefined);
    expect(num(rects[1], "y")).toBeCloseTo(ys[3].at, 1);
  });

  it("formats the axis and totals in the reader's language", async () => {
    const big = [{ label: "2025 Q1", values: [1_800, 650] }];
    const fr = await columns(big, "fr");
    expect(ticks(fr, "y-axis").map((y) => y.label)).toContain("2\u202f500");
    expect(fr).toContain(">2\u202f450</text>");
    expect(ticks(await columns(big, "en"), "y-axis").map((y) => y.label)).toContain("2,500");
    const desc = fr.match(/<desc[^>]*>([^<]*)<\/desc>/)![1];
    expect(desc).toBe("Colonnes empilées en transitions, sur un axe de 0 à 2\u202f500.");
  });
});
