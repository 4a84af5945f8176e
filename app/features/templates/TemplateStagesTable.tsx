import { useT } from "~/i18n/react";
import type { TemplateDefinition } from "~/domain/template";
import { ScrollTable } from "~/components/ScrollTable";

/** A template version as text: stages in order, each gate's criteria, timers and weights. */
export function TemplateStagesTable({ definition }: { definition: TemplateDefinition }) {
  const t = useT();
  return (
    <>
      <ScrollTable label={t("templates.view.stagesCaption")} className="data">
        <caption>{t("templates.view.stagesCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("templates.view.stage")}</th>
            <th scope="col">{t("templates.criterion.label")}</th>
            <th scope="col">{t("templates.criterion.metric")}</th>
            <th scope="col">{t("templates.criterion.params")}</th>
            <th scope="col">{t("templates.criterion.threshold")}</th>
            <th scope="col">{t("templates.criterion.floor")}</th>
          </tr>
        </thead>
        <tbody>
          {definition.stages.map((s, i) =>
            s.gate.length === 0 ? (
              <tr key={s.key}>
                <th scope="row">
                  {i + 1}. {s.name} <span className="muted">({s.key})</span>
                </th>
                <td colSpan={5}>{t("templates.view.noGate")}</td>
              </tr>
            ) : (
              s.gate.map((c, j) => (
                <tr key={`${s.key}.${c.key}`}>
                  {j === 0 ? (
                    <th scope="row" rowSpan={s.gate.length}>
                      {i + 1}. {s.name} <span className="muted">({s.key})</span>
                    </th>
                  ) : null}
                  <td>{c.label}</td>
                  <td>{t(`templates.metric.${c.metric}`)}</td>
                  <td>
                    {Object.entries(c.params ?? {})
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(", ") || "—"}
                  </td>
                  <td className="num">{t.number(c.threshold)}</td>
                  <td>{c.floor ? t.plural("templates.criterion.floorAfter", c.floor.consecutiveReviews) : "—"}</td>
                </tr>
              ))
            ),
          )}
        </tbody>
      </ScrollTable>
      <div className="two-columns">
        <section>
          <h2>{t("templates.view.timers")}</h2>
          <dl>
            {Object.entries(definition.timers).map(([k, v]) => (
              <div key={k}>
                <dt>{t(`templates.timer.${k}`)}</dt>
                <dd>{t.number(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section>
          <h2>{t("templates.view.weights")}</h2>
          <dl>
            {Object.entries(definition.readinessWeights).map(([k, v]) => (
              <div key={k}>
                <dt>{t(`templates.weight.${k}`)}</dt>
                <dd>{t.number(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </>
  );
}
