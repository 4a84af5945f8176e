import { useEffect, useRef, useState } from "react";
import { FUNDING_SOURCES } from "../../domain/records";
import { fundingSourceName } from "~/i18n/labels";
import { useT } from "~/i18n/react";
import type { ReportKind } from "../../domain/reports";
import { formValues, fundingTotal, type FormValues } from "./report-form";
import {
  CheckboxField,
  FieldError,
  Fieldset,
  inputProps,
  SelectField,
  TextField,
  type FormState,
  type Option,
} from "../../components/forms/fields";
import { SubmitButton } from "../../components/forms/SubmitButton";

/** The fields of each kind of milestone report, named by their path in the report. */

export interface ReportFieldsContext {
  state: FormState;
  modules: Option[];
  trainers: Option[];
  currency: string;
  trainerRows: number;
}

// Option labels are message keys, read in the page's language where they are drawn.
const SIZES = ["micro", "small", "medium", "large"] as const;
const COMMITMENTS = ["government_budget_line", "multi_year_sponsor"] as const;
const SEXES = ["female", "male"] as const;

function useOptions(values: readonly string[], prefix: string): Option[] {
  const t = useT();
  return values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
}

function DateField({ name, label, state, hint }: { name: string; label: string; state: FormState; hint?: string }) {
  const t = useT();
  return <TextField type="date" name={name} label={label} state={state} hint={hint} placeholder={t("field.datePlaceholder")} />;
}

function CountField({ name, label, state }: { name: string; label: string; state: FormState }) {
  return <TextField type="number" min={0} step={1} inputMode="numeric" name={name} label={label} state={state} />;
}

function MoneyField({
  name,
  label,
  state,
  currency,
  hint,
}: {
  name: string;
  label: string;
  state: FormState;
  currency: string;
  hint?: string;
}) {
  const t = useT();
  return (
    <TextField
      name={name}
      label={t("field.withCurrency", { label, currency })}
      state={state}
      hint={hint}
      inputMode="decimal"
      autoComplete="off"
      className="money-field"
      placeholder="0.00"
    />
  );
}

function ModuleField({ ctx }: { ctx: ReportFieldsContext }) {
  const t = useT();
  return (
    <SelectField
      name="payload.module"
      label={t("field.module")}
      state={ctx.state}
      options={ctx.modules}
      placeholder={t("field.chooseModule")}
    />
  );
}

function TrainerField({ ctx }: { ctx: ReportFieldsContext }) {
  const t = useT();
  if (ctx.trainers.length === 0) {
    return (
      <div className="field field-wide">
        <p className="notice notice-warn">{t("field.noTrainers")}</p>
        <FieldError name="payload.trainerId" state={ctx.state} />
      </div>
    );
  }
  return (
    <SelectField
      name="payload.trainerId"
      label={t("field.trainer")}
      state={ctx.state}
      options={ctx.trainers}
      placeholder={t("field.chooseTrainer")}
    />
  );
}

function TrainerRows({ ctx }: { ctx: ReportFieldsContext }) {
  const t = useT();
  const sexes = useOptions(SEXES, "sex");
  const { state } = ctx;
  return (
    <Fieldset legend={t("field.trainersLegend")} name="payload.trainers" state={state} hint={t("field.trainersHint")}>
      <table className="rows-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t("field.row")}</span>
            </th>
            <th scope="col">{t("field.name")}</th>
            <th scope="col">{t("field.sex")}</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: ctx.trainerRows }, (_, i) => {
            const name = `payload.trainers.${i}.name`;
            const sex = `payload.trainers.${i}.sex`;
            return (
              <tr key={i}>
                <td className="row-number">{t.number(i + 1)}</td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(name, state).id}>
                    {t("field.trainerName", { n: t.number(i + 1) })}
                  </label>
                  <input
                    type="text"
                    maxLength={120}
                    autoComplete="off"
                    defaultValue={state.values[name] ?? ""}
                    {...inputProps(name, state)}
                  />
                  <FieldError name={name} state={state} />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(sex, state).id}>
                    {t("field.trainerSex", { n: t.number(i + 1) })}
                  </label>
                  <select defaultValue={state.values[sex] ?? ""} {...inputProps(sex, state)}>
                    <option value="">—</option>
                    {sexes.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  <FieldError name={sex} state={state} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <SubmitButton value="more-trainers" variant="secondary" busyLabel={t("field.addingRows")}>
          {t("field.moreRows")}
        </SubmitButton>
      </div>
    </Fieldset>
  );
}

/** The funding entered so far against the cost, live in the browser, as the server saw it without JS. */
function FundingTotal({ values, currency }: { values: FormValues; currency: string }) {
  const t = useT();
  const ref = useRef<HTMLParagraphElement>(null);
  const [sum, setSum] = useState(() => fundingTotal(values));
  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form) return;
    const update = () => setSum(fundingTotal(formValues(new FormData(form))));
    update();
    form.addEventListener("input", update);
    return () => form.removeEventListener("input", update);
  }, []);
  const even = sum.cost !== null && sum.total === sum.cost;
  return (
    <p ref={ref} className={`funding-total ${sum.cost === null ? "" : even ? "is-even" : "is-off"}`} aria-live="polite">
      {t("field.fundingEntered", { amount: t.money(sum.total, currency) })}
      {sum.cost !== null ? (
        <>
          {" "}
          {t("field.ofCost", { amount: t.money(sum.cost, currency) })}{" "}
          {even
            ? t("field.addsUp")
            : t(sum.total < sum.cost ? "field.stillToAssign" : "field.tooMuch", {
                amount: t.money(Math.abs(sum.cost - sum.total), currency),
              })}
        </>
      ) : null}
    </p>
  );
}

function TrainingCycleFields({ ctx }: { ctx: ReportFieldsContext }) {
  const t = useT();
  const sizes = useOptions(SIZES, "field.size");
  const { state, currency } = ctx;
  const people = ["managersFemale", "managersMale", "workersFemale", "workersMale"] as const;
  return (
    <>
      <div className="fields">
        <ModuleField ctx={ctx} />
        <TextField name="payload.enterpriseName" label={t("field.enterprise")} state={state} maxLength={160} />
        <SelectField name="payload.enterpriseSize" label={t("field.enterpriseSize")} state={state} options={sizes} />
        <DateField name="payload.startedOn" label={t("field.startedOn")} state={state} hint={t("field.baseline")} />
        <DateField name="payload.endedOn" label={t("field.endedOn")} state={state} hint={t("field.lastVisit")} />
        <CountField name="payload.visits" label={t("field.visits")} state={state} />
      </div>
      <Fieldset legend={t("field.participants")} state={state} hint={t("field.blankNone")}>
        <div className="fields">
          {people.map((key) => (
            <CountField key={key} name={`payload.participants.${key}`} label={t(`field.${key}`)} state={state} />
          ))}
        </div>
      </Fieldset>
      <Fieldset legend={t("field.costLegend")} name="payload.funding" state={state} hint={t("field.costHint", { currency })}>
        <div className="fields">
          <MoneyField name="payload.cost" label={t("field.totalCost")} state={state} currency={currency} />
        </div>
        <div className="fields">
          {FUNDING_SOURCES.map((s) => (
            <MoneyField key={s} name={`payload.funding.${s}`} label={fundingSourceName(t, s)} state={state} currency={currency} />
          ))}
        </div>
        <FundingTotal values={state.values} currency={currency} />
      </Fieldset>
      <CheckboxField name="payload.iloStaffInvolved" label={t("field.iloStaff")} state={state} hint={t("field.iloStaffHint")} />
    </>
  );
}

const simpleDate: Partial<Record<ReportKind, [name: string, labelKey: string]>> = {
  mou_signed: ["payload.signedOn", "field.mouSignedOn"],
  score_in_portfolio: ["payload.listedOn", "field.listedOn"],
  business_plan_adopted: ["payload.adoptedOn", "field.adoptedOn"],
};

export function ReportKindFields({ kind, ctx }: { kind: ReportKind; ctx: ReportFieldsContext }) {
  const t = useT();
  const sizes = useOptions(SIZES, "field.size");
  const commitments = useOptions(COMMITMENTS, "field.commitment");
  const { state } = ctx;
  const date = simpleDate[kind];
  if (date) {
    return (
      <div className="fields">
        <DateField name={date[0]} label={t(date[1])} state={state} />
      </div>
    );
  }
  switch (kind) {
    case "tot_cohort":
      return (
        <>
          <div className="fields">
            <ModuleField ctx={ctx} />
            <DateField name="payload.startedOn" label={t("field.totStartedOn")} state={state} />
            <DateField name="payload.endedOn" label={t("field.totEndedOn")} state={state} />
          </div>
          <TrainerRows ctx={ctx} />
        </>
      );
    case "trainer_certified":
      return (
        <div className="fields">
          <TrainerField ctx={ctx} />
          <ModuleField ctx={ctx} />
          <DateField name="payload.certifiedOn" label={t("field.certifiedOn")} state={state} />
          <div className="field-wide">
            <CheckboxField name="payload.nationalExpert" label={t("field.nationalExpert")} state={state} />
          </div>
        </div>
      );
    case "trainer_lapsed":
      return (
        <div className="fields">
          <TrainerField ctx={ctx} />
          <ModuleField ctx={ctx} />
          <DateField name="payload.lapsedOn" label={t("field.lapsedOn")} state={state} />
        </div>
      );
    case "training_cycle":
      return <TrainingCycleFields ctx={ctx} />;
    case "enterprise_reached":
      return (
        <div className="fields">
          <TextField name="payload.name" label={t("field.enterprise")} state={state} maxLength={160} />
          <SelectField name="payload.size" label={t("field.size")} state={state} options={sizes} />
          <TextField name="payload.sector" label={t("field.sector")} state={state} maxLength={80} hint={t("field.sectorHint")} />
          <CountField name="payload.workersFemale" label={t("field.womenEmployed")} state={state} />
          <CountField name="payload.workersMale" label={t("field.menEmployed")} state={state} />
        </div>
      );
    case "funding_secured":
      return (
        <div className="fields">
          <SelectField name="payload.kind" label={t("field.fundingKind")} state={state} options={commitments} />
          <TextField name="payload.funder" label={t("field.funder")} state={state} maxLength={160} hint={t("field.funderHint")} />
          <DateField name="payload.startsOn" label={t("field.startsOn")} state={state} />
          <DateField name="payload.endsOn" label={t("field.endsOn")} state={state} hint={t("field.openEnded")} />
        </div>
      );
    default:
      return null;
  }
}

export function EvidenceFields({ state, rows }: { state: FormState; rows: number }) {
  const t = useT();
  return (
    <Fieldset legend={t("field.evidence")} state={state} hint={t("field.evidenceHint")}>
      <table className="rows-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t("field.row")}</span>
            </th>
            <th scope="col">{t("field.whatItIs")}</th>
            <th scope="col">{t("field.reference")}</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => {
            const label = `evidence.${i}.label`;
            const reference = `evidence.${i}.reference`;
            return (
              <tr key={i}>
                <td className="row-number">{t.number(i + 1)}</td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(label, state).id}>
                    {t("field.evidenceWhat", { n: t.number(i + 1) })}
                  </label>
                  <input
                    type="text"
                    maxLength={200}
                    placeholder={t("field.evidencePlaceholder")}
                    defaultValue={state.values[label] ?? ""}
                    {...inputProps(label, state)}
                  />
                  <FieldError name={label} state={state} />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(reference, state).id}>
                    {t("field.evidenceRef", { n: t.number(i + 1) })}
                  </label>
                  <input
                    type="text"
                    maxLength={500}
                    placeholder={t("field.referencePlaceholder")}
                    defaultValue={state.values[reference] ?? ""}
                    {...inputProps(reference, state)}
                  />
                  <FieldError name={reference} state={state} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <SubmitButton value="more-evidence" variant="secondary" busyLabel={t("field.addingRows")}>
          {t("field.moreEvidence")}
        </SubmitButton>
      </div>
    </Fieldset>
  );
}

/** Files sent with the report: their type is checked from their content on the server. */
export function EvidenceFileField({ state, maxMb }: { state: FormState; maxMb: number }) {
  const t = useT();
  const props = inputProps("evidenceFiles", state, true);
  return (
    <div className="field">
      <label htmlFor={props.id}>{t("field.attach")}</label>
      <p className="field-hint" id={`${props.id}-hint`}>
        {t("field.attachHint", { mb: t.number(maxMb) })}
      </p>
      <input
        type="file"
        multiple
        accept=".pdf,.png,.jpg,.jpeg,.webp,.xlsx,.xls,.ods,.csv,application/pdf,image/png,image/jpeg,image/webp,text/csv"
        {...props}
      />
      <FieldError name="evidenceFiles" state={state} />
    </div>
  );
}
