import { Form, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { FieldError, SelectField, TextField, type FormState, type Option } from "~/components/forms/fields";
import { FUNDING_SOURCES } from "~/domain/records";
import { useT } from "~/i18n/react";
import { PLAN_FORM_LINES, PLAN_FORM_YEARS } from "./plan-form";
import { ScrollTable } from "~/components/ScrollTable";

/** The plan's fields: header, then per year its module lines and its funding by source. Server-validated. */
export function PlanForm({ state, modules, submitLabel }: { state: FormState; modules: Option[]; submitLabel: string }) {
  const navigation = useNavigation();
  const t = useT();
  const count = Object.keys(state.errors).length;
  const typedYears = Object.keys(state.values).filter((k) => /^years\.\d+\.year$/.test(k)).length;
  return (
    <>
      {count > 0 ? (
        <p className="notice notice-bad" role="alert">
          {t.plural("handover.form.notSaved", count)}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <CsrfInput />
        <TextField name="name" label={t("handover.form.name")} state={state} required />
        <TextField
          name="currency"
          label={t("handover.form.currency")}
          state={state}
          maxLength={3}
          hint={t("handover.form.currencyHint")}
        />
        <TextField
          name="unitsPerUsd"
          label={t("handover.form.rate")}
          state={state}
          inputMode="decimal"
          hint={t("handover.form.rateHint")}
        />
        <TextField name="exitYear" label={t("handover.form.exitYear")} state={state} inputMode="numeric" />
        <TextField name="varianceThresholdPp" label={t("handover.form.threshold")} state={state} inputMode="numeric" />
        {Array.from({ length: Math.max(PLAN_FORM_YEARS, typedYears) }, (_, y) => (
          <fieldset key={y}>
            <legend>
              {t("handover.form.yearN", { n: y + 1 })}{" "}
              {y > 0 ? <span className="muted small">{t("handover.form.optional")}</span> : null}
            </legend>
            <TextField name={`years.${y}.year`} label={t("handover.col.year")} state={state} inputMode="numeric" />
            <ScrollTable label={t("handover.form.yearN", { n: y + 1 })} className="data">
              <thead>
                <tr>
                  <th scope="col">{t("handover.form.module")}</th>
                  <th scope="col">{t("handover.col.cycles")}</th>
                  <th scope="col">{t("handover.col.enterprises")}</th>
                  <th scope="col">{t("handover.form.unitCost")}</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: Math.max(PLAN_FORM_LINES, lineCount(state, y)) }, (_, l) => {
                  const p = `years.${y}.lines.${l}`;
                  return (
                    <tr key={l}>
                      <td>
                        <SelectField
                          name={`${p}.module`}
                          label={
                            <span className="sr-only">
                              {t("handover.form.lineLabel", { field: t("handover.form.module"), n: l + 1 })}
                            </span>
                          }
                          state={state}
                          options={modules}
                        />
                      </td>
                      <td>
                        <TextField
                          name={`${p}.cycles`}
                          label={
                            <span className="sr-only">
                              {t("handover.form.lineLabel", { field: t("handover.col.cycles"), n: l + 1 })}
                            </span>
                          }
                          state={state}
                          inputMode="numeric"
                        />
                      </td>
                      <td>
                        <TextField
                          name={`${p}.enterprises`}
                          label={
                            <span className="sr-only">
                              {t("handover.form.lineLabel", { field: t("handover.col.enterprises"), n: l + 1 })}
                            </span>
                          }
                          state={state}
                          inputMode="numeric"
                        />
                      </td>
                      <td>
                        <TextField
                          name={`${p}.unitCost`}
                          label={
                            <span className="sr-only">
                              {t("handover.form.lineLabel", { field: t("handover.form.unitCost"), n: l + 1 })}
                            </span>
                          }
                          state={state}
                          inputMode="decimal"
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </ScrollTable>
            <FieldError name={`years.${y}.lines`} state={state} />
            <p className="muted small">{t("handover.form.fundingIntro")}</p>
            {FUNDING_SOURCES.map((s) => (
              <TextField
                key={s}
                name={`years.${y}.funding.${s}`}
                label={t(`handover.source.${s}`)}
                state={state}
                inputMode="decimal"
              />
            ))}
          </fieldset>
        ))}
        <div>
          <button type="submit" className="button button-primary" disabled={navigation.state === "submitting"}>
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}

function lineCount(state: FormState, y: number): number {
  const re = new RegExp(`^years\\.${y}\\.lines\\.(\\d+)\\.module$`);
  return Math.max(0, ...Object.keys(state.values).map((k) => Number(re.exec(k)?.[1] ?? -1) + 1));
}
