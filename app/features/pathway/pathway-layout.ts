import { MarkerType, Position, type Edge, type Node } from "@xyflow/react";
import type { GateResult } from "~/domain/gate";

/**
 * The pathway graph's layout: pure, so it is tested without a browser and gives the same nodes on
 * the server and in the browser. The server cannot measure anything, so every size is decided
 * here (React Flow server-renders only nodes with a size, and edges only between known handles).
 */

export type StageStatus = "done" | "current" | "locked";

export type StageData = {
  name: string;
  description: string;
  /** 1-based position on the pathway, for "Stage 3 of 5". */
  order: number;
  total: number;
  status: StageStatus;
  /** When the institution last entered this stage (ISO date), if it ever did. */
  reachedOn: string | null;
  /** Only on the stage after the current one: its gate against today's records. */
  gate: GateResult | null;
  /** Drawn top to bottom (on a phone): edges leave at the bottom and arrive at the top. */
  vertical?: boolean;
};

export type StageNode = Node<StageData, "stage">;

export interface PathwayGraphInput {
  stages: { key: string; name: string; description: string }[];
  currentIndex: number;
  nextGate: GateResult | null;
  reachedOn: Record<string, string>;
  /** Top to bottom, for a narrow screen, instead of left to right. */
  vertical?: boolean;
}

export const SIZES = {
  stageWidth: 170,
  /** The next stage lists its gate criteria, so it gets more room. */
  gateWidth: 280,
  // Room for a stage name on two lines and the "since" date under the status.
  headerHeight: 108,
  gateHeaderHeight: 30,
  criterionHeight: 24,
  gap: 44,
  /** Edges meet every node at this height, so they stay straight whatever each node's height. */
  handleTop: 40,
  handleSize: 6,
  /** Space kept around the nodes inside the drawing. */
  padding: 16,
} as const;

export function stageStatus(index: number, currentIndex: number): StageStatus {
  if (index < currentIndex) return "done";
  return index === currentIndex ? "current" : "locked";
}

export function nodeSize(criteriaCount: number): { width: number; height: number } {
  if (criteriaCount === 0) return { width: SIZES.stageWidth, height: SIZES.headerHeight };
  return {
    width: SIZES.gateWidth,
    height: SIZES.headerHeight + SIZES.gateHeaderHeight + criteriaCount * SIZES.criterionHeight,
  };
}

/** Places boxes left to right, top-aligned, `gap` apart. Returns positions and the total size. */
export function layoutLeftToRight(sizes: { width: number; height: number }[], gap: number) {
  let x = 0;
  const positions = sizes.map((s) => {
    const p = { x, y: 0 };
    x += s.width + gap;
    return p;
  });
  return {
    positions,
    width: sizes.length ? x - gap : 0,
    height: Math.max(0, ...sizes.map((s) => s.height)),
  };
}

/**
 * Places boxes one under another, `gap` apart, centred on one line (a phone's narrow screen).
 * Heights are estimates until the browser measures them; the gap leaves room for a longer text.
 */
export function layoutTopToBottom(sizes: { width: number; height: number }[], gap: number) {
  const width = Math.max(0, ...sizes.map((s) => s.width));
  let y = 0;
  const positions = sizes.map((s) => {
    const p = { x: (width - s.width) / 2, y };
    y += s.height + gap;
    return p;
  });
  return { positions, width, height: sizes.length ? y - gap : 0 };
}

function verticalHandles(width: number, height: number) {
  const { handleSize: s } = SIZES;
  return [
    { type: "target" as const, position: Position.Top, x: width / 2 - s / 2, y: -s / 2, width: s, height: s },
    { type: "source" as const, position: Position.Bottom, x: width / 2 - s / 2, y: height - s / 2, width: s, height: s },
  ];
}

function handles(width: number) {
  const { handleSize: s, handleTop: top } = SIZES;
  return [
    { type: "target" as const, position: Position.Left, x: -s / 2, y: top - s / 2, width: s, height: s },
    { type: "source" as const, position: Position.Right, x: width - s / 2, y: top - s / 2, width: s, height: s },
  ];
}

/** Nodes, edges and the drawing's size for one institution's pathway. */
export function buildPathwayGraph(input: PathwayGraphInput): {
  nodes: StageNode[];
  edges: Edge[];
  width: number;
  height: number;
} {
  const { stages, currentIndex, nextGate, vertical = false } = input;
  const gateFor = (i: number) => (i === currentIndex + 1 && nextGate ? nextGate : null);
  // Vertical, every box takes the wide width: fewer lines of text, so the estimated heights hold.
  const sizes = stages
    .map((_, i) => nodeSize(gateFor(i)?.criteria.length ?? 0))
    .map((size) => (vertical ? { ...size, width: SIZES.gateWidth } : size));
  const layout = vertical ? layoutTopToBottom(sizes, SIZES.gap) : layoutLeftToRight(sizes, SIZES.gap);

  const nodes: StageNode[] = stages.map((s, i) => ({
    id: s.key,
    type: "stage",
    position: layout.positions[i],
    // A fixed width keeps the boxes where the layout put them; the height is only the server's
    // estimate, and the browser measures the real one.
    width: sizes[i].width,
    initialHeight: sizes[i].height,
    handles: vertical ? verticalHandles(sizes[i].width, sizes[i].height) : handles(sizes[i].width),
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
    data: {
      name: s.name,
      description: s.description,
      order: i + 1,
      total: stages.length,
      status: stageStatus(i, currentIndex),
      reachedOn: i <= currentIndex ? (input.reachedOn[s.key] ?? null) : null,
      gate: gateFor(i),
      ...(vertical ? { vertical } : {}),
    },
  }));

  const edges: Edge[] = stages.slice(1).map((s, i) => {
    const reached = i + 1 <= currentIndex;
    return {
      id: `${stages[i].key}->${s.key}`,
      source: stages[i].key,
      target: s.key,
      type: "straight",
      className: reached ? "edge-done" : "edge-ahead",
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      focusable: false,
      selectable: false,
    };
  });

  return {
    nodes,
    edges,
    width: layout.width + 2 * SIZES.padding,
    height: layout.height + 2 * SIZES.padding,
  };
}
