import { Link } from "@remix-run/react";
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { StillFlow } from "../../components/StillFlow";
import { useMemo } from "react";
import { useT } from "~/i18n/react";
import { SIZES } from "../pathway/pathway-layout";
import { buildPortfolioGraph, type PortfolioStageData, type PortfolioStageNode } from "./layout";

const handleStyle = { top: SIZES.handleTop };

/** One stage of the portfolio: how many institutions sit there, and which need attention. */
function PortfolioStage({ data }: NodeProps<PortfolioStageNode>) {
  const t = useT();
  return (
    <div
      className={`stage-node portfolio-stage-node${data.selected ? " is-selected" : ""}${data.count === 0 ? " is-empty" : ""}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} style={handleStyle} />
      <p className="stage-node-order">{t("graph.stageOf", { order: t.number(data.order), total: t.number(data.total) })}</p>
      {/* tabIndex -1: the graph is a picture; keyboards and screen readers use the table's links. */}
      <Link to={data.href} className="portfolio-stage-link nopan" tabIndex={-1} preventScrollReset>
        <span className="stage-node-name">{data.name}</span>
        <span className="portfolio-stage-count">{t.plural("graph.institutions", data.count)}</span>
      </Link>
      <ul className="portfolio-stage-flags">
        <li className={data.awaitingSignOff ? "flag-ok" : "none"}>{t.plural("graph.awaiting", data.awaitingSignOff)}</li>
        <li className={data.slipFlagged ? "flag-warn" : "none"}>{t.plural("graph.slip", data.slipFlagged)}</li>
        <li className={data.overdueReporting ? "flag-warn" : "none"}>{t.plural("graph.overdue", data.overdueReporting)}</li>
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
  const t = useT();
  const graph = useMemo(() => buildPortfolioGraph(stages), [stages]);
  return (
    <figure className="pathway-graph portfolio-graph">
      <div className="pathway-graph-scroll">
        <StillFlow nodes={graph.nodes} edges={graph.edges} nodeTypes={nodeTypes} width={graph.width} height={graph.height} />
      </div>
      <figcaption>
        {t("graph.portfolioCaption")} <a href="https://reactflow.dev">React Flow</a>.
      </figcaption>
    </figure>
  );
}
