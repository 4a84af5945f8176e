import { Handle, Position, type NodeProps } from "@xyflow/react";
import { useT } from "~/i18n/react";
import { criteriaMetText, formatAgainst } from "../../components/format";
import { SIZES, type StageNode as StageNodeType, type StageStatus } from "./pathway-layout";

/** Status in words (a message key) and a mark, so it never rests on colour alone. */
export const STATUS_TEXT: Record<StageStatus, { mark: string; label: string }> = {
  done: { mark: "✓", label: "graph.done" },
  current: { mark: "●", label: "graph.current" },
  locked: { mark: "○", label: "graph.locked" },
};

const handleStyle = { top: SIZES.handleTop };

/** One stage of the pathway in the graph. */
export function StageNode({ data }: NodeProps<StageNodeType>) {
  const t = useT();
  const status = STATUS_TEXT[data.status];
  const gate = data.gate;
  const metCount = gate ? gate.criteria.filter((c) => c.met).length : 0;
  return (
    <div className={`stage-node stage-${data.status}${gate?.met ? " gate-met" : ""}`}>
      {data.vertical ? (
        <Handle type="target" position={Position.Top} isConnectable={false} />
      ) : (
        <Handle type="target" position={Position.Left} isConnectable={false} style={handleStyle} />
      )}
      <p className="stage-node-order">{t("graph.stageOf", { order: t.number(data.order), total: t.number(data.total) })}</p>
      <p className="stage-node-name">{data.name}</p>
      <p className="stage-node-status">
        <span aria-hidden="true">{status.mark} </span>
        {t(status.label)}
        {data.reachedOn && data.status === "current" ? (
          <span className="stage-node-date"> {t("graph.since", { date: t.date(data.reachedOn) })}</span>
        ) : null}
        {data.reachedOn && data.status === "done" ? <span className="stage-node-date"> {t.date(data.reachedOn)}</span> : null}
      </p>
      {gate ? (
        <div className="stage-node-gate">
          <p className="stage-node-gate-summary">
            {gate.met ? t("graph.gateMet") : t("graph.gate", { text: criteriaMetText(t, metCount, gate.criteria.length) })}
          </p>
          <ul>
            {gate.criteria.map((c) => (
              <li key={c.key} className={c.met ? "met" : "unmet"}>
                <span className="mark" aria-hidden="true">
                  {c.met ? "✓" : "✗"}
                </span>
                <span className="sr-only">{c.met ? t("graph.met") : t("graph.notMet")} </span>
                <span className="label">{c.label}</span>
                <span className="value">{formatAgainst(t, c.value, c.threshold, c.unit)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data.vertical ? (
        <Handle type="source" position={Position.Bottom} isConnectable={false} />
      ) : (
        <Handle type="source" position={Position.Right} isConnectable={false} style={handleStyle} />
      )}
    </div>
  );
}
