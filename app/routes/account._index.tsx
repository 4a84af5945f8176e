import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/components/CsrfInput";
import { requireActor } from "~/platform/access.server";
import { readForm } from "~/platform/request-body.server";
import { getEmailMode, setEmailMode } from "../../db/queries/mail";
import { appendAudit } from "../../db/queries/audit";
import type { EmailMode } from "../../db/schema";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

const MODES: readonly EmailMode[] = ["off", "each", "daily", "weekly"];

/** The signed-in user's own account: how they hear by e-mail (decision 025). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return json({ email: actor.email, mode: await getEmailMode(context.db, actor.id) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const form = await readForm(request);
  const mode = String(form.get("emailMode") ?? "");
  if (!(MODES as readonly string[]).includes(mode)) return json({ saved: false, error: "account.badMode" }, { status: 422 });
  const before = await getEmailMode(context.db, actor.id);
  await context.db.transaction().execute(async (trx) => {
    await setEmailMode(trx, actor.id, mode as EmailMode);
    await appendAudit(trx, {
      actor: actor.email,
      action: "user.email_mode",
      entityType: "user",
      entityId: actor.id,
      institutionId: null,
      before: { emailMode: before },
      after: { emailMode: mode },
      at: new Date(),
    });
  });
  return json({ saved: true, error: null });
}

export default function Account() {
  const t = useT();
  const { email, mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const status = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result) status.current?.focus();
  }, [result]);
  return (
    <div className="page">
      <h1>{t("account.title")}</h1>
      <p>{t("account.signedInAs", { email })}</p>
      {result ? (
        <p ref={status} tabIndex={-1} role={result.error ? "alert" : "status"} className={result.error ? "error" : "notice"}>
          {result.error ? t(result.error) : t("account.saved")}
        </p>
      ) : null}
      <Form method="post">
        <CsrfInput />
        <fieldset aria-describedby={result?.error ? "email-mode-error" : undefined}>
          <legend>{t("account.emailMode")}</legend>
          {MODES.map((m) => (
            <label key={m} className="choice">
              <input type="radio" name="emailMode" value={m} defaultChecked={m === mode} /> {t(`account.emailMode.${m}`)}
            </label>
          ))}
          {result?.error ? (
            <p id="email-mode-error" className="field-error">
              {t(result.error)}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className="button-primary">
          {t("account.save")}
        </button>
      </Form>
      <h2>{t("api.tokens.title")}</h2>
      <p>
        <Link to="/account/tokens">{t("api.tokens.pageTitle")}</Link>
      </p>
    </div>
  );
}
