import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/platform/access.server";
import { workQueueScopes } from "~/platform/header.server";
import { listAwaitingSignOff, listPlansToReview, workCounts } from "../../db/queries/work-queues";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "queues.title");

/** Shown per queue; the verification queue and the inbox have their own paged pages. */
const SHOWN = 20;

/** What waits for the signed-in user (decision 025): a queue for each action the policy gives them. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const scopes = workQueueScopes(actor);
  const counts = await workCounts(
    context.db,
    { userId: actor.id, role: actor.role, institutionId: actor.institutionId, countries: actor.countries },
    scopes,
  );
  const signOff = scopes.signOff && counts.signOff > 0 ? await listAwaitingSignOff(context.db, scopes.signOff, SHOWN, 0) : [];
  const plans = scopes.plans && counts.plans > 0 ? await listPlansToReview(context.db, scopes.plans, SHOWN, 0) : [];
  return json({
    has: { signOff: !!scopes.signOff, verify: !!scopes.verify, plans: !!scopes.plans, returned: !!scopes.returned },
    counts,
    signOff: signOff.map((r) => ({ ...r, evaluated_at: r.evaluated_at.toISOString() })),
    plans: plans.map((p) => ({ ...p, updated_at: p.updated_at.toISOString() })),
  });
}

export default function Queues() {
  const t = useT();
  const { has, counts, signOff, plans } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("queues.title")}</h1>
      <p className="lede">{t("queues.lede")}</p>
      {has.signOff ? (
        <section aria-labelledby="q-signoff">
          <h2 id="q-signoff">
            {t("queues.signOff")} <span className="count">{t.number(counts.signOff)}</span>
          </h2>
          {signOff.length === 0 ? (
            <p className="empty">{t("queues.empty")}</p>
          ) : (
            <ul>
              {signOff.map((r) => (
                <li key={r.id}>
                  <Link to={`/institutions/${r.id}`}>{r.name}</Link> <span className="muted">· {r.country}</span>{" "}
                  <span className="muted">· {t("queues.since", { date: t.date(r.evaluated_at) })}</span>
                </li>
              ))}
            </ul>
          )}
          {counts.signOff > signOff.length ? <p>{t.plural("queues.more", counts.signOff - signOff.length)}</p> : null}
        </section>
      ) : null}
      {has.verify ? (
        <section aria-labelledby="q-verify">
          <h2 id="q-verify">
            {t("queues.verify")} <span className="count">{t.number(counts.verify)}</span>
          </h2>
          {counts.verify === 0 ? (
            <p className="empty">{t("queues.empty")}</p>
          ) : (
            <p>
              <Link to="/verify">{t.plural("queues.openVerify", counts.verify)}</Link>
            </p>
          )}
        </section>
      ) : null}
      {has.plans ? (
        <section aria-labelledby="q-plans">
          <h2 id="q-plans">
            {t("queues.plans")} <span className="count">{t.number(counts.plans)}</span>
          </h2>
          {plans.length === 0 ? (
            <p className="empty">{t("queues.empty")}</p>
          ) : (
            <ul>
              {plans.map((p) => (
                <li key={p.id}>
                  <Link to={`/institutions/${p.institution_id}/plans/${p.id}`}>{p.name}</Link>{" "}
                  <span className="muted">
                    · {p.institution_name} · {t("queues.since", { date: t.date(p.updated_at) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {counts.plans > plans.length ? <p>{t.plural("queues.more", counts.plans - plans.length)}</p> : null}
        </section>
      ) : null}
      {has.returned ? (
        <section aria-labelledby="q-returned">
          <h2 id="q-returned">
            {t("queues.returned")} <span className="count">{t.number(counts.returned)}</span>
          </h2>
          {counts.returned === 0 ? (
            <p className="empty">{t("queues.empty")}</p>
          ) : (
            <p>
              <Link to="/inbox">{t.plural("queues.openInbox", counts.returned)}</Link>
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
