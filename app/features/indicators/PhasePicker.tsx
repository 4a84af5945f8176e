import { Form } from "@remix-run/react";
import { useT } from "~/i18n/react";

/** Chooses the programme phase a results page shows: a plain GET form, so it works before scripts load. */
export function PhasePicker({ id, phases, current }: { id: string; phases: { key: string; name: string }[]; current: string }) {
  const t = useT();
  return (
    <Form method="get" className="logframe-phase-form">
      <div className="field">
        <label htmlFor={id}>{t("indicators.phase.label")}</label>
        <select id={id} name="phase" defaultValue={current}>
          {phases.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        {t("indicators.phase.apply")}
      </button>
    </Form>
  );
}
