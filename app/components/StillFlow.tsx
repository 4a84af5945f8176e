import { ReactFlow, type Edge, type Node, type NodeTypes } from "@xyflow/react";
import { SIZES } from "../features/pathway/pathway-layout";

const fitViewOptions = { padding: `${SIZES.padding}px` as const, maxZoom: 1 };

/**
 * A React Flow picture that cannot be moved, zoomed or focused, rendered on the server at the
 * size its layout computed. Hidden from screen readers: each page gives the same facts as text.
 */
export function StillFlow({
  nodes,
  edges,
  nodeTypes,
  width,
  height,
}: {
  nodes: Node[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  width: number;
  height: number;
}) {
  return (
    <div className="pathway-graph-canvas" style={{ minWidth: width, height }} aria-hidden="true">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        width={width}
        height={height}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.2}
        maxZoom={1}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        panOnDrag={false}
        panOnScroll={false}
        zoomOnScroll={false}
        zoomOnPinch={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        disableKeyboardA11y
        // The credit is in each figure's caption instead, outside the hidden region.
        proOptions={{ hideAttribution: true }}
      />
    </div>
  );
}
