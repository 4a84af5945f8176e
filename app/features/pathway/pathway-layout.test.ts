import { describe, expect, it } from "vitest";
import { evaluateNextGate } from "~/domain/gate";
import { EMPTY_RECORDS } from "~/domain/records";
import { DEFAULT_TEMPLATE } from "../../../db/reference-data";
import { buildPathwayGraph, layoutLeftToRight, nodeSize, SIZES } from "./pathway-layout";

const stages = DEFAULT_TEMPLATE.stages.map((s) => ({ key: s.key, name: s.name, description: s.description }));
const now = new Date("2025-06-01T00:00:00Z");

function graphAt(stageKey: string) {
  const currentIndex = stages.findIndex((s) => s.key === stageKey);
  return buildPathwayGraph({
    stages,
    currentIndex,
    nextGate: evaluateNextGate(DEFAULT_TEMPLATE, stageKey, EMPTY_RECORDS, now),
    reachedOn: { engaged: "2024-01-10", tot: "2024-09-01" },
  });
}

describe("layoutLeftToRight", () => {
  it("puts boxes side by side, gap apart, top-aligned", () => {
    const out = layoutLeftToRight(
      [
        { width: 100, height: 50 },
        { width: 200, height: 80 },
        { width: 100, height: 50 },
      ],
      10,
    );
    expect(out.positions).toEqual([
      { x: 0, y: 0 },
      { x: 110, y: 0 },
      { x: 320, y: 0 },
    ]);
    expect(out.width).toBe(420);
    expect(out.height).toBe(80);
  });

  it("gives an empty drawing for no stages", () => {
    expect(layoutLeftToRight([], 10)).toEqual({ positions: [], width: 0, height: 0 });
  });
});

describe("buildPathwayGraph", () => {
  it("marks stages done, current and locked, in pathway order left to right", () => {
    const { nodes } = graphAt("tot");
    expect(nodes.map((n) => [n.id, n.data.status])).toEqual([
      ["engaged", "done"],
      ["tot", "current"],
      ["certification", "locked"],
      ["cost_recovery", "locked"],
      ["independent", "locked"],
    ]);
    const xs = nodes.map((n) => n.position.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(nodes.every((n) => n.position.y === 0)).toBe(true);
  });

  it("puts the next gate's criteria on the next stage only, and sizes that node for them", () => {
    const { nodes } = graphAt("tot");
    expect(nodes.filter((n) => n.data.gate).map((n) => n.id)).toEqual(["certification"]);
    const cert = nodes[2];
    expect(cert.data.gate!.criteria).toHaveLength(5);
    expect(cert.width).toBe(SIZES.gateWidth);
    expect(cert.initialHeight).toBe(nodeSize(5).height);
    expect(nodes[0].width).toBe(SIZES.stageWidth);
  });

  it("shows when stages were reached, never for stages ahead", () => {
    const { nodes } = graphAt("tot");
    expect(nodes.map((n) => n.data.reachedOn)).toEqual(["2024-01-10", "2024-09-01", null, null, null]);
  });

  it("joins consecutive stages with edges meeting every node at the same height", () => {
    const { nodes, edges } = graphAt("certification");
    expect(edges.map((e) => [e.source, e.target, e.className])).toEqual([
      ["engaged", "tot", "edge-done"],
      ["tot", "certification", "edge-done"],
      ["certification", "cost_recovery", "edge-ahead"],
      ["cost_recovery", "independent", "edge-ahead"],
    ]);
    for (const n of nodes) expect(n.handles!.map((h) => h.y + h.height! / 2)).toEqual([SIZES.handleTop, SIZES.handleTop]);
  });

  it("has no gate at the last stage", () => {
    const { nodes } = graphAt("independent");
    expect(nodes.every((n) => n.data.gate === null)).toBe(true);
    expect(nodes.at(-1)!.data.status).toBe("current");
  });

  it("sizes the drawing to the nodes plus padding", () => {
    const g = graphAt("tot");
    const last = g.nodes.at(-1)!;
    expect(g.width).toBe(last.position.x + last.width! + 2 * SIZES.padding);
    expect(g.height).toBe(nodeSize(5).height + 2 * SIZES.padding);
  });
});

describe("the pathway on a narrow screen (top to bottom)", () => {
  const currentIndex = stages.findIndex((s) => s.key === "tot");
  const g = buildPathwayGraph({
    stages,
    currentIndex,
    nextGate: evaluateNextGate(DEFAULT_TEMPLATE, "tot", EMPTY_RECORDS, now),
    reachedOn: {},
    vertical: true,
  });

  it("stacks the stages one under another, gap apart, no wider than the widest box", () => {
    expect(g.nodes.map((n) => n.position.x)).toEqual(g.nodes.map(() => 0));
    for (let i = 1; i < g.nodes.length; i++) {
      const above = g.nodes[i - 1];
      expect(g.nodes[i].position.y).toBe(above.position.y + above.initialHeight! + SIZES.gap);
    }
    expect(g.width).toBe(SIZES.gateWidth + 2 * SIZES.padding);
    // Fits a 360 px phone inside the page's 16 px margins.
    expect(g.width).toBeLessThanOrEqual(360 - 2 * 16);
  });

  it("joins the stages from the bottom of one box to the top of the next, on the centre line", () => {
    for (const n of g.nodes) {
      const [target, source] = n.handles!;
      expect([target.position, source.position]).toEqual(["top", "bottom"]);
      expect(target.x + target.width! / 2).toBe(n.width! / 2);
      expect(source.y + source.height! / 2).toBe(n.initialHeight);
      expect(n.data.vertical).toBe(true);
    }
  });
});
