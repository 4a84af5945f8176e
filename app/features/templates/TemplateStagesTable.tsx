import { useT } from "~/i18n/react";
import { localiseDefinition } from "~/i18n/template-labels";
import type { TemplateDefinition } from "~/domain/template";
import { ScrollTable } from "~/components/ScrollTable";
import type { Translator } from "~/i18n/translate";
import { METRIC_KIND } from "./template-validation";

type Criterion = TemplateDefinition["stages"][number]["gate"][number];

/** A criterion's parameters in words ("module M1", "last 12 months"), never as internal keys. */
export function paramsInWords(t: Translator, c: Criterion): string {
  const words: string[] = [];
  if (c.params?.module) words.push(t("templates.param.module", { module: c.params.module }));
  if (c.params?.windowMonths) words.push(t.plural("templates.param.window", c.params.windowMonths));
  return words.join(", ") || t("format.dash");
}

/** A threshold with the measure's unit: yes/no, a percentage, a score out of 100 or a count. */
export function thresholdInWords(t: Translator, c: Criterion): string {
  switch (METRIC_KIND[c.metric]) {
    case "yes_no":
      return c.threshold >= 1 ? t("format.yes") : t("format.no");
    case "percent":
      return t.percent(c.threshold);
    case "score":
      return t("format.score", { value: t.number(c.threshold) });
    default:
      return t.number(c.threshold);
  }
}

/** A timer's value with its unit, read off its name (…Days, …Months). */
function timerInWords(t: Translator, key: string, value: number): string {
  if (key.endsWith("Days")) return t.plural("format.days", value);
  if (key.endsWith("Months")) return t.plural("format.months", value);
  return t.number(value);
}

/** A template version as text: stages in order, each gate's criteria, timers and weights. */
export function TemplateStagesTable({ definition: stored }: { definition: TemplateDefinition }) {
  const t = useT();
  // Names in the reader's language, else as typed (decision 026).
  const definition = localiseDefinition(stored, t.locale);
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
                  {i + 1}. {s.name}
                </th>
                <td colSpan={5}>{t("templates.view.noGate")}</td>
              </tr>
            ) : (
              s.gate.map((c, j) => (
                <tr key={`${s.key}.${c.key}`}>
                  {j === 0 ? (
                    <th scope="row" rowSpan={s.gate.length}>
                      {i + 1}. {s.name}
                    </th>
                  ) : null}
                  <td>{c.label}</td>
                  <td>{t(`templates.metric.${c.metric}`)}</td>
                  <td>{paramsInWords(t, c)}</td>
                  <td className="num">{thresholdInWords(t, c)}</td>
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
                <dd>{timerInWords(t, k, v)}</dd>
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
