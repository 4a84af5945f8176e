import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import flowStyles from "@xyflow/react/dist/style.css";
import { CsrfInput } from "~/components/CsrfInput";
import { criteriaMetText, day, formatDuration, formatThreshold, formatValue } from "~/components/format";
import { isInstitutionId, loadInstitutionDetails } from "~/components/institution-page.server";
import { forecastFor } from "~/components/forecast.server";
import { PathwayGraph } from "~/components/PathwayGraph";
import { ReadinessLink } from "~/components/scorecard/ReadinessLink";
import { assertCan, requireActor } from "~/utils/access.server";
import { loadPathwayView } from "~/utils/pathway-view.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: flowStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.institution.name} · Pathways` : "Not found · Pathways" },
];

const NOT_FOUND = "No institution has this address. It may have been mistyped.";

/** Flash messages come back in the address from the actions that redirect here; keep them short. */
/** When the next gate and independent delivery are expected at the current pace, and on what data. */
function ForecastLine({ forecast, stageNames }: { forecast: SerializeFrom<typeof loader>["forecast"]; stageNames: Record<string, string> }) {
  if (!forecast || forecast.status === "no_data") return <p className="muted">Forecast: not enough history yet.</p>;
  if (forecast.status === "reached") return <p className="muted">Reached the last stage on {forecast.lastStage?.on}.</p>;
  const next = forecast.nextGate;
  const last = forecast.lastStage;
  return (
    <p className="forecast-line">
      <strong>Forecast</strong> at the current pace:{" "}
      {next ? (
        <>
          {stageNames[next.stageKey] ?? next.stageKey} {next.overdue ? "is overdue (expected by now)" : `about ${next.on}`} (between {next.earliest} and {next.latest})
        </>
      ) : null}
      {last && last.stageKey !== next?.stageKey ? (
        <>
          ; {stageNames[last.stageKey] ?? last.stageKey} about {last.on} (between {last.earliest} and {last.latest})
        </>
      ) : null}
      . <span className="muted">{forecast.basis.summary}</span>
    </p>
  );
}

function flash(params: URLSearchParams, name: string): string | null {
  const v = params.get(name)?.trim();
  return v ? v.slice(0, 300) : null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  if (!isInstitutionId(params.id)) throw new Response(NOT_FOUND, { status: 404 });
  const now = new Date();
  const view = await loadPathwayView(context.db, params.id, now);
  if (!view) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, "view", view.institution);
  const details = await loadInstitutionDetails(context.db, view, actor, {
    now,
    // The dev server's Web UI has no sign-in and shows every workflow: ILO staff only.
    temporalUiUrl: actor.role === "ilo_admin" || actor.role === "ilo_officer" ? context.temporalUiUrl : null,
    namespace: context.config.TEMPORAL_NAMESPACE,
  });
  const forecast = await forecastFor(context.db, view.institution.id, now, { actor });
  const search = new URL(request.url).searchParams;
  return json({ ...details, forecast, notice: flash(search, "notice"), error: flash(search, "error") });
}

type Data = SerializeFrom<typeof loader>;

export default function InstitutionPage() {
  const data = useLoaderData<typeof loader>();
  const { institution: inst, stages, currentIndex, nextGate } = data;
  const current = stages[currentIndex];
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/institutions">Institutions</Link> <span aria-hidden="true">/</span> <span>{inst.name}</span>
      </nav>
      <div className="page-head">
        <h1>{inst.name}</h1>
        <div className="button-row">
          <Link to={`/institutions/${inst.id}/plans`} className="button button-secondary">
            Handover plans
          </Link>
          {data.can.report ? (
            <Link to={`/institutions/${inst.id}/report`} className="button button-primary">
              Report a milestone
            </Link>
          ) : null}
        </div>
      </div>
      <p className="subtitle">
        {inst.country} · {inst.type} · {inst.role}
        {inst.discontinued ? <span className="flag"> Discontinued</span> : null}
      </p>
      <p className="stage-line">
        Stage {currentIndex + 1} of {stages.length}: <strong>{current.name}</strong>, for {formatDuration(data.daysInStage)}{" "}
        (since {data.stageEnteredOn}).{" "}
        <span className="muted">
          {data.template.name}, version {data.template.version}.
        </span>{" "}
        {data.temporalUrl ? <a href={data.temporalUrl}>Open in Temporal Web UI</a> : null}
      </p>
      <ForecastLine forecast={data.forecast} stageNames={Object.fromEntries(stages.map((st) => [st.key, st.name]))} />
      {/* Readiness scorecard (issue 4): its own page, linked here. */}
      <ReadinessLink institutionId={inst.id} />

      {data.notice ? (
        <p className="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      {data.error ? (
        <p className="notice notice-bad" role="alert">
          {data.error}
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
  return (
    <section className="panel panel-ok" aria-labelledby="sign-off-heading">
      <h2 id="sign-off-heading">Awaiting sign-off</h2>
      <p>
        Every criterion for <strong>{next.name}</strong> is met. The move happens when an ILO officer signs it off.
      </p>
      {data.can.signOff ? (
        <Form method="post" action={action} className="stack">
          <CsrfInput />
          <input type="hidden" name="fromStage" value={data.stages[data.currentIndex].key} />
          <label htmlFor="sign-off-note">Note for the record (optional)</label>
          <textarea id="sign-off-note" name="note" rows={3} maxLength={2000} />
          <div>
            <button type="submit" className="button button-primary" disabled={busy}>
              Sign off: move to {next.name}
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
  return (
    <section className="panel panel-warn" aria-labelledby="slip-heading">
      <h2 id="slip-heading">Flagged for slip back to {flag.toStage}</h2>
      <p>{flag.reason}</p>
      <p className="muted small">Flagged on {flag.flaggedOn}.</p>
      {data.can.signOff ? (
        <Form method="post" action={action} className="stack">
          <CsrfInput />
          <label htmlFor="slip-reason">Your reason, for the record</label>
          <textarea id="slip-reason" name="reason" rows={3} maxLength={2000} />
          <div className="button-row">
            <button type="submit" name="decision" value="confirm" className="button button-primary" disabled={busy}>
              Confirm: move back to {flag.toStage}
            </button>
            <button type="submit" name="decision" value="dismiss" className="button button-secondary" disabled={busy}>
              Dismiss the flag
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function GateCriteria({ data }: { data: Data }) {
  const gate = data.nextGate;
  if (!gate)
    return (
      <section aria-labelledby="gate-heading">
        <h2 id="gate-heading">Next gate</h2>
        <p>{data.stages[data.currentIndex].name} is the last stage of the pathway: there is no further gate.</p>
      </section>
    );
  const met = gate.criteria.filter((c) => c.met).length;
  return (
    <section aria-labelledby="gate-heading">
      <h2 id="gate-heading">Gate into {gate.stageName}</h2>
      <p>
        {criteriaMetText(met, gate.criteria.length)}
        {gate.met ? ": ready for sign-off." : "."} Figures come from verified reports only.
      </p>
      <div className="table-scroll" role="region" aria-labelledby="gate-caption" tabIndex={0}>
        <table className="criteria">
          <caption id="gate-caption">What {gate.stageName} needs, against today's records</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Met</th>
              <th scope="col">Now</th>
              <th scope="col">Needed</th>
            </tr>
          </thead>
          <tbody>
            {gate.criteria.map((c) => (
              <tr key={c.key} className={c.met ? "met" : "unmet"}>
                <th scope="row">
                  {c.label}
                  <span className="basis">{c.basis}</span>
                </th>
                {/* Met comes before the figures so it stays in view on a phone's narrow screen. */}
                <td className="status">
                  <span aria-hidden="true">{c.met ? "✓ " : "✗ "}</span>
                  {c.met ? "Met" : "Not met"}
                </td>
                <td className="num">{formatValue(c.value, c.unit)}</td>
                <td className="num">{formatThreshold(c.threshold, c.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Reports({ data }: { data: Data }) {
  const id = data.institution.id;
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">Milestone reports</h2>
      {data.reports.length === 0 ? (
        <p>
          No milestones reported yet.
          {data.can.report ? (
            <>
              {" "}
              <Link to={`/institutions/${id}/report`}>Report the first one</Link>.
            </>
          ) : null}
        </p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="reports-caption" tabIndex={0}>
          <table className="reports">
            <caption id="reports-caption">
              {data.reports.length} {data.reports.length === 1 ? "report" : "reports"}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Submitted</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.reports.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/institutions/${id}/reports/${r.id}`}>{r.kind}</Link>
                  </th>
                  <td>
                    {day(r.submittedAt)}
                    <span className="muted small"> by {r.submittedBy}</span>
                  </td>
                  <td>
                    <span className={`status-badge status-${r.status}`}>{r.statusText}</span>
                    {r.escalated ? <span className="flag flag-warn">Overdue</span> : null}
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

const TRANSITION_TEXT = { start: "Started at", advance: "Moved up to", slip_back: "Slipped back to" } as const;

function History({ data }: { data: Data }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Stage history</h2>
      <ol className="timeline">
        {data.transitions.map((t) => (
          <li key={t.id} className={`transition-${t.kind}`}>
            <time dateTime={t.at}>{day(t.at)}</time>{" "}
            <span>
              {TRANSITION_TEXT[t.kind]} <strong>{t.to}</strong>
              {t.from ? ` from ${t.from}` : ""}
            </span>
            <span className="muted small"> by {t.decidedBy}</span>
            {t.reason ? <span className="comment">“{t.reason}”</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Trainers({ data }: { data: Data }) {
  const t = data.trainers;
  return (
    <section aria-labelledby="trainers-heading">
      <h2 id="trainers-heading">Trainers</h2>
      <dl className="figures">
        <div>
          <dt>Trained in ToT</dt>
          <dd>
            {t.trained} <span className="muted small">({t.trainedWomen} women)</span>
          </dd>
        </div>
        <div>
          <dt>Certified now</dt>
          <dd>{t.certified}</dd>
        </div>
        <div>
          <dt>National experts</dt>
          <dd>{t.experts}</dd>
        </div>
      </dl>
      <p className="muted small">{t.activeSince}.</p>
      {t.list.length > 0 ? (
        <details>
          <summary>All {t.list.length} trainers</summary>
          <ul className="trainer-list">
            {t.list.map((tr) => (
              <li key={tr.id}>
                <strong>{tr.name}</strong> <span className="muted small">({tr.sex === "female" ? "woman" : "man"}{tr.nationalExpert ? ", national expert" : ""})</span>
                <br />
                <span className="small">
                  {tr.certifications.length === 0
                    ? `Trained ${tr.trainedOn ?? "—"}, not yet certified`
                    : tr.certifications.map((c) => `${c.module} ${c.lapsed ? `lapsed ${c.until}` : `until ${c.until}`}`).join("; ")}
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
  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      {data.notifications.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="notifications">
          {data.notifications.map((n) => (
            <li key={n.id}>
              <time dateTime={n.at}>{day(n.at)}</time>{" "}
              <span className="muted small">{n.audience === "ilo" ? "for the ILO" : "for the institution"}</span>
              <br />
              {n.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
