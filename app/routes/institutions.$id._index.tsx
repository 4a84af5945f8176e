import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import flowStyles from "@xyflow/react/dist/style.css";
import { CsrfInput } from "~/components/CsrfInput";
import { criteriaMetText, formatDuration, formatThreshold, formatValue } from "~/components/format";
import { isInstitutionId, loadInstitutionDetails } from "~/features/pathway/institution-page.server";
import { forecastOf } from "~/features/pathway/forecast.server";
import { PathwayGraph } from "~/features/pathway/PathwayGraph";
import { ReadinessLink } from "~/features/scorecard/ReadinessLink";
import { assertCan, can, requireActor } from "~/platform/access.server";
import { loadPathwayView } from "~/features/pathway/pathway-view.server";
import { resolveLocale } from "~/i18n/server";
import { localise } from "~/i18n/localise";
import { render, shown } from "~/i18n/render";
import { metaT } from "~/i18n/meta";
import { reportKindName } from "~/i18n/labels";
import { useT } from "~/i18n/react";
import { readFlash } from "~/platform/flash.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: flowStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  return [{ title: `${data ? data.institution.name : t("inst.page.notFound")} · ${t("app.name")}` }];
};

const NOT_FOUND = "No institution has this address. It may have been mistyped.";

/** Flash messages come back in the address from the actions that redirect here; keep them short. */
/** When the next gate and independent delivery are expected at the current pace, and on what data. */
function ForecastLine({
  forecast,
  stageNames,
}: {
  forecast: SerializeFrom<typeof loader>["forecast"];
  stageNames: Record<string, string>;
}) {
  const t = useT();
  if (!forecast || forecast.status === "no_data") return <p className="muted">{t("inst.forecast.noData")}</p>;
  if (forecast.status === "reached")
    return <p className="muted">{t("inst.forecast.reached", { date: t.date(forecast.lastStage?.on) })}</p>;
  const next = forecast.nextGate;
  const last = forecast.lastStage;
  return (
    <p className="forecast-line">
      <strong>{t("inst.forecast.label")}</strong> {t("inst.forecast.pace")}{" "}
      {next ? (
        <>
          {next.overdue
            ? t("inst.forecast.overdue", { stage: stageNames[next.stageKey] ?? next.stageKey })
            : t("inst.forecast.about", { stage: stageNames[next.stageKey] ?? next.stageKey, date: t.date(next.on) })}{" "}
          {t("inst.forecast.between", { from: t.date(next.earliest), to: t.date(next.latest) })}
        </>
      ) : null}
      {last && last.stageKey !== next?.stageKey ? (
        <>
          ; {t("inst.forecast.about", { stage: stageNames[last.stageKey] ?? last.stageKey, date: t.date(last.on) })}{" "}
          {t("inst.forecast.between", { from: t.date(last.earliest), to: t.date(last.latest) })}
        </>
      ) : null}
      . <span className="muted">{localise(t, forecast.basis.summary)}</span>
    </p>
  );
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  if (!isInstitutionId(params.id)) throw new Response(NOT_FOUND, { status: 404 });
  const now = new Date();
  const view = await loadPathwayView(context.db, params.id, now, resolveLocale(request, actor));
  if (!view) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, "view", view.institution);
  const [details, forecast] = await Promise.all([
    loadInstitutionDetails(context.db, view, actor, {
      now,
      // The dev server's Web UI has no sign-in and shows every workflow: ILO staff only.
      temporalUiUrl: can(actor, "temporal_ui") ? context.temporalUiUrl : null,
      namespace: context.config.TEMPORAL_NAMESPACE,
      locale: resolveLocale(request, actor),
    }),
    // Its own stays and the programme's pace, in one statement.
    forecastOf(
      context.db,
      view.institution.id,
      view.template.definition.stages.map((s) => s.key),
      now,
    ),
  ]);
  const { flash, headers } = readFlash(request, context);
  return json({ ...details, forecast, notice: flash.notice, error: flash.error }, { headers });
}

type Data = SerializeFrom<typeof loader>;

export default function InstitutionPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { institution: inst, stages, currentIndex, nextGate } = data;
  const current = stages[currentIndex];
  return (
    <div className="page">
      <nav aria-label={t("inst.page.breadcrumb")} className="breadcrumb">
        <Link to="/institutions">{t("nav.institutions")}</Link> <span aria-hidden="true">/</span> <span>{inst.name}</span>
      </nav>
      <div className="page-head">
        <h1>{inst.name}</h1>
        <div className="button-row">
          <Link to={`/institutions/${inst.id}/plans`} className="button button-secondary">
            {t("inst.page.plans")}
          </Link>
          {data.can.report ? (
            <Link to={`/institutions/${inst.id}/report`} className="button button-primary">
              {t("inst.page.report")}
            </Link>
          ) : null}
        </div>
      </div>
      <p className="subtitle">
        {inst.country} · {t(`instType.${inst.typeCode}`)} · {t(`instRole.${inst.roleCode}`)}
        {inst.discontinued ? <span className="flag"> {t("inst.flag.discontinued")}</span> : null}
      </p>
      <p className="stage-line">
        {t("inst.page.stageLine", { index: t.number(currentIndex + 1), total: t.number(stages.length) })}{" "}
        <strong>{current.name}</strong>,{" "}
        {t("inst.page.for", { duration: formatDuration(t, data.daysInStage), date: t.date(data.stageEnteredOn) })}{" "}
        <span className="muted">{t("inst.page.template", { name: data.template.name, version: data.template.version })}</span>{" "}
        {data.temporalUrl ? <a href={data.temporalUrl}>{t("inst.page.temporal")}</a> : null}
      </p>
      <ForecastLine forecast={data.forecast} stageNames={Object.fromEntries(stages.map((st) => [st.key, st.name]))} />
      {/* Readiness scorecard (issue 4): its own page, linked here. */}
      <ReadinessLink institutionId={inst.id} />

      {data.notice ? (
        <p className="notice" role="status">
          {localise(t, data.notice)}
        </p>
      ) : null}
      {data.error ? (
        <p className="notice notice-bad" role="alert">
          {localise(t, data.error)}
        </p>
      ) : null}

      {data.slipFlag ? <SlipPanel data={data} /> : null}
      {nextGate?.met ? <SignOffPanel data={data} /> : null}

      <PathwayGraph stages={stages} currentIndex={currentIndex} nextGate={nextGate} reachedOn={data.reachedOn} />

      <div className="columns">
        <div className="column-main">
          <GateCriteria data={data} />
          <Reports data={data} />
        </div>
        <div className="column-side">
          <History data={data} />
          <Trainers data={data} />
          <Notifications data={data} />
        </div>
      </div>
    </div>
  );
}

/** Disables a form's buttons while it is on its way, so a second click does not send it twice. */
function useSubmitting(action: string) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formAction === action;
}

function SignOffPanel({ data }: { data: Data }) {
  const next = data.stages[data.currentIndex + 1];
  const action = `/institutions/${data.institution.id}/sign-off`;
  const busy = useSubmitting(action);
  const t = useT();
  return (
    <section className="panel panel-ok" aria-labelledby="sign-off-heading">
      <h2 id="sign-off-heading">{t("inst.signOff.title")}</h2>
      <p>{t("inst.signOff.text", { stage: next.name })}</p>
      {data.can.signOff ? (
        <Form method="post" action={action} className="stack">
          <CsrfInput />
          <input type="hidden" name="fromStage" value={data.stages[data.currentIndex].key} />
          <label htmlFor="sign-off-note">{t("inst.signOff.note")}</label>
          <textarea id="sign-off-note" name="note" rows={3} maxLength={2000} />
          <div>
            <button type="submit" className="button button-primary" disabled={busy}>
              {t("inst.signOff.button", { stage: next.name })}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function SlipPanel({ data }: { data: Data }) {
  const flag = data.slipFlag!;
  const action = `/institutions/${data.institution.id}/slip`;
  const busy = useSubmitting(action);
  const t = useT();
  return (
    <section className="panel panel-warn" aria-labelledby="slip-heading">
      <h2 id="slip-heading">{t("inst.slip.title", { stage: flag.toStage })}</h2>
      <p>{shown(t, flag.reasonMessage, flag.reason)}</p>
      <p className="muted small">{t("inst.slip.flaggedOn", { date: t.date(flag.flaggedOn) })}</p>
      {data.can.signOff ? (
        <Form method="post" action={action} className="stack">
          <CsrfInput />
          <label htmlFor="slip-reason">{t("inst.slip.reason")}</label>
          <textarea id="slip-reason" name="reason" rows={3} maxLength={2000} />
          <div className="button-row">
            <button type="submit" name="decision" value="confirm" className="button button-primary" disabled={busy}>
              {t("inst.slip.confirm", { stage: flag.toStage })}
            </button>
            <button type="submit" name="decision" value="dismiss" className="button button-secondary" disabled={busy}>
              {t("inst.slip.dismiss")}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function GateCriteria({ data }: { data: Data }) {
  const t = useT();
  const gate = data.nextGate;
  if (data.gatePending) {
    const next = data.stages[data.currentIndex + 1];
    return (
      <section aria-labelledby="gate-heading">
        <h2 id="gate-heading">{t("inst.gate.into", { stage: next.name })}</h2>
        <p role="status">{t("inst.gate.pending")}</p>
      </section>
    );
  }
  if (!gate)
    return (
      <section aria-labelledby="gate-heading">
        <h2 id="gate-heading">{t("inst.gate.title")}</h2>
        <p>{t("inst.gate.last", { stage: data.stages[data.currentIndex].name })}</p>
      </section>
    );
  const met = gate.criteria.filter((c) => c.met).length;
  return (
    <section aria-labelledby="gate-heading">
      <h2 id="gate-heading">{t("inst.gate.into", { stage: gate.stageName })}</h2>
      <p>
        {criteriaMetText(t, met, gate.criteria.length)}
        {gate.met ? t("inst.gate.ready") : "."} {t("inst.gate.verifiedOnly")}
      </p>
      <div className="table-scroll" role="region" aria-labelledby="gate-caption" tabIndex={0}>
        <table className="criteria">
          <caption id="gate-caption">
            {data.gateEvaluatedAt
              ? t("inst.gate.captionEvaluated", { stage: gate.stageName, date: t.date(data.gateEvaluatedAt) })
              : t("inst.gate.caption", { stage: gate.stageName })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("inst.gate.criterion")}</th>
              <th scope="col">{t("inst.gate.met")}</th>
              <th scope="col">{t("inst.gate.now")}</th>
              <th scope="col">{t("inst.gate.needed")}</th>
            </tr>
          </thead>
          <tbody>
            {gate.criteria.map((c) => (
              <tr key={c.key} className={c.met ? "met" : "unmet"}>
                <th scope="row">
                  {c.label}
                  <span className="basis">{c.basisMessage ? render(t, c.basisMessage) : localise(t, c.basis)}</span>
                </th>
                {/* Met comes before the figures so it stays in view on a phone's narrow screen. */}
                <td className="status">
                  <span aria-hidden="true">{c.met ? "✓ " : "✗ "}</span>
                  {c.met ? t("inst.gate.met") : t("inst.gate.notMet")}
                </td>
                <td className="num">{formatValue(t, c.value, c.unit)}</td>
                <td className="num">{formatThreshold(t, c.threshold, c.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Reports({ data }: { data: Data }) {
  const t = useT();
  const id = data.institution.id;
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">{t("inst.reports.title")}</h2>
      {data.reports.length === 0 ? (
        <p>
          {t("inst.reports.none")}
          {data.can.report ? (
            <>
              {" "}
              <Link to={`/institutions/${id}/report`}>{t("inst.reports.first")}</Link>.
            </>
          ) : null}
        </p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="reports-caption" tabIndex={0}>
          <table className="reports">
            <caption id="reports-caption">{t.plural("inst.reports.caption", data.reports.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("inst.reports.milestone")}</th>
                <th scope="col">{t("inst.reports.submitted")}</th>
                <th scope="col">{t("inst.reports.status")}</th>
              </tr>
            </thead>
            <tbody>
              {data.reports.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/institutions/${id}/reports/${r.id}`}>{reportKindName(t, r.kindCode)}</Link>
                  </th>
                  <td>
                    {t.date(r.submittedAt)}
                    <span className="muted small"> {t("inst.reports.by", { name: r.submittedBy })}</span>
                  </td>
                  <td>
                    <span className={`status-badge status-${r.status}`}>{t(`reportStatus.${r.status}`)}</span>
                    {r.escalated ? <span className="flag flag-warn">{t("inst.reports.overdue")}</span> : null}
                    {r.comment ? <span className="comment">“{r.comment}”</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function History({ data }: { data: Data }) {
  const t = useT();
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t("inst.history.title")}</h2>
      <ol className="timeline">
        {data.transitions.map((tr) => (
          <li key={tr.id} className={`transition-${tr.kind}`}>
            <time dateTime={tr.at}>{t.date(tr.at)}</time>{" "}
            <span>
              {t(`inst.history.${tr.kind}`)} <strong>{tr.to}</strong>
              {tr.from ? ` ${t("inst.history.from", { stage: tr.from })}` : ""}
            </span>
            <span className="muted small">
              {" "}
              {t("inst.reports.by", { name: tr.decidedBy })}
              {tr.imported ? ` · ${t("inst.history.imported")}` : ""}
            </span>
            {tr.reason ? <span className="comment">“{shown(t, tr.reasonMessage, tr.reason)}”</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Trainers({ data }: { data: Data }) {
  const t = useT();
  const tt = data.trainers;
  return (
    <section aria-labelledby="trainers-heading">
      <h2 id="trainers-heading">{t("inst.trainers.title")}</h2>
      <dl className="figures">
        <div>
          <dt>{t("inst.trainers.trained")}</dt>
          <dd>
            {t.number(tt.trained)} <span className="muted small">{t.plural("inst.trainers.women", tt.trainedWomen)}</span>
          </dd>
        </div>
        <div>
          <dt>{t("inst.trainers.certified")}</dt>
          <dd>{t.number(tt.certified)}</dd>
        </div>
        <div>
          <dt>{t("inst.trainers.experts")}</dt>
          <dd>{t.number(tt.experts)}</dd>
        </div>
      </dl>
      <p className="muted small">{localise(t, tt.activeSince)}.</p>
      {tt.list.length > 0 ? (
        <details>
          <summary>{t.plural("inst.trainers.all", tt.list.length)}</summary>
          <ul className="trainer-list">
            {tt.list.map((tr) => (
              <li key={tr.id}>
                <strong>{tr.name}</strong>{" "}
                <span className="muted small">
                  ({tr.sex === "female" ? t("inst.trainers.woman") : t("inst.trainers.man")}
                  {tr.nationalExpert ? t("inst.trainers.expert") : ""})
                </span>
                <br />
                <span className="small">
                  {tr.certifications.length === 0
                    ? t("inst.trainers.notCertified", { date: tr.trainedOn ? t.date(tr.trainedOn) : "—" })
                    : tr.certifications
                        .map((c) =>
                          t(c.lapsed ? "inst.trainers.lapsed" : "inst.trainers.until", {
                            module: c.module,
                            date: t.date(c.until),
                          }),
                        )
                        .join("; ")}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function Notifications({ data }: { data: Data }) {
  const t = useT();
  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t("inst.notifications.title")}</h2>
      {data.notifications.length === 0 ? (
        <p className="muted">{t("inst.notifications.none")}</p>
      ) : (
        <ul className="notifications">
          {data.notifications.map((n) => (
            <li key={n.id}>
              <time dateTime={n.at}>{t.date(n.at)}</time>{" "}
              <span className="muted small">
                {n.audience === "ilo" ? t("inst.notifications.ilo") : t("inst.notifications.institution")}
              </span>
              <br />
              {shown(t, n.note, n.message)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
