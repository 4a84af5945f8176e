import type { InputHTMLAttributes, ReactNode } from "react";
import { localise } from "~/i18n/localise";
import { useT } from "~/i18n/react";

/**
 * Form fields that show their error next to the input and keep what was typed. Every field is
 * named by its path in the submitted data, which is also the key of its error.
 */

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

export function fieldId(name: string): string {
  return `f-${name.replace(/[^\w-]/g, "-")}`;
}

const errorId = (name: string) => `${fieldId(name)}-error`;
const hintId = (name: string) => `${fieldId(name)}-hint`;

function describedBy(name: string, state: FormState, hint?: ReactNode): string | undefined {
  const ids = [hint ? hintId(name) : null, state.errors[name] ? errorId(name) : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The id, name and ARIA attributes that tie an input to its label, hint and error. */
export function inputProps(name: string, state: FormState, hint?: ReactNode) {
  return {
    id: fieldId(name),
    name,
    "aria-invalid": state.errors[name] ? true : undefined,
    "aria-describedby": describedBy(name, state, hint),
  } as const;
}

export function FieldError({ name, state }: { name: string; state: FormState }) {
  const t = useT();
  const message = state.errors[name];
  return message ? (
    <p className="field-error" id={errorId(name)}>
      {localise(t, message)}
    </p>
  ) : null;
}

function Hint({ name, hint }: { name: string; hint?: ReactNode }) {
  return hint ? (
    <p className="field-hint" id={hintId(name)}>
      {hint}
    </p>
  ) : null;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue" | "id">;

export function TextField({
  name,
  label,
  state,
  hint,
  className,
  ...input
}: { name: string; label: ReactNode; state: FormState; hint?: ReactNode; className?: string } & InputProps) {
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <input
        type="text"
        {...input}
        id={fieldId(name)}
        name={name}
        defaultValue={state.values[name] ?? ""}
        aria-invalid={state.errors[name] ? true : undefined}
        aria-describedby={describedBy(name, state, hint)}
      />
      <FieldError name={name} state={state} />
    </div>
  );
}

export function TextArea({
  name,
  label,
  state,
  hint,
  rows = 3,
}: {
  name: string;
  label: ReactNode;
  state: FormState;
  hint?: ReactNode;
  rows?: number;
}) {
  return (
    <div className="field field-wide">
      <label htmlFor={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={rows}
        defaultValue={state.values[name] ?? ""}
        aria-invalid={state.errors[name] ? true : undefined}
        aria-describedby={describedBy(name, state, hint)}
      />
      <FieldError name={name} state={state} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  name,
  label,
  state,
  options,
  placeholder,
  hint,
}: {
  name: string;
  label: ReactNode;
  state: FormState;
  options: Option[];
  placeholder?: string;
  hint?: ReactNode;
}) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <select
        id={fieldId(name)}
        name={name}
        defaultValue={state.values[name] ?? ""}
        aria-invalid={state.errors[name] ? true : undefined}
        aria-describedby={describedBy(name, state, hint)}
      >
        <option value="">{placeholder ?? t("forms.choose")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError name={name} state={state} />
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  state,
  hint,
}: {
  name: string;
  label: ReactNode;
  state: FormState;
  hint?: ReactNode;
}) {
  const checked = state.values[name] === "on" || state.values[name] === "true";
  return (
    <div className="field field-check">
      <input
        type="checkbox"
        id={fieldId(name)}
        name={name}
        defaultChecked={checked}
        aria-invalid={state.errors[name] ? true : undefined}
        aria-describedby={describedBy(name, state, hint)}
      />
      <label htmlFor={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <FieldError name={name} state={state} />
    </div>
  );
}

/** A group of fields with a legend; `name` is the key of an error about the group as a whole. */
export function Fieldset({
  legend,
  name,
  state,
  hint,
  children,
  className,
}: {
  legend: ReactNode;
  name?: string;
  state: FormState;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const error = name ? state.errors[name] : undefined;
  return (
    <fieldset
      className={`${className ?? ""}${error ? " has-error" : ""}`}
      id={name ? fieldId(name) : undefined}
      aria-describedby={name ? describedBy(name, state, hint) : undefined}
      tabIndex={name ? -1 : undefined}
    >
      <legend>{legend}</legend>
      {name ? <Hint name={name} hint={hint} /> : hint ? <p className="field-hint">{hint}</p> : null}
      {name ? <FieldError name={name} state={state} /> : null}
      {children}
    </fieldset>
  );
}

/** The errors of a refused form at its top, each linked to its field, plus a problem with the whole form. */
export function ErrorSummary({ state, formError, title }: { state: FormState; formError?: string; title?: string }) {
  const t = useT();
  const entries = Object.entries(state.errors);
  if (!formError && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      {formError ? <p className="error-summary-lead">{localise(t, formError)}</p> : null}
      {entries.length > 0 ? (
        <>
          <p className="error-summary-lead">{title ? `${title}:` : t("forms.correct")}</p>
          <ul>
            {entries.map(([name, message]) => (
              <li key={name}>
                <a href={`#${fieldId(name)}`}>{localise(t, message)}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
