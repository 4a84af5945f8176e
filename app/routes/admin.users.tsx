import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { requireAllowed } from "~/platform/guard.server";
import { ROLES, type Role } from "~/platform/roles";
import { randomToken, sha256 } from "~/platform/auth.server";
import { listCountries, listInstitutionChoices } from "../../db/queries/institutions";
import { clearFailedSignIns, insertResetToken, listFailedSignIns, revokeUserSessions } from "../../db/queries/sessions";
import { THROTTLE, signInDelaySeconds } from "~/platform/throttle";
import { createUser, emailTaken, getUser, listUsers, setUserStatus } from "../../db/queries/users";
import { appendAudit } from "../../db/queries/audit";
import { roleName } from "~/i18n/labels";
import { localise } from "~/i18n/localise";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.users.title");

const RESET_LINK_HOURS = 48;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAllowed(request, context, "administer");
  const now = Date.now();
  const [users, countries, institutions, failed] = await Promise.all([
    listUsers(context.db),
    listCountries(context.db),
    listInstitutionChoices(context.db),
    listFailedSignIns(context.db, new Date(now - THROTTLE.windowMinutes * 60_000)),
  ]);
  // Accounts whose sign-in is being slowed down now (from at least one address).
  const slowed = failed
    .filter((f) => signInDelaySeconds(f.failures) > 0)
    .map((f) => ({ email: f.email, failures: f.failures, addresses: f.addresses, last: f.last.toISOString() }));
  return json({ users, countries, institutions, slowed });
}

// Built when used, so the browser bundle of this page need not carry zod.
const NewUserSchema = () =>
  z
    .object({
      email: z.string().trim().email("Enter a valid email address").max(200),
      name: z.string().trim().min(2, "Enter the person's name").max(120),
      role: z.enum(ROLES as [Role, ...Role[]], { message: "Choose a role" }),
      institutionId: z.string().optional(),
      countries: z.array(z.string()).default([]),
    })
    .refine((u) => u.role !== "institution_reporter" || (u.institutionId && z.uuid().safeParse(u.institutionId).success), {
      message: "An institution reporter reports for one institution: choose it",
      path: ["institutionId"],
    })
    .refine((u) => u.role !== "ilo_officer" || u.countries.length > 0, {
      message: "An ILO officer works for at least one country: choose them",
      path: ["countries"],
    });

type ActionResult = {
  ok: boolean;
  message?: string;
  resetLink?: string;
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
};

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, context }: ActionFunctionArgs) {
  const actor = await requireAllowed(request, context, "administer");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const now = new Date();
  const { db } = context;
  const t = getTranslator(request, actor);
  const hours = t.number(RESET_LINK_HOURS);

  if (intent === "unlock") {
    const email = String(form.get("email") ?? "");
    const n = await db.transaction().execute(async (trx) => {
      const cleared = await clearFailedSignIns(trx, email);
      await appendAudit(trx, {
        actor: actor.email,
        action: "user.sign_in_unlocked",
        entityType: "user",
        entityId: email.slice(0, 200),
        after: { failures: cleared },
        at: now,
      });
      return cleared;
    });
    return json<ActionResult>({ ok: true, message: t.plural("admin.users.unlocked", n, { email }) });
  }

  if (intent === "create") {
    const values = {
      email: form.get("email"),
      name: form.get("name"),
      role: form.get("role"),
      institutionId: form.get("institutionId") || undefined,
      countries: form.getAll("countries").map(String),
    };
    const parsed = NewUserSchema().safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
      return json<ActionResult>({ ok: false, errors, values }, { status: 400 });
    }
    const u = parsed.data;
    if (await emailTaken(db, u.email))
      return json<ActionResult>({ ok: false, errors: { email: t("admin.users.exists") }, values }, { status: 400 });
    const id = crypto.randomUUID();
    const token = randomToken();
    await db.transaction().execute(async (trx) => {
      await createUser(
        trx,
        {
          id,
          email: u.email,
          name: u.name,
          role: u.role,
          institutionId: u.role === "institution_reporter" ? u.institutionId : null,
          countries: u.role === "ilo_officer" ? u.countries : [],
          passwordHash: null,
        },
        actor.email,
        now,
      );
      await insertResetToken(trx, {
        id: sha256(token),
        userId: id,
        createdBy: actor.email,
        at: now,
        expiresAt: new Date(now.getTime() + RESET_LINK_HOURS * 3600_000),
      });
    });
    return json<ActionResult>({
      ok: true,
      message: t("admin.users.created", { name: u.name, hours }),
      resetLink: `${new URL(request.url).origin}/reset-password/${token}`,
    });
  }

  const userId = z.uuid().safeParse(form.get("userId"));
  const user = userId.success ? await getUser(db, userId.data) : undefined;
  if (!user) return json<ActionResult>({ ok: false, message: "There is no such user." }, { status: 404 });

  if (intent === "reset-link") {
    const token = randomToken();
    await db.transaction().execute(async (trx) => {
      await insertResetToken(trx, {
        id: sha256(token),
        userId: user.id,
        createdBy: actor.email,
        at: now,
        expiresAt: new Date(now.getTime() + RESET_LINK_HOURS * 3600_000),
      });
      await appendAudit(trx, {
        actor: actor.email,
        action: "user.reset_link_issued",
        entityType: "user",
        entityId: user.id,
        at: now,
      });
    });
    return json<ActionResult>({
      ok: true,
      message: t("admin.users.resetLink", { name: user.name, hours }),
      resetLink: `${new URL(request.url).origin}/reset-password/${token}`,
    });
  }
  if (intent === "revoke") {
    const n = await db.transaction().execute(async (trx) => {
      const count = await revokeUserSessions(trx, user.id, now);
      await appendAudit(trx, {
        actor: actor.email,
        action: "user.sessions_revoked",
        entityType: "user",
        entityId: user.id,
        after: { sessions: count },
        at: now,
      });
      return count;
    });
    return json<ActionResult>({ ok: true, message: t.plural("admin.users.ended", n, { name: user.name }) });
  }
  if (intent === "disable" || intent === "enable") {
    if (user.id === actor.id)
      return json<ActionResult>({ ok: false, message: "You cannot disable your own account." }, { status: 400 });
    await db.transaction().execute(async (trx) => {
      await setUserStatus(trx, user.id, intent === "disable" ? "disabled" : "active", actor.email, now);
      if (intent === "disable") await revokeUserSessions(trx, user.id, now);
    });
    return json<ActionResult>({
      ok: true,
      message: t(intent === "disable" ? "admin.users.disabled" : "admin.users.enabled", { name: user.name }),
    });
  }
  return json<ActionResult>({ ok: false, message: "Unknown action." }, { status: 400 });
}

export default function Users() {
  const { users, countries, institutions, slowed } = useLoaderData<typeof loader>();
  const t = useT();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const v = (result?.values ?? {}) as Record<string, string>;
  const err = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`${name}-error`}>
        {localise(t, errors[name])}
      </p>
    ) : null;
  return (
    <div className="page">
      <h1>{t("admin.users.title")}</h1>
      <p>
        <Link to="/admin/programme">{t("programme.link")}</Link>
      </p>
      {result?.message ? (
        <div className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          <p>{localise(t, result.message)}</p>
          {result.resetLink ? (
            <p>
              <code className="reset-link">{result.resetLink}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <ScrollTable label={t("admin.users.caption")} className="data">
        <caption>{t("admin.users.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin.users.name")}</th>
            <th scope="col">{t("admin.users.email")}</th>
            <th scope="col">{t("admin.users.role")}</th>
            <th scope="col">{t("admin.users.scope")}</th>
            <th scope="col">{t("admin.users.status")}</th>
            <th scope="col">{t("admin.users.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>{roleName(t, u.role)}</td>
              <td>
                {u.institution_name ??
                  ((u.countries as string[]).length ? (u.countries as string[]).join(", ") : t("admin.users.all"))}
              </td>
              <td>{t(`admin.users.status.${u.status}`)}</td>
              <td>
                <Form method="post" className="inline-actions">
                  <CsrfInput />
                  <input type="hidden" name="userId" value={u.id} />
                  <button type="submit" name="intent" value="reset-link" className="secondary">
                    {t("admin.users.reset")}
                  </button>
                  <button type="submit" name="intent" value="revoke" className="secondary">
                    {t("admin.users.endSessions")}
                  </button>
                  <button type="submit" name="intent" value={u.status === "active" ? "disable" : "enable"} className="secondary">
                    {u.status === "active" ? t("admin.users.disable") : t("admin.users.enable")}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>

      {slowed.length > 0 ? (
        <>
          <h2>{t("admin.users.slowed.title")}</h2>
          <ScrollTable label={t("admin.users.slowed.title")} className="data">
            <caption>{t("admin.users.slowed.caption", { minutes: t.number(THROTTLE.windowMinutes) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.users.email")}</th>
                <th scope="col">{t("admin.users.slowed.failures")}</th>
                <th scope="col">{t("admin.users.slowed.last")}</th>
                <th scope="col">{t("admin.users.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {slowed.map((f) => (
                <tr key={f.email} data-slowed={f.email}>
                  <td>{f.email}</td>
                  <td>{t("admin.users.slowed.count", { count: t.number(f.failures), addresses: t.number(f.addresses) })}</td>
                  <td>{t.dateTime(f.last)}</td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="email" value={f.email} />
                      <button type="submit" name="intent" value="unlock" className="secondary">
                        {t("admin.users.slowed.unlock")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      ) : null}

      <h2>{t("admin.users.add")}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <div className="field">
          <label htmlFor="name">{t("admin.users.name")}</label>
          <input
            id="name"
            name="name"
            defaultValue={v.name}
            aria-invalid={!!errors.name}
            aria-describedby={errors.name ? "name-error" : undefined}
          />
          {err("name")}
        </div>
        <div className="field">
          <label htmlFor="email">{t("admin.users.email")}</label>
          <input
            id="email"
            name="email"
            type="email"
            defaultValue={v.email}
            aria-invalid={!!errors.email}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          {err("email")}
        </div>
        <div className="field">
          <label htmlFor="role">{t("admin.users.role")}</label>
          <select id="role" name="role" defaultValue={v.role ?? ""} aria-invalid={!!errors.role}>
            <option value="" disabled>
              {t("forms.choose")}
            </option>
            {ROLES.map((k) => (
              <option key={k} value={k}>
                {roleName(t, k)}
              </option>
            ))}
          </select>
          {err("role")}
        </div>
        <div className="field">
          <label htmlFor="institutionId">{t("admin.users.institution")}</label>
          <select
            id="institutionId"
            name="institutionId"
            defaultValue={v.institutionId ?? ""}
            aria-invalid={!!errors.institutionId}
            aria-describedby={errors.institutionId ? "institutionId-error" : undefined}
          >
            <option value="">—</option>
            {institutions.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.country_code})
              </option>
            ))}
          </select>
          {err("institutionId")}
        </div>
        <fieldset className="field" aria-describedby={errors.countries ? "countries-error" : undefined}>
          <legend>{t("admin.users.countries")}</legend>
          {countries.map((c) => (
            <label key={c.code} className="checkbox">
              <input type="checkbox" name="countries" value={c.code} /> {c.name}
            </label>
          ))}
          {err("countries")}
        </fieldset>
        <button type="submit" name="intent" value="create" disabled={busy}>
          {busy ? t("admin.users.adding") : t("admin.users.addButton")}
        </button>
      </Form>
    </div>
  );
}
