import type { CriterionResult, GateResult } from "../../domain/gate";
import { localise } from "~/i18n/localise";
import { render } from "~/i18n/render";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import { criteriaMetText, formatValue } from "../../components/format";

/** A criterion's value the way the gate page words it. */
export function formatCriterionValue(t: Translator, c: Pick<CriterionResult, "unit" | "value">): string {
  return formatValue(t, c.value, c.unit);
}

function Status({ met }: { met: boolean }) {
  const t = useT();
  return <span className={`gate-status ${met ? "is-met" : "is-unmet"}`}>{met ? t("preview.met") : t("preview.notMet")}</span>;
}

/**
 * The gate into the next stage as it stands, and, when a preview was asked for, as it would
 * stand once the report is verified. Changed rows are marked so the effect is easy to find.
 */
export function GatePreview({ current, preview }: { current: GateResult | null; preview?: GateResult | null }) {
  const t = useT();
  if (!current) return <p>{t("preview.last")}</p>;
  const after = preview ? new Map(preview.criteria.map((c) => [c.key, c])) : null;
  return (
    <div className="gate-preview">
      <p>
        {t("preview.gateTo", {
          stage: current.stageName,
          criteria: criteriaMetText(t, current.criteria.filter((c) => c.met).length, current.criteria.length),
        })}
        {preview ? (
          <>
            {" "}
            {t("preview.now")} <strong>{t.number(preview.criteria.filter((c) => c.met).length)}</strong> {t("preview.once")}
            {preview.met && !current.met ? (
              <>
                {" "}
                — <strong>{t("preview.wouldMeet")}</strong>
              </>
            ) : null}
          </>
        ) : null}
        .
      </p>
      <table>
        <caption className="visually-hidden">{t("preview.caption", { stage: current.stageName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("preview.criterion")}</th>
            <th scope="col">{t("preview.required")}</th>
            <th scope="col">{t("preview.nowCol")}</th>
            {after ? <th scope="col">{t("preview.with")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {current.criteria.map((c) => {
            const next = after?.get(c.key);
            const changed = !!next && (next.value !== c.value || next.met !== c.met);
            return (
              <tr key={c.key} className={changed ? "is-changed" : undefined}>
                <th scope="row">
                  {c.label}
                  <span className="basis">{c.basisMessage ? render(t, c.basisMessage) : localise(t, c.basis)}</span>
                </th>
                <td>{formatCriterionValue(t, { unit: c.unit, value: c.threshold })}</td>
                <td>
                  {formatCriterionValue(t, c)} <Status met={c.met} />
                </td>
                {after ? (
                  <td>
                    {next ? (
                      <>
                        {formatCriterionValue(t, next)} <Status met={next.met} />
                        {changed ? <span className="visually-hidden"> {t("preview.changed")}</span> : null}
                      </>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
