import type { NodeTypes } from "@xyflow/react";
import { StillFlow } from "../../components/StillFlow";
import { useEffect, useMemo, useState } from "react";
import { useT } from "~/i18n/react";
import { criteriaMetText } from "../../components/format";
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
  const t = useT();
  const { stages, currentIndex, nextGate, reachedOn } = props;
  const vertical = useNarrowScreen();
  const graph = useMemo(
    () => buildPathwayGraph({ stages, currentIndex, nextGate, reachedOn, vertical }),
    [stages, currentIndex, nextGate, reachedOn, vertical],
  );
  return (
    <figure className="pathway-graph">
      <div className="pathway-graph-scroll" role="region" aria-label={t("graph.label")} tabIndex={0}>
        <ol className="sr-only">
          {graph.nodes.map((n) => (
            <li key={n.id}>
              {n.data.name}: {t(STATUS_TEXT[n.data.status].label)}
              {n.data.reachedOn
                ? ` (${t(n.data.status === "current" ? "graph.since" : "graph.reached", { date: t.date(n.data.reachedOn) })})`
                : ""}
              {n.data.gate
                ? `. ${t("graph.gate", {
                    text: n.data.gate.met
                      ? t("graph.gateMetShort")
                      : criteriaMetText(t, n.data.gate.criteria.filter((c) => c.met).length, n.data.gate.criteria.length),
                  })}`
                : ""}
            </li>
          ))}
        </ol>
        <StillFlow
          key={vertical ? "vertical" : "horizontal"}
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          width={graph.width}
          height={graph.height}
        />
      </div>
      <figcaption>
        {t("graph.caption")} <a href="https://reactflow.dev">React Flow</a>.
      </figcaption>
    </figure>
  );
}

/** Below this width a left-to-right pathway shows a stage and a half; it is drawn top to bottom. */
const NARROW = "(max-width: 719.98px)";

/**
 * Whether the screen is narrow, followed as it turns. The server cannot know, so it draws left
 * to right (which scrolls sideways); the browser redraws top to bottom on a phone.
 */
function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const follow = () => setNarrow(query.matches);
    follow();
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, []);
  return narrow;
}
