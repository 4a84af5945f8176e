import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { ErrorSummary, SelectField, TextField, type FormState } from "~/components/forms/fields";
import { ScrollTable } from "~/components/ScrollTable";
import { useT } from "~/i18n/react";

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * The account's personal access tokens: make one (shown once, right here), see when each was last
 * used, revoke one. Plain forms: it works without JavaScript.
 */
export function TokenPanel({
  tokens,
  lifetimes,
  created,
  state,
  now,
}: {
  tokens: TokenRow[];
  lifetimes: readonly number[];
  created: { token: string; expiresAt: string } | null;
  state: FormState;
  now: string;
}) {
  const t = useT();
  const stateOf = (r: TokenRow) => (r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : "live");
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t("api.tokens.title")}</h1>
      <p>{t("api.tokens.intro")}</p>
      <p>
        <Link to="/api/docs">{t("api.tokens.docs")}</Link>
      </p>
      {created ? (
        <div className="notice" role="status">
          <h2>{t("api.tokens.createdTitle")}</h2>
          <p>{t("api.tokens.createdOnce", { date: t.date(created.expiresAt) })}</p>
          <p>
            <code className="token-secret" data-testid="new-token">
              {created.token}
            </code>
          </p>
        </div>
      ) : null}
      <section className="form-card" aria-labelledby="token-new">
        <h2 id="token-new">{t("api.tokens.create")}</h2>
        <ErrorSummary state={state} />
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <TextField name="name" label={t("api.tokens.name")} hint={t("api.tokens.nameHint")} state={state} maxLength={80} />
          <SelectField
            name="days"
            label={t("api.tokens.expiry")}
            state={state.values.days ? state : { ...state, values: { ...state.values, days: "90" } }}
            options={lifetimes.map((d) => ({ value: String(d), label: t.plural("api.tokens.days", d) }))}
          />
          <button type="submit" className="primary">
            {t("api.tokens.create")}
          </button>
        </Form>
      </section>
      {tokens.length === 0 ? (
        <p>{t("api.tokens.none")}</p>
      ) : (
        <ScrollTable label={t("api.tokens.caption")} className="data">
          <caption>{t("api.tokens.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("api.tokens.col.name")}</th>
              <th scope="col">{t("api.tokens.col.starts")}</th>
              <th scope="col">{t("api.tokens.col.created")}</th>
              <th scope="col">{t("api.tokens.col.expires")}</th>
              <th scope="col">{t("api.tokens.col.lastUsed")}</th>
              <th scope="col">{t("api.tokens.col.state")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("api.tokens.revoke", { name: "" })}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name}</th>
                <td>
                  <code>{r.prefix}…</code>
                </td>
                <td>{t.date(r.createdAt)}</td>
                <td>{t.date(r.expiresAt)}</td>
                <td>{r.lastUsedAt ? t.date(r.lastUsedAt) : t("api.tokens.never")}</td>
                <td>{t(`api.tokens.state.${stateOf(r)}`)}</td>
                <td>
                  {stateOf(r) === "live" ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="tokenId" value={r.id} />
                      <button type="submit" className="link">
                        {t("api.tokens.revoke", { name: r.name })}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}
