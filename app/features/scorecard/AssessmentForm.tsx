import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { fieldId } from "~/components/forms/fields";
import { READINESS_DIMENSIONS } from "~/domain/records";
import {
  MAX_COMMENT_LENGTH,
  SCORE_LEVELS,
  commentField,
  criteriaOf,
  criterionLabelKey,
  criterionLevelKey,
  evidenceField,
  scoreField,
  type AssessmentKind,
} from "~/features/scorecard/scorecard";
import { useT } from "~/i18n/react";

export interface AssessmentFormState {
  values: Record<string, string>;
  /** The evidence boxes checked, per criterion (repeated fields). */
  evidence: Record<string, string[]>;
  errors: Record<string, string>;
  formError?: string;
}

const errorId = (name: string) => `${fieldId(name)}-error`;

function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  return errors[name] ? (
    <p className="field-error" id={errorId(name)}>
      {errors[name]}
    </p>
  ) : null;
}

/**
 * The scorecard form: for every criterion a radio group whose legend is the criterion and whose
 * options carry their rubric anchor, a comment, and evidence from the institution's verified
 * reports. A plain form: it works before JavaScript loads.
 */
export function AssessmentForm({
  kind,
  assessmentId,
  today,
  linkable,
  state,
}: {
  kind: AssessmentKind;
  assessmentId: string;
  today: string;
  linkable: { id: string; fileName: string; reportKind: string }[];
  state: AssessmentFormState | null;
}) {
  const t = useT();
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  const errorCount = Object.keys(errors).length;
  const summary = useRef<HTMLDivElement>(null);
  // After a refused send the summary takes the focus, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (state) summary.current?.focus();
  }, [state]);
  return (
    <section aria-labelledby="assessment-form-heading" className="assessment-form">
      <h2 id="assessment-form-heading">{t(`scorecard.form.title.${kind}`)}</h2>
      <p className="hint">{t(`scorecard.form.hint.${kind}`)}</p>
      {state?.formError || errorCount > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
          <p className="error-summary-lead">{state?.formError ?? t("scorecard.form.errors")}</p>
          {errorCount > 0 ? <p>{t.plural("scorecard.form.errorCount", errorCount)}</p> : null}
          {errorCount > 0 ? (
            <ul>
              {Object.entries(errors).map(([name, message]) => (
                <li key={name}>
                  <a href={`#${fieldId(name)}`}>{message}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="assessmentId" value={assessmentId} />
        <div className="field">
          <label htmlFor={fieldId("assessedOn")}>{t("scorecard.form.date")}</label>
          <input
            type="date"
            id={fieldId("assessedOn")}
            name="assessedOn"
            max={today}
            defaultValue={values.assessedOn ?? today}
            aria-invalid={errors.assessedOn ? true : undefined}
            aria-describedby={errors.assessedOn ? errorId("assessedOn") : undefined}
          />
          <FieldError name="assessedOn" errors={errors} />
        </div>
        {READINESS_DIMENSIONS.map((d) => (
          <section key={d} aria-labelledby={`form-dimension-${d}`}>
            <h3 id={`form-dimension-${d}`}>{t(`scorecard.dimension.${d}`)}</h3>
            {criteriaOf(d).map((c) => (
              <CriterionFields
                key={c.key}
                criterionKey={c.key}
                values={values}
                checked={state?.evidence[c.key] ?? []}
                errors={errors}
                linkable={linkable}
              />
            ))}
          </section>
        ))}
        <SubmitButton busyLabel={t("scorecard.form.sending")}>{t("scorecard.form.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

function CriterionFields({
  criterionKey,
  values,
  checked,
  errors,
  linkable,
}: {
  criterionKey: string;
  values: Record<string, string>;
  checked: string[];
  errors: Record<string, string>;
  linkable: { id: string; fileName: string; reportKind: string }[];
}) {
  const t = useT();
  const score = scoreField(criterionKey);
  const comment = commentField(criterionKey);
  const evidence = evidenceField(criterionKey);
  const label = t(criterionLabelKey(criterionKey));
  return (
    <div className="criterion-block" data-criterion={criterionKey}>
      <fieldset className={`criterion-fields${errors[score] ? " has-error" : ""}`}>
        <legend>{label}</legend>
        <FieldError name={score} errors={errors} />
        <div className="score-options">
          {SCORE_LEVELS.map((level) => (
            <label key={level} className="score-option">
              <input
                type="radio"
                name={score}
                value={level}
                id={level === 1 ? fieldId(score) : `${fieldId(score)}-${level}`}
                defaultChecked={values[score] === String(level)}
                aria-invalid={errors[score] ? true : undefined}
                aria-describedby={errors[score] ? errorId(score) : undefined}
              />
              <span className="score-number">{level}</span>
              <span className="score-anchor">{t(criterionLevelKey(criterionKey, level))}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={fieldId(comment)}>
          {t("scorecard.form.comment")} <span className="sr-only">· {label}</span>
        </label>
        <textarea
          id={fieldId(comment)}
          name={comment}
          rows={2}
          maxLength={MAX_COMMENT_LENGTH}
          defaultValue={values[comment] ?? ""}
          aria-invalid={errors[comment] ? true : undefined}
          aria-describedby={errors[comment] ? errorId(comment) : undefined}
        />
        <FieldError name={comment} errors={errors} />
      </div>
      <details className="evidence-choice" open={checked.length > 0 || !!errors[evidence]}>
        <summary id={fieldId(evidence)}>
          {t("scorecard.form.evidence")} ({linkable.length}) <span className="sr-only">· {label}</span>
        </summary>
        <FieldError name={evidence} errors={errors} />
        {linkable.length === 0 ? (
          <p className="muted small">{t("scorecard.form.noEvidence")}</p>
        ) : (
          <ul className="evidence-options">
            {linkable.map((f) => (
              <li key={f.id}>
                <label>
                  <input
                    type="checkbox"
                    name={evidence}
                    value={f.id}
                    defaultChecked={checked.includes(f.id)}
                    aria-describedby={errors[evidence] ? errorId(evidence) : undefined}
                  />{" "}
                  {f.fileName} <span className="muted small">({f.reportKind.replaceAll("_", " ")})</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
