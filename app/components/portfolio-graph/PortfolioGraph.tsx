import { Link } from "@remix-run/react";
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { StillFlow } from "../StillFlow";
import { useMemo } from "react";
import { SIZES } from "../pathway-layout";
import { buildPortfolioGraph, type PortfolioStageData, type PortfolioStageNode } from "./layout";

const handleStyle = { top: SIZES.handleTop };

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/** One stage of the portfolio: how many institutions sit there, and which need attention. */
function PortfolioStage({ data }: NodeProps<PortfolioStageNode>) {
  return (
    <div className={`stage-node portfolio-stage-node${data.selected ? " is-selected" : ""}${data.count === 0 ? " is-empty" : ""}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} style={handleStyle} />
      <p className="stage-node-order">
        Stage {data.order} of {data.total}
      </p>
      {/* tabIndex -1: the graph is a picture; keyboards and screen readers use the table's links. */}
      <Link to={data.href} className="portfolio-stage-link nopan" tabIndex={-1} preventScrollReset>
        <span className="stage-node-name">{data.name}</span>
        <span className="portfolio-stage-count">{plural(data.count, "institution", "institutions")}</span>
      </Link>
      <ul className="portfolio-stage-flags">
        <li className={data.awaitingSignOff ? "flag-ok" : "none"}>{data.awaitingSignOff} awaiting sign-off</li>
        <li className={data.slipFlagged ? "flag-warn" : "none"}>{data.slipFlagged} flagged to slip back</li>
        <li className={data.overdueReporting ? "flag-warn" : "none"}>{data.overdueReporting} overdue on reporting</li>
      </ul>
      <Handle type="source" position={Position.Right} isConnectable={false} style={handleStyle} />
    </div>
  );
}

// Defined once: a new object on every render would make React Flow re-mount the nodes.
const nodeTypes = { portfolioStage: PortfolioStage } satisfies NodeTypes;

/**
 * The pathway drawn once for the whole portfolio, server-rendered and still. A picture only: it is
 * hidden from screen readers, who get the same numbers (and the same links) from the table below.
 */
export function PortfolioGraph({ stages }: { stages: Omit<PortfolioStageData, "order" | "total">[] }) {
  const graph = useMemo(() => buildPortfolioGraph(stages), [stages]);
  return (
    <figure className="pathway-graph portfolio-graph">
      <div className="pathway-graph-scroll">
        <StillFlow nodes={graph.nodes} edges={graph.edges} nodeTypes={nodeTypes} width={graph.width} height={graph.height} />
      </div>
      <figcaption>
        Institutions at each stage; choose a stage to list them. The same figures are in the table below. Drawn with{" "}
        <a href="https://reactflow.dev">React Flow</a>.
      </figcaption>
    </figure>
  );
}
