import { useEffect, useRef, useState } from "react";
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "../../domain/records";
import type { ReportKind } from "../../domain/reports";
import { formatMoney, formValues, fundingTotal, type FormValues } from "../../utils/report-form";
import { CheckboxField, FieldError, Fieldset, inputProps, SelectField, TextField, type FormState, type Option } from "./fields";
import { SubmitButton } from "./SubmitButton";

/** The fields of each kind of milestone report, named by their path in the report. */

export interface ReportFieldsContext {
  state: FormState;
  modules: Option[];
  trainers: Option[];
  currency: string;
  trainerRows: number;
}

const SIZES: Option[] = [
  { value: "micro", label: "Micro (fewer than 10 workers)" },
  { value: "small", label: "Small (10–49)" },
  { value: "medium", label: "Medium (50–249)" },
  { value: "large", label: "Large (250 or more)" },
];

const COMMITMENTS: Option[] = [
  { value: "government_budget_line", label: "Government budget line" },
  { value: "multi_year_sponsor", label: "Multi-year sponsor" },
];

const SEXES: Option[] = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
];

function DateField({ name, label, state, hint }: { name: string; label: string; state: FormState; hint?: string }) {
  return <TextField type="date" name={name} label={label} state={state} hint={hint} placeholder="YYYY-MM-DD" />;
}

function CountField({ name, label, state }: { name: string; label: string; state: FormState }) {
  return <TextField type="number" min={0} step={1} inputMode="numeric" name={name} label={label} state={state} />;
}

function MoneyField({ name, label, state, currency, hint }: { name: string; label: string; state: FormState; currency: string; hint?: string }) {
  return (
    <TextField
      name={name}
      label={`${label} (${currency})`}
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
  return <SelectField name="payload.module" label="Module" state={ctx.state} options={ctx.modules} placeholder="Choose a module…" />;
}

function TrainerField({ ctx }: { ctx: ReportFieldsContext }) {
  if (ctx.trainers.length === 0) {
    return (
      <div className="field field-wide">
        <p className="notice notice-warn">
          This institution has no trainers on record yet. Report a ToT cohort first; its trainers appear here once it is verified.
        </p>
        <FieldError name="payload.trainerId" state={ctx.state} />
      </div>
    );
  }
  return <SelectField name="payload.trainerId" label="Trainer" state={ctx.state} options={ctx.trainers} placeholder="Choose a trainer…" />;
}

function TrainerRows({ ctx }: { ctx: ReportFieldsContext }) {
  const { state } = ctx;
  return (
    <Fieldset
      legend="Trainers who completed the ToT"
      name="payload.trainers"
      state={state}
      hint="One row per trainer. Blank rows are ignored."
    >
      <table className="rows-table">
        <thead>
          <tr>
            <th scope="col" aria-label="Row" />
            <th scope="col">Name</th>
            <th scope="col">Sex</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: ctx.trainerRows }, (_, i) => {
            const name = `payload.trainers.${i}.name`;
            const sex = `payload.trainers.${i}.sex`;
            return (
              <tr key={i}>
                <td className="row-number">{i + 1}</td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(name, state).id}>
                    Trainer {i + 1}: name
                  </label>
                  <input type="text" maxLength={120} autoComplete="off" defaultValue={state.values[name] ?? ""} {...inputProps(name, state)} />
                  <FieldError name={name} state={state} />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(sex, state).id}>
                    Trainer {i + 1}: sex
                  </label>
                  <select defaultValue={state.values[sex] ?? ""} {...inputProps(sex, state)}>
                    <option value="">—</option>
                    {SEXES.map((o) => (
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
        <SubmitButton value="more-trainers" variant="secondary" busyLabel="Adding rows…">
          More rows
        </SubmitButton>
      </div>
    </Fieldset>
  );
}

/** The funding entered so far against the cost, live in the browser, as the server saw it without JS. */
function FundingTotal({ values, currency }: { values: FormValues; currency: string }) {
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
      Funding entered: {formatMoney(sum.total)} {currency}
      {sum.cost !== null ? (
        <>
          {" "}of a cost of {formatMoney(sum.cost)} {currency}
          {even ? " — it adds up." : ` — ${formatMoney(Math.abs(sum.cost - sum.total))} ${currency} ${sum.total < sum.cost ? "still to assign" : "too much"}.`}
        </>
      ) : null}
    </p>
  );
}

function TrainingCycleFields({ ctx }: { ctx: ReportFieldsContext }) {
  const { state, currency } = ctx;
  const people = [
    ["managersFemale", "Women managers"],
    ["managersMale", "Men managers"],
    ["workersFemale", "Women workers"],
    ["workersMale", "Men workers"],
  ] as const;
  return (
    <>
      <div className="fields">
        <ModuleField ctx={ctx} />
        <TextField name="payload.enterpriseName" label="Enterprise" state={state} maxLength={160} />
        <SelectField name="payload.enterpriseSize" label="Enterprise size" state={state} options={SIZES} />
        <DateField name="payload.startedOn" label="Started on" state={state} hint="The baseline visit" />
        <DateField name="payload.endedOn" label="Ended on" state={state} hint="The last follow-up visit" />
        <CountField name="payload.visits" label="Enterprise visits" state={state} />
      </div>
      <Fieldset legend="Participants in the classroom sessions" state={state} hint="Blank counts as none.">
        <div className="fields">
          {people.map(([key, label]) => (
            <CountField key={key} name={`payload.participants.${key}`} label={label} state={state} />
          ))}
        </div>
      </Fieldset>
      <Fieldset
        legend="Cost and who paid"
        name="payload.funding"
        state={state}
        hint={`Amounts in ${currency}, e.g. 2000.50. The amounts by source must add up to the cost; leave a source blank when it paid nothing.`}
      >
        <div className="fields">
          <MoneyField name="payload.cost" label="Total cost of the cycle" state={state} currency={currency} />
        </div>
        <div className="fields">
          {FUNDING_SOURCES.map((s) => (
            <MoneyField key={s} name={`payload.funding.${s}`} label={FUNDING_SOURCE_LABELS[s]} state={state} currency={currency} />
          ))}
        </div>
        <FundingTotal values={state.values} currency={currency} />
      </Fieldset>
      <CheckboxField
        name="payload.iloStaffInvolved"
        label="ILO staff took part in delivering this cycle"
        state={state}
        hint="Cycles delivered without ILO staff or money count towards independent delivery."
      />
    </>
  );
}

const simpleDate: Partial<Record<ReportKind, [name: string, label: string]>> = {
  mou_signed: ["payload.signedOn", "MoU signed on"],
  score_in_portfolio: ["payload.listedOn", "Listed in the service portfolio on"],
  business_plan_adopted: ["payload.adoptedOn", "Business plan adopted on"],
};

export function ReportKindFields({ kind, ctx }: { kind: ReportKind; ctx: ReportFieldsContext }) {
  const { state } = ctx;
  const date = simpleDate[kind];
  if (date) {
    return (
      <div className="fields">
        <DateField name={date[0]} label={date[1]} state={state} />
      </div>
    );
  }
  switch (kind) {
    case "tot_cohort":
      return (
        <>
          <div className="fields">
            <ModuleField ctx={ctx} />
            <DateField name="payload.startedOn" label="ToT started on" state={state} />
            <DateField name="payload.endedOn" label="ToT ended on" state={state} />
          </div>
          <TrainerRows ctx={ctx} />
        </>
      );
    case "trainer_certified":
      return (
        <div className="fields">
          <TrainerField ctx={ctx} />
          <ModuleField ctx={ctx} />
          <DateField name="payload.certifiedOn" label="Certified on" state={state} />
          <div className="field-wide">
            <CheckboxField name="payload.nationalExpert" label="Certified as a national expert trainer (can train trainers)" state={state} />
          </div>
        </div>
      );
    case "trainer_lapsed":
      return (
        <div className="fields">
          <TrainerField ctx={ctx} />
          <ModuleField ctx={ctx} />
          <DateField name="payload.lapsedOn" label="Certification ended on" state={state} />
        </div>
      );
    case "training_cycle":
      return <TrainingCycleFields ctx={ctx} />;
    case "enterprise_reached":
      return (
        <div className="fields">
          <TextField name="payload.name" label="Enterprise" state={state} maxLength={160} />
          <SelectField name="payload.size" label="Size" state={state} options={SIZES} />
          <TextField name="payload.sector" label="Sector" state={state} maxLength={80} hint="e.g. Garments, Food processing" />
          <CountField name="payload.workersFemale" label="Women employed" state={state} />
          <CountField name="payload.workersMale" label="Men employed" state={state} />
        </div>
      );
    case "funding_secured":
      return (
        <div className="fields">
          <SelectField name="payload.kind" label="Kind of funding" state={state} options={COMMITMENTS} />
          <TextField name="payload.funder" label="Funder" state={state} maxLength={160} hint="e.g. Ministry of Trade, a lead buyer" />
          <DateField name="payload.startsOn" label="Starts on" state={state} />
          <DateField name="payload.endsOn" label="Ends on (optional)" state={state} hint="Leave blank when open-ended" />
        </div>
      );
    default:
      return null;
  }
}

export function EvidenceFields({ state, rows }: { state: FormState; rows: number }) {
  return (
    <Fieldset
      legend="Evidence"
      state={state}
      hint="What an ILO officer can check: a document link, a file name, a register number. Blank rows are ignored."
    >
      <table className="rows-table">
        <thead>
          <tr>
            <th scope="col" aria-label="Row" />
            <th scope="col">What it is</th>
            <th scope="col">Reference or link</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => {
            const label = `evidence.${i}.label`;
            const reference = `evidence.${i}.reference`;
            return (
              <tr key={i}>
                <td className="row-number">{i + 1}</td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(label, state).id}>
                    Evidence {i + 1}: what it is
                  </label>
                  <input type="text" maxLength={200} placeholder="e.g. Signed MoU" defaultValue={state.values[label] ?? ""} {...inputProps(label, state)} />
                  <FieldError name={label} state={state} />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={inputProps(reference, state).id}>
                    Evidence {i + 1}: reference or link
                  </label>
                  <input type="text" maxLength={500} placeholder="https://… or file name" defaultValue={state.values[reference] ?? ""} {...inputProps(reference, state)} />
                  <FieldError name={reference} state={state} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <SubmitButton value="more-evidence" variant="secondary" busyLabel="Adding rows…">
          More evidence rows
        </SubmitButton>
      </div>
    </Fieldset>
  );
}

/** Files sent with the report: their type is checked from their content on the server. */
export function EvidenceFileField({ state, maxMb }: { state: FormState; maxMb: number }) {
  const props = inputProps("evidenceFiles", state, true);
  return (
    <div className="field">
      <label htmlFor={props.id}>Attach files</label>
      <p className="field-hint" id={`${props.id}-hint`}>
        PDF, images (PNG, JPEG, WebP) or spreadsheets (XLSX, XLS, ODS, CSV); up to 10 files of at most {maxMb} MB each.
        Only people who may see this report can open them.
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
