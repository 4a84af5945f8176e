import { Form, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { FieldError, SelectField, TextField, type FormState, type Option } from "~/components/forms/fields";
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "~/domain/records";
import { PLAN_FORM_LINES, PLAN_FORM_YEARS } from "./plan-form";

/** The plan's fields: header, then per year its module lines and its funding by source. Server-validated. */
export function PlanForm({ state, modules, submitLabel }: { state: FormState; modules: Option[]; submitLabel: string }) {
  const navigation = useNavigation();
  const count = Object.keys(state.errors).length;
  const typedYears = Object.keys(state.values).filter((k) => /^years\.\d+\.year$/.test(k)).length;
  return (
    <>
      {count > 0 ? (
        <p className="notice notice-bad" role="alert">
          The plan was not saved: {count === 1 ? "one field needs" : `${count} fields need`} correcting (shown next to each).
        </p>
      ) : null}
      <Form method="post" className="stack">
        <CsrfInput />
        <TextField name="name" label="Name" state={state} required />
        <TextField name="currency" label="Currency" state={state} maxLength={3} hint="Three-letter code; amounts are in this currency." />
        <TextField name="unitsPerUsd" label="Units of the currency per US dollar" state={state} inputMode="decimal" hint="The stated rate used for roll-ups, e.g. 15.5" />
        <TextField name="exitYear" label="Year the ILO exits" state={state} inputMode="numeric" />
        <TextField name="varianceThresholdPp" label="Alert when a quarter's non-ILO share is off the plan by more than (points)" state={state} inputMode="numeric" />
        {Array.from({ length: Math.max(PLAN_FORM_YEARS, typedYears) }, (_, y) => (
          <fieldset key={y}>
            <legend>
              Year {y + 1} {y > 0 ? <span className="muted small">(leave blank if not needed)</span> : null}
            </legend>
            <TextField name={`years.${y}.year`} label="Year" state={state} inputMode="numeric" />
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Cycles</th>
                  <th scope="col">Enterprises</th>
                  <th scope="col">Cost of one cycle</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: Math.max(PLAN_FORM_LINES, lineCount(state, y)) }, (_, l) => {
                  const p = `years.${y}.lines.${l}`;
                  return (
                    <tr key={l}>
                      <td>
                        <SelectField name={`${p}.module`} label={<span className="sr-only">Module, line {l + 1}</span>} state={state} options={modules} />
                      </td>
                      <td>
                        <TextField name={`${p}.cycles`} label={<span className="sr-only">Cycles, line {l + 1}</span>} state={state} inputMode="numeric" />
                      </td>
                      <td>
                        <TextField name={`${p}.enterprises`} label={<span className="sr-only">Enterprises, line {l + 1}</span>} state={state} inputMode="numeric" />
                      </td>
                      <td>
                        <TextField name={`${p}.unitCost`} label={<span className="sr-only">Cost of one cycle, line {l + 1}</span>} state={state} inputMode="decimal" />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <FieldError name={`years.${y}.lines`} state={state} />
            <p className="muted small">Funding planned for the year, by source:</p>
            {FUNDING_SOURCES.map((s) => (
              <TextField key={s} name={`years.${y}.funding.${s}`} label={FUNDING_SOURCE_LABELS[s]} state={state} inputMode="decimal" />
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
