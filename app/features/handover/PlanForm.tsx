import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type MouseEvent } from "react";
import { CsrfInput } from "~/components/CsrfInput";
import { FieldError, fieldId, SelectField, TextField, type FormState, type Option } from "~/components/forms/fields";
import { FUNDING_SOURCES } from "~/domain/records";
import { useT } from "~/i18n/react";
import { PLAN_FORM_LINES, PLAN_FORM_MAX, planShape, shapeFields, type PlanShape } from "./plan-form";
import { ScrollTable } from "~/components/ScrollTable";

/** A form state that may name the field the keyboard goes to (after a row was added or removed). */
export type PlanFormState = FormState & { focus?: string };

/**
 * The plan's fields: header, then per year its module lines and its funding by source.
 * Server-validated. Years and lines are added and removed with buttons that send the form back
 * to the server, which answers with the rows changed and nothing saved, so the form works
 * without scripts; with scripts, adding a row happens on the page at once.
 */
export function PlanForm({ state, modules, submitLabel }: { state: PlanFormState; modules: Option[]; submitLabel: string }) {
  const navigation = useNavigation();
  const t = useT();
  const count = Object.keys(state.errors).length;
  const [shape, setShape] = useState<PlanShape>(() => planShape(state.values));
  const focusNext = useRef<string | null>(null);
  // A new answer from the server (rows changed, or the form refused) lays the form out again.
  useEffect(() => {
    setShape(planShape(state.values));
    if (state.focus) focusNext.current = state.focus;
  }, [state]);
  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(fieldId(focusNext.current))?.focus();
    focusNext.current = null;
  });
  // With scripts, adding a row needs no round trip: the new row appears and takes the focus.
  // (From the latest shape, so quick presses each add their row.)
  const addYear = (e: MouseEvent) => {
    if (shape.years >= PLAN_FORM_MAX) return;
    e.preventDefault();
    setShape((now) => {
      if (now.years >= PLAN_FORM_MAX) return now;
      focusNext.current = `years.${now.years}.year`;
      return { years: now.years + 1, lines: [...now.lines, PLAN_FORM_LINES] };
    });
  };
  const addLine = (y: number) => (e: MouseEvent) => {
    if (shape.lines[y] >= PLAN_FORM_MAX) return;
    e.preventDefault();
    setShape((now) => {
      if (now.lines[y] >= PLAN_FORM_MAX) return now;
      focusNext.current = `years.${y}.lines.${now.lines[y]}.module`;
      return { years: now.years, lines: now.lines.map((n, i) => (i === y ? n + 1 : n)) };
    });
  };
  const busy = navigation.state === "submitting";
  return (
    <>
      {count > 0 ? (
        <p className="notice notice-bad" role="alert">
          {t.plural("handover.form.notSaved", count)}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <CsrfInput />
        {/* The form's default button (Enter in a field saves), ahead of the row buttons. */}
        <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          {submitLabel}
        </button>
        {Object.entries(shapeFields(shape)).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
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
        {Array.from({ length: shape.years }, (_, y) => (
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
                  <td />
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: shape.lines[y] ?? PLAN_FORM_LINES }, (_, l) => {
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
                      <td>
                        <button
                          type="submit"
                          name="intent"
                          value={`removeLine.${y}.${l}`}
                          className="button button-secondary"
                          formNoValidate
                          disabled={busy || shape.lines[y] <= 1}
                          aria-label={t("handover.form.removeLineOf", { n: l + 1, year: y + 1 })}
                        >
                          {t("handover.form.removeLine", { n: l + 1 })}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </ScrollTable>
            <FieldError name={`years.${y}.lines`} state={state} />
            <div className="actions">
              <button
                type="submit"
                name="intent"
                value={`addLine.${y}`}
                className="button button-secondary"
                formNoValidate
                disabled={busy}
                onClick={addLine(y)}
                aria-label={t("handover.form.addLineTo", { n: y + 1 })}
              >
                {t("handover.form.addLine")}
              </button>
            </div>
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
            {shape.years > 1 ? (
              <div className="actions">
                <button
                  type="submit"
                  name="intent"
                  value={`removeYear.${y}`}
                  className="button button-secondary"
                  formNoValidate
                  disabled={busy}
                >
                  {t("handover.form.removeYear", { n: y + 1 })}
                </button>
              </div>
            ) : null}
          </fieldset>
        ))}
        <div className="actions">
          <button
            type="submit"
            name="intent"
            value="addYear"
            id={fieldId("shape.years")}
            className="button button-secondary"
            formNoValidate
            disabled={busy}
            onClick={addYear}
            aria-describedby={state.errors["shape.years"] ? `${fieldId("shape.years")}-error` : undefined}
          >
            {t("handover.form.addYear")}
          </button>
          <FieldError name="shape.years" state={state} />
        </div>
        <div>
          <button type="submit" name="intent" value="save" className="button button-primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
