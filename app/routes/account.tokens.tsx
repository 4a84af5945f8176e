import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EMPTY_FORM } from "~/components/forms/fields";
import { TokenPanel } from "~/features/api/TokenPanel";
import { createToken, TOKEN_LIFETIMES_DAYS } from "~/features/api/tokens.server";
import { pageTitle } from "~/i18n/meta";
import { getTranslator } from "~/i18n/server";
import { requireActor } from "~/platform/access.server";
import { redirectWithNotice } from "~/platform/flash.server";
import { isUuid, readForm } from "~/platform/request-body.server";
import { listApiTokens, revokeApiToken } from "../../db/queries/api";

/** `/account/tokens`: the signed-in user's personal access tokens for the API (decision 028). */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "api.tokens.pageTitle");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const tokens = await listApiTokens(context.db, actor.id);
  return json({
    now: new Date().toISOString(),
    lifetimes: TOKEN_LIFETIMES_DAYS,
    tokens: tokens.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      revokedAt: r.revoked_at?.toISOString() ?? null,
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
    })),
  });
}

interface ActionData {
  values: Record<string, string>;
  errors: Record<string, string>;
  created?: { token: string; expiresAt: string };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const form = await readForm(request);
  const t = getTranslator(request, actor);
  const intent = String(form.get("intent") ?? "");
  if (intent === "revoke") {
    const id = String(form.get("tokenId") ?? "");
    const name = isUuid(id)
      ? await context.db.transaction().execute((trx) => revokeApiToken(trx, actor.id, id, actor.email, new Date()))
      : null;
    const notice = name !== null ? t("api.tokens.revoked", { name }) : t("api.tokens.notRevoked");
    return redirectWithNotice(request, context, "/account/tokens", notice);
  }
  if (intent !== "create") return json<ActionData>({ values: {}, errors: { name: t("api.tokens.error.name") } }, { status: 400 });
  const name = String(form.get("name") ?? "").trim();
  const daysRaw = String(form.get("days") ?? "");
  const values = { name, days: daysRaw };
  const errors: Record<string, string> = {};
  if (name.length < 1 || name.length > 80) errors.name = t("api.tokens.error.name");
  const days = TOKEN_LIFETIMES_DAYS.find((d) => String(d) === daysRaw);
  if (!days) errors.days = t("api.tokens.error.expiry");
  if (!days || Object.keys(errors).length > 0) return json<ActionData>({ values, errors }, { status: 400 });
  const made = await createToken(context, actor, name, days);
  return json<ActionData>({ values: {}, errors: {}, created: { token: made.token, expiresAt: made.expiresAt.toISOString() } });
}

export default function AccountTokens() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const state = result ? { values: result.values, errors: result.errors } : EMPTY_FORM;
  return (
    <div className="page">
      <TokenPanel
        tokens={data.tokens}
        lifetimes={data.lifetimes}
        created={result && "created" in result && result.created ? result.created : null}
        state={state}
        now={data.now}
      />
    </div>
  );
}
