import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { SignInSchema } from "../platform/account-forms.server";
import { findUserByEmail, normaliseEmail } from "../../db/queries/users";
import { forgetLoginAttempt, markLoginSucceeded, recentFailures, recordLoginAttempt } from "../../db/queries/sessions";
import { appendAudit } from "../../db/queries/audit";
import { getSession, startSession } from "../platform/auth.server";
import { verifyPassword } from "../platform/password.server";
import { getTranslator } from "~/i18n/server";
import { localise } from "~/i18n/localise";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { readForm } from "~/platform/request-body.server";
import { readFlash, safeRedirect } from "~/platform/flash.server";
import { THROTTLE, signInDelaySeconds } from "~/platform/throttle";
import { homeOf } from "~/platform/policy";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "auth.signIn.title");

/** A refused sign-in says when to try again (Retry-After), on the page as in the header. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retry = actionHeaders.get("Retry-After");
  if (retry) headers.set("Retry-After", retry);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSession(request, context);
  if (session) return redirect(homeOf(session.actor));
  const { flash, headers } = readFlash(request, context);
  return json({ notice: flash.notice }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const parsed = SignInSchema.safeParse(form);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return json({ errors, email: String(form.email ?? "") }, { status: 400 });
  }
  const { db, clientIp } = context;
  const email = normaliseEmail(parsed.data.email);
  const now = new Date();
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  // The attempt is written (as failed) before it is counted and before the password is checked:
  // requests sent at once each see the ones committed before them, so a burst of guesses finds
  // the wait already running and only the first few are tried.
  const attempt = await recordLoginAttempt(db, { email, ip: clientIp, at: now });
  const failures = await recentFailures(db, email, clientIp, since, attempt);
  const readyAt = failures.lastPairAt ? failures.lastPairAt.getTime() + signInDelaySeconds(failures.byPair) * 1000 : 0;
  if (failures.byAddress > THROTTLE.perAddress || now.getTime() < readyAt) {
    // Refused unchecked: not a guess, so not counted as one.
    await forgetLoginAttempt(db, attempt);
    const t = getTranslator(request);
    const seconds = Math.max(1, Math.ceil((readyAt - now.getTime()) / 1000));
    const message =
      failures.byAddress > THROTTLE.perAddress
        ? t("auth.throttled", { minutes: t.number(THROTTLE.windowMinutes) })
        : t.plural("auth.slowDown", seconds, { seconds: t.number(seconds) });
    const retryAfter = failures.byAddress > THROTTLE.perAddress ? THROTTLE.windowMinutes * 60 : seconds;
    return json({ errors: { form: message }, email }, { status: 429, headers: { "Retry-After": String(retryAfter) } });
  }
  const user = await findUserByEmail(db, email);
  const ok = (await verifyPassword(user?.password_hash ?? null, parsed.data.password)) && user?.status === "active";
  if (ok) await markLoginSucceeded(db, attempt);
  if (!ok || !user) {
    const t = getTranslator(request);
    return json({ errors: { form: t("auth.wrong") }, email }, { status: 401 });
  }
  const setCookie = await startSession(request, context, user.id, now);
  await appendAudit(db, { actor: user.email, action: "user.signed_in", entityType: "user", entityId: user.id, at: now });
  // Straight to where this user starts, not through the list's own redirect.
  const home = homeOf({ role: user.role, institutionId: user.institution_id });
  const target = safeRedirect(parsed.data.redirectTo, home);
  return redirect(target === "/institutions" ? home : target, { headers: { "Set-Cookie": setCookie } });
}

export default function Login() {
  const t = useT();
  const data = useActionData<typeof action>();
  const { notice } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = data?.errors ?? {};
  return (
    <div className="page narrow">
      <h1>{t("auth.signIn.title")}</h1>
      {notice ? (
        <p className="notice" role="status">
          {localise(t, notice)}
        </p>
      ) : null}
      {errors.form ? (
        <p className="form-error" role="alert" id="form-error">
          {localise(t, errors.form)}
        </p>
      ) : null}
      <Form method="post" noValidate aria-describedby={errors.form ? "form-error" : undefined}>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/institutions"} />
        <div className="field">
          <label htmlFor="email">{t("auth.email")}</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={data?.email}
            aria-invalid={!!errors.email}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          {errors.email ? (
            <p className="field-error" id="email-error">
              {localise(t, errors.email)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="password">{t("auth.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={!!errors.password}
            aria-describedby={errors.password ? "password-error" : undefined}
          />
          {errors.password ? (
            <p className="field-error" id="password-error">
              {localise(t, errors.password)}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t("auth.signIn.busy") : t("auth.signIn.button")}
        </button>
      </Form>
      <p className="hint">{t("auth.signIn.forgotten")}</p>
    </div>
  );
}
