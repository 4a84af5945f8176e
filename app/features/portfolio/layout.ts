import { MarkerType, Position, type Edge, type Node } from "@xyflow/react";
import { layoutLeftToRight, SIZES } from "../pathway/pathway-layout";

/**
 * The portfolio graph's layout: the pathway once, left to right, with the institution page's gaps
 * and padding. Pure, every size decided here, so React Flow renders it on the server.
 */

export type PortfolioStageData = {
  key: string;
  name: string;
  order: number;
  total: number;
  count: number;
  awaitingSignOff: number;
  slipFlagged: number;
  overdueReporting: number;
  href: string;
  selected: boolean;
};

export type PortfolioStageNode = Node<PortfolioStageData, "portfolioStage">;

// Room for the longest words of the three languages (Spanish and French: a stage name and each
// flag on one line or two), checked in Chromium by tests/e2e/portfolio.test.ts.
export const PORTFOLIO_SIZES = { width: 214, height: 214 } as const;

export function buildPortfolioGraph(stages: Omit<PortfolioStageData, "order" | "total">[]) {
  const { width, height } = PORTFOLIO_SIZES;
  const layout = layoutLeftToRight(
    stages.map(() => ({ width, height })),
    SIZES.gap,
  );
  const s = SIZES.handleSize;
  const nodes: PortfolioStageNode[] = stages.map((stage, i) => ({
    id: stage.key,
    type: "portfolioStage",
    position: layout.positions[i],
    width,
    initialHeight: height,
    handles: [
      { type: "target", position: Position.Left, x: -s / 2, y: SIZES.handleTop - s / 2, width: s, height: s },
      { type: "source", position: Position.Right, x: width - s / 2, y: SIZES.handleTop - s / 2, width: s, height: s },
    ],
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
    data: { ...stage, order: i + 1, total: stages.length },
  }));
  const edges: Edge[] = stages.slice(1).map((stage, i) => ({
    id: `${stages[i].key}->${stage.key}`,
    source: stages[i].key,
    target: stage.key,
    type: "straight",
    className: "edge-ahead",
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    focusable: false,
    selectable: false,
  }));
  return { nodes, edges, width: layout.width + 2 * SIZES.padding, height: layout.height + 2 * SIZES.padding };
}
