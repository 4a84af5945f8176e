import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FirstAdministratorSchema } from "../platform/account-forms.server";
import { administratorExists, claimSetupToken, findSetupToken, markSetupTokenUsed } from "../../db/queries/setup";
import { createUser, emailTaken } from "../../db/queries/users";
import { sha256 } from "../platform/auth.server";
import { PASSWORD_RULES } from "../platform/password-rules";
import { hashPassword } from "../platform/password.server";
import { getTranslator } from "~/i18n/server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { TextField, type FormState } from "~/components/forms/fields";
import { readForm } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

/**
 * The first run without demo data: a one-time link (printed by `npm start` or `npm run
 * admin:create`) opens this page, which creates the first ILO administrator. Once any
 * administrator exists every set-up link answers 404 saying so (as every refused address does: the
 * tenancy check holds every route to 403/404); an unknown, used or expired one 404 too.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "setup.pageTitle");

const GONE = "Pathways is set up already: an administrator creates the other accounts.";
const INVALID = "This set-up link has expired or has been used. Run `npm run admin:create` for a new one.";

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (await administratorExists(context.db)) throw new Response(GONE, { status: 404 });
  const token = await findSetupToken(context.db, sha256(params.token ?? ""), new Date());
  if (!token) throw new Response(INVALID, { status: 404 });
  return json({ email: token.email });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { db } = context;
  if (await administratorExists(db)) throw new Response(GONE, { status: 404 });
  const id = sha256(params.token ?? "");
  const now = new Date();
  const pending = await findSetupToken(db, id, now);
  if (!pending) throw new Response(INVALID, { status: 404 });
  const form = Object.fromEntries(await readForm(request));
  const parsed = FirstAdministratorSchema.safeParse({ ...form, email: pending.email ?? form.email });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return json({ errors, values: { email: String(form.email ?? ""), name: String(form.name ?? "") } }, { status: 400 });
  }
  const { email, name, password } = parsed.data;
  const hash = await hashPassword(password);
  const userId = crypto.randomUUID();
  const outcome = await db.transaction().execute(async (trx) => {
    const token = await claimSetupToken(trx, id, now);
    if (!token) return (await administratorExists(trx)) ? ("gone" as const) : ("invalid" as const);
    if (await emailTaken(trx, email)) return "taken" as const;
    await createUser(trx, { id: userId, email, name, role: "ilo_admin", passwordHash: hash }, `setup-link:${email}`, now);
    await markSetupTokenUsed(trx, id, userId, email, now);
    return "created" as const;
  });
  if (outcome === "gone") throw new Response(GONE, { status: 404 });
  if (outcome === "invalid") throw new Response(INVALID, { status: 404 });
  const t = getTranslator(request);
  if (outcome === "taken")
    return json(
      { errors: { email: t("admin.users.exists") } as Record<string, string>, values: { email, name } },
      { status: 400 },
    );
  return redirectWithNotice(request, context, "/login", t("setup.done"));
}

export default function Setup() {
  const { email: fixedEmail } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const state: FormState = { values: data?.values ?? {}, errors: data?.errors ?? {} };
  const busy = useNavigation().state === "submitting";
  const t = useT();
  return (
    <div className="page narrow">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      <Form method="post" noValidate>
        {fixedEmail ? (
          <p>{t("setup.emailFixed", { email: fixedEmail })}</p>
        ) : (
          <TextField name="email" label={t("auth.email")} state={state} type="email" autoComplete="email" required />
        )}
        <TextField name="name" label={t("setup.name")} state={state} autoComplete="name" required />
        <TextField
          name="password"
          label={t("auth.password")}
          state={state}
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_RULES.minLength}
          required
          hint={t("auth.reset.hint", { count: t.number(PASSWORD_RULES.minLength) })}
        />
        <TextField
          name="confirm"
          label={t("auth.reset.confirm")}
          state={state}
          type="password"
          autoComplete="new-password"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? t("forms.saving") : t("setup.button")}
        </button>
      </Form>
    </div>
  );
}
