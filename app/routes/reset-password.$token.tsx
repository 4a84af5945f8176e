import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { NewPasswordSchema } from "../utils/account-forms.server";
import { consumeResetToken, findResetToken, revokeUserSessions } from "../../db/queries/sessions";
import { setPasswordHash } from "../../db/queries/users";
import { sha256 } from "../utils/auth.server";
import { PASSWORD_RULES, hashPassword } from "../utils/password.server";

export const meta: MetaFunction = () => [{ title: "Choose a password · Pathways" }];


export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = await findResetToken(context.db, sha256(params.token ?? ""), new Date());
  if (!token) throw new Response("This link has expired or has been used. Ask an administrator for a new one.", { status: 404 });
  return json({ email: token.email });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = NewPasswordSchema.safeParse(Object.fromEntries(await request.formData()));
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
  return redirect("/login?notice=Your+password+is+set.+Sign+in+with+it.");
}

export default function ResetPassword() {
  const { email } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string> = data?.errors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page narrow">
      <h1>Choose a new password</h1>
      <p>For {email}. Signing in elsewhere ends once the password is set.</p>
      <Form method="post" noValidate>
        <div className="field">
          <label htmlFor="password">New password</label>
          <input id="password" name="password" type="password" autoComplete="new-password" minLength={PASSWORD_RULES.minLength} required
            aria-invalid={!!errors.password} aria-describedby="password-hint password-error" />
          <p className="hint" id="password-hint">At least {PASSWORD_RULES.minLength} characters.</p>
          {errors.password ? <p className="field-error" id="password-error">{errors.password}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="confirm">The same password again</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required
            aria-invalid={!!errors.confirm} aria-describedby={errors.confirm ? "confirm-error" : undefined} />
          {errors.confirm ? <p className="field-error" id="confirm-error">{errors.confirm}</p> : null}
        </div>
        <button type="submit" disabled={busy}>{busy ? "Saving…" : "Set password"}</button>
      </Form>
    </div>
  );
}
