import { DEFAULT_LOCALE, LOCALES, LOCALE_NAMES } from "~/i18n/locales";
import {
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
  type NodeTypes,
} from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import type { TemplateDraft, TemplateProblem, DraftCriterion, DraftStage } from "~/features/templates/template-validation";
import { METRIC_KEYS } from "~/domain/metric-keys";
import { READINESS_DIMENSIONS } from "~/domain/records";
import { useT } from "~/i18n/react";

/** Languages other than the default, each with its own name field (decision 026). */
const OTHER_LOCALES = LOCALES.filter((l) => l !== DEFAULT_LOCALE);

/**
 * The template editor: the draft's stages as a React Flow graph (drag to place, drag from a
 * stage's right edge to another to connect, select an arrow and press Delete to remove it) and,
 * for keyboard and screen-reader users, the same changes as plain controls: the stage list
 * with move up/down, add/remove, and a "comes after" choice in each stage's form.
 */

const TIMER_KEYS = ["reminderAfterDays", "escalateAfterDays", "reviewEveryDays", "certificationValidityMonths"] as const;

type DraftNodeData = { name: string; stageKey: string; first: boolean; problems: number; problemText: string; startText: string };
type DraftNode = Node<DraftNodeData, "draftStage">;

function DraftStageNode({ data, selected }: NodeProps<DraftNode>) {
  return (
    <div className={`tpl-node${data.problems ? " tpl-node-broken" : ""}${selected ? " tpl-node-selected" : ""}`}>
      <Handle type="target" position={Position.Left} />
      <p className="tpl-node-name">{data.name || "—"}</p>
      <p className="tpl-node-key">
        {data.stageKey}
        {data.first ? ` · ${data.startText}` : ""}
      </p>
      {data.problems ? (
        <p className="tpl-node-problem">
          <span aria-hidden="true">⚠ </span>
          {data.problemText}
        </p>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { draftStage: DraftStageNode } satisfies NodeTypes;

/** Field ids from problem paths, so each message sits next to (and describes) its field. */
export const fieldDomId = (field: string) => `tpl-${field.replace(/[^\w-]/g, "-")}`;

function emptyCriterion(n: number): DraftCriterion {
  return {
    key: `criterion_${n}`,
    label: "",
    metric: "trainers_trained",
    module: "",
    windowMonths: "",
    threshold: "",
    floorReviews: "",
  };
}

function chainEdges(stages: DraftStage[]) {
  return stages.slice(1).map((s, i) => ({ from: stages[i].id, to: s.id }));
}

export function TemplateEditor({
  initial,
  problems,
  onDraftChange,
}: {
  initial: TemplateDraft;
  problems: (TemplateProblem & { message: string })[];
  onDraftChange: (d: TemplateDraft) => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState<TemplateDraft>(initial);
  const [selected, setSelected] = useState<string | null>(problems.find((p) => p.stageId)?.stageId ?? null);
  const [positions, setPositions] = useState<Record<string, { x: number; y: number }>>({});
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [mounted, setMounted] = useState(false);
  const [counter, setCounter] = useState(1);
  useEffect(() => setMounted(true), []);
  useEffect(() => onDraftChange(draft), [draft, onDraftChange]);
  useEffect(() => {
    const first = problems.find((p) => p.stageId)?.stageId;
    if (first) setSelected(first);
  }, [problems]);

  const byField = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of problems) m.set(p.field, [...(m.get(p.field) ?? []), p.message]);
    return m;
  }, [problems]);
  const stageProblems = (id: string) => problems.filter((p) => p.stageId === id);

  const update = (fn: (d: TemplateDraft) => TemplateDraft) => setDraft((d) => fn(structuredClone(d)));
  const updateStage = (id: string, fn: (s: DraftStage) => void) =>
    update((d) => {
      const s = d.stages.find((x) => x.id === id);
      if (s) fn(s);
      return d;
    });

  const nodes: DraftNode[] = draft.stages.map((s, i) => ({
    id: s.id,
    type: "draftStage",
    // Five to a row, so a new stage appears in view below the others.
    position: positions[s.id] ?? { x: (i % 5) * 210, y: Math.floor(i / 5) * 140 + (i % 2 === 0 ? 0 : 30) },
    selected: s.id === selected,
    measured: measured[s.id],
    data: {
      name: s.name,
      stageKey: s.key,
      first: i === 0,
      problems: stageProblems(s.id).length,
      problemText: t.plural("templates.editor.problemCount", stageProblems(s.id).length),
      startText: t("templates.editor.start"),
    },
  }));
  const edges: Edge[] = draft.edges.map((e) => ({
    id: `${e.from}->${e.to}`,
    source: e.from,
    target: e.to,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));

  function onNodesChange(changes: NodeChange<DraftNode>[]) {
    for (const c of changes) {
      if (c.type === "position" && c.position) {
        const position = c.position;
        setPositions((p) => ({ ...p, [c.id]: position }));
      }
      if (c.type === "select" && c.selected) setSelected(c.id);
      // Controlled nodes carry their measured size back, or React Flow cannot draw their arrows.
      if (c.type === "dimensions" && c.dimensions) {
        const size = c.dimensions;
        setMeasured((m) => ({ ...m, [c.id]: size }));
      }
    }
  }
  function onEdgesChange(changes: EdgeChange[]) {
    const removed = new Set(changes.filter((c) => c.type === "remove").map((c) => c.id));
    if (removed.size) update((d) => ({ ...d, edges: d.edges.filter((e) => !removed.has(`${e.from}->${e.to}`)) }));
  }
  function onConnect(c: Connection) {
    if (!c.source || !c.target || c.source === c.target) return;
    update((d) =>
      d.edges.some((e) => e.from === c.source && e.to === c.target)
        ? d
        : { ...d, edges: [...d.edges, { from: c.source, to: c.target }] },
    );
  }

  function addStage() {
    const id = `new_${Date.now().toString(36)}_${counter}`;
    setCounter((n) => n + 1);
    update((d) => ({
      ...d,
      stages: [
        ...d.stages,
        {
          id,
          key: `stage_${d.stages.length + 1}`,
          name: t("templates.editor.newStage"),
          description: "",
          gate: [emptyCriterion(1)],
        },
      ],
    }));
    setSelected(id);
  }
  function removeStage(id: string) {
    update((d) => ({
      ...d,
      stages: d.stages.filter((s) => s.id !== id),
      edges: d.edges.filter((e) => e.from !== id && e.to !== id),
    }));
    setSelected(null);
  }
  function moveStage(id: string, by: -1 | 1) {
    update((d) => {
      const i = d.stages.findIndex((s) => s.id === id);
      const j = i + by;
      if (i < 0 || j < 0 || j >= d.stages.length) return d;
      [d.stages[i], d.stages[j]] = [d.stages[j], d.stages[i]];
      // The list is the order: the arrows follow it.
      return { ...d, edges: chainEdges(d.stages) };
    });
  }
  function setComesAfter(id: string, after: string) {
    update((d) => ({ ...d, edges: [...d.edges.filter((e) => e.to !== id), ...(after ? [{ from: after, to: id }] : [])] }));
  }

  const current = draft.stages.find((s) => s.id === selected) ?? null;
  const errorsFor = (field: string) =>
    byField.get(field)?.map((m, i) => (
      <p key={i} className="field-error" id={`${fieldDomId(field)}-error`}>
        {m}
      </p>
    ));
  const described = (field: string) =>
    byField.has(field) ? { "aria-invalid": true as const, "aria-describedby": `${fieldDomId(field)}-error` } : {};

  function input(
    field: string,
    label: string,
    value: string | number | null | undefined,
    onChange: (v: string) => void,
    opts: { inputMode?: "numeric" | "decimal"; lang?: string } = {},
  ) {
    return (
      <div className="field" key={field}>
        <label htmlFor={fieldDomId(field)}>{label}</label>
        <input
          id={fieldDomId(field)}
          type="text"
          inputMode={opts.inputMode}
          lang={opts.lang}
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value)}
          {...described(field)}
        />
        {errorsFor(field)}
      </div>
    );
  }

  return (
    <div className="tpl-editor">
      {problems.length > 0 ? (
        <div className="form-error" role="alert" aria-labelledby="tpl-problems-title">
          <h2 id="tpl-problems-title">{t("templates.editor.problems")}</h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {/* Opens the stage's form first, so the link's field is there to go to. */}
                <a href={`#${fieldDomId(p.field)}`} onClick={() => p.stageId && setSelected(p.stageId)}>
                  {p.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <figure className="tpl-graph">
        <div className="tpl-graph-canvas" role="region" aria-label={t("templates.editor.graphLabel")}>
          {mounted ? (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              fitView
              minZoom={0.3}
              maxZoom={1.2}
              deleteKeyCode={["Delete", "Backspace"]}
              proOptions={{ hideAttribution: true }}
            />
          ) : (
            <p className="muted">{t("templates.editor.needsScript")}</p>
          )}
        </div>
        <figcaption>{t("templates.editor.graphCaption")}</figcaption>
      </figure>

      {byField.get("stages") ? <div className="tpl-stage-errors">{errorsFor("stages")}</div> : null}

      <div className="tpl-columns">
        <section className="tpl-list" aria-labelledby="tpl-stages-title">
          <h2 id="tpl-stages-title">{t("templates.editor.stages")}</h2>
          <ol>
            {draft.stages.map((s, i) => {
              const n = stageProblems(s.id).length;
              return (
                <li key={s.id} className={s.id === selected ? "tpl-list-selected" : undefined}>
                  <button type="button" className="link" onClick={() => setSelected(s.id)} aria-pressed={s.id === selected}>
                    {t("templates.editor.select")}: {s.name || s.key}
                  </button>
                  {i === 0 ? <span className="muted"> · {t("templates.editor.start")}</span> : null}
                  {n ? (
                    <span className="tpl-list-problem">
                      {" "}
                      <span aria-hidden="true">⚠ </span>
                      {t.plural("templates.editor.problemCount", n)}
                    </span>
                  ) : null}
                  <span className="tpl-list-controls">
                    <button
                      type="button"
                      onClick={() => moveStage(s.id, -1)}
                      disabled={i === 0}
                      aria-label={`${t("templates.editor.moveUp")}: ${s.name || s.key}`}
                    >
                      ↑ {t("templates.editor.moveUp")}
                    </button>
                    <button
                      type="button"
                      onClick={() => moveStage(s.id, 1)}
                      disabled={i === draft.stages.length - 1}
                      aria-label={`${t("templates.editor.moveDown")}: ${s.name || s.key}`}
                    >
                      ↓ {t("templates.editor.moveDown")}
                    </button>
                  </span>
                  {byField.get(`stages.${s.id}`) ? <div>{errorsFor(`stages.${s.id}`)}</div> : null}
                </li>
              );
            })}
          </ol>
          <div className="button-row">
            <button type="button" className="button button-secondary" onClick={addStage}>
              {t("templates.editor.addStage")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => update((d) => ({ ...d, edges: chainEdges(d.stages) }))}
            >
              {t("templates.editor.relink")}
            </button>
          </div>
        </section>

        <section className="tpl-panel" aria-labelledby="tpl-panel-title">
          {current ? (
            <>
              <h2 id="tpl-panel-title">{current.name || current.key}</h2>
              <div className="fields">
                {input(`stages.${current.id}.key`, t("templates.editor.stageKey"), current.key, (v) =>
                  updateStage(current.id, (s) => void (s.key = v)),
                )}
                {input(`stages.${current.id}.name`, t("templates.editor.stageName"), current.name, (v) =>
                  updateStage(current.id, (s) => void (s.name = v)),
                )}
                {OTHER_LOCALES.map((lang) =>
                  input(
                    `stages.${current.id}.names.${lang}`,
                    t("templates.editor.nameIn", { language: LOCALE_NAMES[lang] }),
                    current.names?.[lang],
                    (v) => updateStage(current.id, (s) => void (s.names = { ...s.names, [lang]: v })),
                    { lang },
                  ),
                )}
                <div className="field">
                  <label htmlFor={fieldDomId(`stages.${current.id}`)}>{t("templates.editor.comesAfter")}</label>
                  <select
                    id={fieldDomId(`stages.${current.id}`)}
                    value={draft.edges.find((e) => e.to === current.id)?.from ?? ""}
                    onChange={(e) => setComesAfter(current.id, e.target.value)}
                    {...described(`stages.${current.id}`)}
                  >
                    <option value="">{t("templates.editor.nothingBefore")}</option>
                    {draft.stages
                      .filter((s) => s.id !== current.id)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name || s.key}
                        </option>
                      ))}
                  </select>
                  {errorsFor(`stages.${current.id}`)}
                </div>
              </div>
              <div className="field">
                <label htmlFor={fieldDomId(`stages.${current.id}.description`)}>{t("templates.editor.stageDescription")}</label>
                <textarea
                  id={fieldDomId(`stages.${current.id}.description`)}
                  rows={2}
                  value={current.description}
                  onChange={(e) => updateStage(current.id, (s) => void (s.description = e.target.value))}
                />
              </div>
              <h3>{t("templates.editor.gate", { stage: current.name || current.key })}</h3>
              {errorsFor(`stages.${current.id}.gate`)}
              {current.gate.length === 0 ? <p className="muted">{t("templates.editor.noCriteria")}</p> : null}
              {current.gate.map((c, i) => {
                const at = `stages.${current.id}.gate.${i}`;
                const set = (fn: (c: DraftCriterion) => void) => updateStage(current.id, (s) => fn(s.gate[i]));
                return (
                  <fieldset key={i} className="tpl-criterion">
                    <legend>
                      {t("templates.editor.criterionN", { n: i + 1 })}
                      {c.label ? `: ${c.label}` : ""}
                    </legend>
                    <div className="fields">
                      {input(`${at}.label`, t("templates.criterion.label"), c.label, (v) => set((x) => void (x.label = v)))}
                      {OTHER_LOCALES.map((lang) =>
                        input(
                          `${at}.labels.${lang}`,
                          t("templates.editor.labelIn", { language: LOCALE_NAMES[lang] }),
                          c.labels?.[lang],
                          (v) => set((x) => void (x.labels = { ...x.labels, [lang]: v })),
                          { lang },
                        ),
                      )}
                      {input(`${at}.key`, t("templates.editor.criterionKey"), c.key, (v) => set((x) => void (x.key = v)))}
                      <div className="field">
                        <label htmlFor={fieldDomId(`${at}.metric`)}>{t("templates.criterion.metric")}</label>
                        <select
                          id={fieldDomId(`${at}.metric`)}
                          value={c.metric}
                          onChange={(e) => set((x) => void (x.metric = e.target.value))}
                          {...described(`${at}.metric`)}
                        >
                          {METRIC_KEYS.map((m) => (
                            <option key={m} value={m}>
                              {t(`templates.metric.${m}`)}
                            </option>
                          ))}
                        </select>
                        {errorsFor(`${at}.metric`)}
                      </div>
                      {input(
                        `${at}.threshold`,
                        t("templates.criterion.threshold"),
                        c.threshold,
                        (v) => set((x) => void (x.threshold = v)),
                        { inputMode: "decimal" },
                      )}
                      {input(`${at}.module`, t("templates.editor.module"), c.module, (v) => set((x) => void (x.module = v)))}
                      {input(
                        `${at}.windowMonths`,
                        t("templates.editor.windowMonths"),
                        c.windowMonths,
                        (v) => set((x) => void (x.windowMonths = v)),
                        { inputMode: "numeric" },
                      )}
                      {input(
                        `${at}.floorReviews`,
                        t("templates.editor.floorReviews"),
                        c.floorReviews,
                        (v) => set((x) => void (x.floorReviews = v)),
                        { inputMode: "numeric" },
                      )}
                    </div>
                    <button
                      type="button"
                      className="button button-danger"
                      onClick={() => updateStage(current.id, (s) => void s.gate.splice(i, 1))}
                    >
                      {t("templates.editor.removeCriterion", { n: i + 1 })}
                    </button>
                  </fieldset>
                );
              })}
              <div className="button-row">
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => updateStage(current.id, (s) => void s.gate.push(emptyCriterion(s.gate.length + 1)))}
                >
                  {t("templates.editor.addCriterion")}
                </button>
                <button type="button" className="button button-danger" onClick={() => removeStage(current.id)}>
                  {t("templates.editor.removeStage")}
                </button>
              </div>
            </>
          ) : (
            <p className="muted" id="tpl-panel-title">
              {t("templates.editor.noSelection")}
            </p>
          )}
        </section>
      </div>

      <div className="tpl-columns">
        <fieldset>
          <legend>{t("templates.view.timers")}</legend>
          {TIMER_KEYS.map((k) =>
            input(
              `timers.${k}`,
              t(`templates.timer.${k}`),
              draft.timers[k],
              (v) => update((d) => ({ ...d, timers: { ...d.timers, [k]: v } })),
              { inputMode: "numeric" },
            ),
          )}
        </fieldset>
        <fieldset aria-describedby={byField.has("weights") ? `${fieldDomId("weights")}-error` : undefined}>
          <legend>{t("templates.view.weights")}</legend>
          {errorsFor("weights")}
          {READINESS_DIMENSIONS.map((k) =>
            input(
              `weights.${k}`,
              t(`templates.weight.${k}`),
              draft.readinessWeights[k],
              (v) => update((d) => ({ ...d, readinessWeights: { ...d.readinessWeights, [k]: v } })),
              {
                inputMode: "decimal",
              },
            ),
          )}
        </fieldset>
      </div>
      <div className="field">
        <label htmlFor="tpl-notes">{t("templates.editor.notes")}</label>
        <textarea
          id="tpl-notes"
          rows={2}
          value={draft.notes ?? ""}
          onChange={(e) => update((d) => ({ ...d, notes: e.target.value }))}
        />
      </div>
    </div>
  );
}
