import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { NewPasswordSchema } from "../platform/account-forms.server";
import { consumeResetToken, findResetToken, revokeUserSessions } from "../../db/queries/sessions";
import { setPasswordHash } from "../../db/queries/users";
import { sha256 } from "../platform/auth.server";
import { PASSWORD_RULES } from "../platform/password-rules";
import { hashPassword } from "../platform/password.server";
import { getTranslator } from "~/i18n/server";
import { localise } from "~/i18n/localise";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.reset.pageTitle");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = await findResetToken(context.db, sha256(params.token ?? ""), new Date());
  if (!token) throw new Response("This link has expired or has been used. Ask an administrator for a new one.", { status: 404 });
  return json({ email: token.email });
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, params, context }: ActionFunctionArgs) {
  const parsed = NewPasswordSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return json({ errors }, { status: 400 });
  }
  const hash = await hashPassword(parsed.data.password);
  const now = new Date();
  const done = await context.db.transaction().execute(async (trx) => {
    const userId = await consumeResetToken(trx, sha256(params.token ?? ""), now);
    if (!userId) return false;
    await setPasswordHash(trx, userId, hash, "reset-link", now);
    await revokeUserSessions(trx, userId, now);
    return true;
  });
  if (!done) throw new Response("This link has expired or has been used. Ask an administrator for a new one.", { status: 404 });
  const t = getTranslator(request);
  return redirectWithNotice(request, context, "/login", t("auth.passwordSet"));
}

export default function ResetPassword() {
  const { email } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string> = data?.errors ?? {};
  const busy = useNavigation().state === "submitting";
  const t = useT();
  return (
    <div className="page narrow">
      <h1>{t("auth.reset.title")}</h1>
      <p>{t("auth.reset.for", { email })}</p>
      <Form method="post" noValidate>
        <div className="field">
          <label htmlFor="password">{t("auth.reset.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_RULES.minLength}
            required
            aria-invalid={!!errors.password}
            aria-describedby="password-hint password-error"
          />
          <p className="hint" id="password-hint">
            {t("auth.reset.hint", { count: t.number(PASSWORD_RULES.minLength) })}
          </p>
          {errors.password ? (
            <p className="field-error" id="password-error">
              {localise(t, errors.password)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="confirm">{t("auth.reset.confirm")}</label>
          <input
            id="confirm"
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={!!errors.confirm}
            aria-describedby={errors.confirm ? "confirm-error" : undefined}
          />
          {errors.confirm ? (
            <p className="field-error" id="confirm-error">
              {localise(t, errors.confirm)}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t("forms.saving") : t("auth.reset.button")}
        </button>
      </Form>
    </div>
  );
}
