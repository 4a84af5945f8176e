import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n/react";

/**
 * A submit button that says "Sending…" and refuses further clicks while a form is on its way.
 * Without JavaScript it is a plain button; the ids the server gives every change make a second
 * send harmless anyway. `name`/`value` say which button was pressed (intent, decision…).
 */
export function SubmitButton({
  name = "intent",
  value,
  children,
  busyLabel,
  variant = "primary",
}: {
  name?: string;
  value?: string;
  children: ReactNode;
  busyLabel?: string;
  variant?: "primary" | "secondary" | "danger";
}) {
  const t = useT();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting";
  const mine = sending && (value === undefined || navigation.formData?.get(name) === value);
  return (
    <button
      type="submit"
      name={value === undefined ? undefined : name}
      value={value}
      className={`button button-${variant}`}
      disabled={sending}
      aria-busy={mine || undefined}
    >
      {mine ? (busyLabel ?? t("forms.sending")) : children}
    </button>
  );
}
