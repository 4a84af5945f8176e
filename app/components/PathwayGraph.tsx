import type { NodeTypes } from "@xyflow/react";
import { StillFlow } from "./StillFlow";
import { useMemo } from "react";
import { criteriaMetText } from "./format";
import { buildPathwayGraph, type PathwayGraphInput } from "./pathway-layout";
import { StageNode, STATUS_TEXT } from "./StageNode";

// Defined once: a new object on every render would make React Flow re-mount the nodes.
const nodeTypes = { stage: StageNode } satisfies NodeTypes;


/**
 * The pathway drawn stage by stage. A picture only: it is hidden from screen readers, who get
 * the same facts from the list inside the figure and the criteria table beside it. Nothing in
 * it moves, so it reads the same before and after the page's JavaScript arrives.
 */
export function PathwayGraph(props: PathwayGraphInput) {
  const { stages, currentIndex, nextGate, reachedOn } = props;
  const graph = useMemo(
    () => buildPathwayGraph({ stages, currentIndex, nextGate, reachedOn }),
    [stages, currentIndex, nextGate, reachedOn],
  );
  return (
    <figure className="pathway-graph">
      <div className="pathway-graph-scroll" role="region" aria-label="Pathway graph" tabIndex={0}>
        <ol className="sr-only">
          {graph.nodes.map((n) => (
            <li key={n.id}>
              {n.data.name}: {STATUS_TEXT[n.data.status].label}
              {n.data.reachedOn ? ` (${n.data.status === "current" ? "since" : "reached"} ${n.data.reachedOn})` : ""}
              {n.data.gate
                ? `. Gate: ${n.data.gate.met ? "met, awaiting sign-off" : criteriaMetText(n.data.gate.criteria.filter((c) => c.met).length, n.data.gate.criteria.length)}`
                : ""}
            </li>
          ))}
        </ol>
        <StillFlow nodes={graph.nodes} edges={graph.edges} nodeTypes={nodeTypes} width={graph.width} height={graph.height} />
      </div>
      <figcaption>
        The pathway, stage by stage; every figure is also in the tables below. Drawn with{" "}
        <a href="https://reactflow.dev">React Flow</a>.
      </figcaption>
    </figure>
  );
}
