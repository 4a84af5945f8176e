import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/charts/BarChart";
import { ColumnChart } from "~/components/charts/ColumnChart";
import { formatDuration } from "~/components/format";
import { loadAnalytics, type AnalyticsTable } from "~/components/portfolio-graph/analytics.server";
import { FilterForm } from "~/components/portfolio-graph/FilterForm";
import analyticsStyles from "~/styles/analytics.css";
import { assertCan, requireActor } from "~/utils/access.server";

export const meta: MetaFunction = () => [{ title: "Stage analytics · Pathways" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: analyticsStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  return json(await loadAnalytics(context.db, actor, new URL(request.url).searchParams, new Date()));
}

type Data = SerializeFrom<typeof loader>;

function csvHref(data: Data, table: AnalyticsTable) {
  const p = new URLSearchParams({ table });
  for (const [k, v] of Object.entries(data.filters)) if (v) p.set(k, v);
  p.set("stuck", String(data.threshold));
  return `/analytics.csv?${p}`;
}

const days = (n: number | null) => (n === null ? "–" : String(Math.round(n)));

export default function Analytics() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-head">
        <h1>Stage analytics</h1>
        <Link to="/portfolio">Portfolio graph</Link>
      </div>
      <p className="lede">
        How long institutions stay at each stage, who is stuck, and how many move each quarter: {data.institutions}{" "}
        {data.institutions === 1 ? "institution" : "institutions"}
        {data.filters.country || data.filters.type || data.filters.role ? " matching the filters" : ""}. Times count every
        stay at a stage, the current one up to today.
      </p>
      <FilterForm action="/analytics" label="Filter the analytics" filters={data.filters} options={data.options} keep={{ stuck: data.threshold }} />
      <TimeInStage data={data} />
      <Stuck data={data} />
      <Quarters data={data} />
    </div>
  );
}

function TimeInStage({ data }: { data: Data }) {
  const all = data.timeInStage.filter((r) => r.country === null);
  return (
    <section className="analytics-section" aria-labelledby="time-in-stage">
      <h2 id="time-in-stage">Time in stage</h2>
      <div className="analytics-actions">
        <a href={csvHref(data, "time-in-stage")} download>
          Download CSV
        </a>
        <a href="#time-in-stage-table">Table view</a>
      </div>
      <BarChart
        title="Median days in each stage, with the 25th–75th percentile range, all countries"
        unit="days"
        series={[{ label: "median days", className: "bar-a" }]}
        rows={all.map((r) => ({
          label: r.stage,
          values: [r.median ?? 0],
          range: r.p25 !== null && r.p75 !== null ? [r.p25, r.p75] : null,
        }))}
      />
      <div className="table-scroll" role="region" aria-labelledby="time-in-stage-caption" tabIndex={0} id="time-in-stage-table">
        <table>
          <caption id="time-in-stage-caption">Days in each stage, per country</caption>
          <thead>
            <tr>
              <th scope="col">Stage and country</th>
              <th scope="col" className="numeric">Stays</th>
              <th scope="col" className="numeric">Still there</th>
              <th scope="col" className="numeric">Median</th>
              <th scope="col" className="numeric">p25–p75</th>
              <th scope="col" className="numeric">Min–max</th>
            </tr>
          </thead>
          <tbody>
            {data.timeInStage.map((r) => (
              <tr key={`${r.stageKey}-${r.country}`} className={r.country ? "row-country" : "row-stage"}>
                <th scope="row">{r.country ? r.country : `${r.stage}, all countries`}</th>
                <td className="numeric">{r.stays}</td>
                <td className="numeric">{r.open}</td>
                <td className="numeric">{days(r.median)}</td>
                <td className="numeric">{r.p25 === null ? "–" : `${days(r.p25)}–${days(r.p75)}`}</td>
                <td className="numeric">{r.min === null ? "–" : `${days(r.min)}–${days(r.max)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Stuck({ data }: { data: Data }) {
  return (
    <section className="analytics-section" aria-labelledby="stuck">
      <h2 id="stuck">Stuck for more than {data.threshold} days</h2>
      <Form method="get" className="stuck-form" aria-label="Stuck threshold">
        {Object.entries(data.filters).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <div className="field">
          <label htmlFor="stuck-days">Days at one stage</label>
          <input id="stuck-days" name="stuck" type="number" min={1} max={3650} defaultValue={data.threshold} key={data.threshold} />
        </div>
        <button type="submit" className="button button-secondary">
          Show
        </button>
        <a href={csvHref(data, "stuck")} download>
          Download CSV
        </a>
      </Form>
      {data.stuck.length === 0 ? (
        <p className="empty-state">No institution has been at its stage for more than {data.threshold} days.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="stuck-caption" tabIndex={0}>
          <table>
            <caption id="stuck-caption">
              {data.stuck.length} {data.stuck.length === 1 ? "institution" : "institutions"}, longest first (the last stage does not count)
            </caption>
            <thead>
              <tr>
                <th scope="col">Institution</th>
                <th scope="col">Country</th>
                <th scope="col">Stage</th>
                <th scope="col">Since</th>
                <th scope="col" className="numeric">Days</th>
              </tr>
            </thead>
            <tbody>
              {data.stuck.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/institutions/${s.id}`}>{s.name}</Link>
                  </th>
                  <td>{s.country}</td>
                  <td>{s.stage}</td>
                  <td>{s.since}</td>
                  <td className="numeric" title={formatDuration(s.days)}>
                    {s.days}
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

function Quarters({ data }: { data: Data }) {
  return (
    <section className="analytics-section" aria-labelledby="quarters">
      <h2 id="quarters">Moves per quarter</h2>
      <div className="analytics-actions">
        <a href={csvHref(data, "quarters")} download>
          Download CSV
        </a>
        <a href="#quarters-table">Table view</a>
      </div>
      {data.quarters.length === 0 ? (
        <p className="empty-state">No institution has moved between stages yet.</p>
      ) : (
        <>
          <ColumnChart
            title="Stage advances and slips back per quarter"
            unit="transitions"
            series={[
              { label: "advances", className: "bar-a" },
              { label: "slips back", className: "bar-warn" },
            ]}
            columns={data.quarters.map((q) => ({ label: q.quarter, values: [q.advances, q.slipsBack] }))}
          />
          <div className="table-scroll" role="region" aria-labelledby="quarters-caption" tabIndex={0} id="quarters-table">
            <table>
              <caption id="quarters-caption">Transitions per calendar quarter</caption>
              <thead>
                <tr>
                  <th scope="col">Quarter</th>
                  <th scope="col" className="numeric">Advances</th>
                  <th scope="col" className="numeric">Slips back</th>
                </tr>
              </thead>
              <tbody>
                {data.quarters.map((q) => (
                  <tr key={q.quarter}>
                    <th scope="row">{q.quarter}</th>
                    <td className="numeric">{q.advances}</td>
                    <td className="numeric">{q.slipsBack}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
