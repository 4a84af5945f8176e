import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import flowStyles from "@xyflow/react/dist/style.css";
import { formatDuration } from "~/components/format";
import { FilterForm } from "~/components/portfolio-graph/FilterForm";
import { loadPortfolioGraph } from "~/components/portfolio-graph/load.server";
import { PortfolioGraph } from "~/components/portfolio-graph/PortfolioGraph";
import analyticsStyles from "~/styles/analytics.css";
import { assertCan, requireActor } from "~/utils/access.server";

export const meta: MetaFunction = () => [{ title: "Portfolio · Pathways" }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: flowStyles },
  { rel: "stylesheet", href: analyticsStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  return json(await loadPortfolioGraph(context.db, actor, new URL(request.url).searchParams, new Date()));
}

type Data = SerializeFrom<typeof loader>;

export default function Portfolio() {
  const data = useLoaderData<typeof loader>();
  const graphStages = data.stages.map((s) => ({ ...s, selected: s.key === data.selected?.key }));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Portfolio</h1>
        <Link to="/analytics">Stage analytics</Link>
      </div>
      <p className="lede">
        {data.total} {data.total === 1 ? "institution" : "institutions"} on the pathway
        {data.filters.country || data.filters.type || data.filters.role ? " matching the filters" : ""}.
      </p>
      <FilterForm action="/portfolio" label="Filter the portfolio" filters={data.filters} options={data.options} />
      <PortfolioGraph stages={graphStages} />
      <StageTable data={data} />
      {data.selected ? <StageInstitutions data={data} /> : null}
    </div>
  );
}

function StageTable({ data }: { data: Data }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby="stage-table-caption" tabIndex={0}>
      <table>
        <caption id="stage-table-caption">Institutions per stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="numeric">Institutions</th>
            <th scope="col" className="numeric">Awaiting sign-off</th>
            <th scope="col" className="numeric">Flagged to slip back</th>
            <th scope="col" className="numeric">Overdue on reporting</th>
          </tr>
        </thead>
        <tbody>
          {data.stages.map((s) => (
            <tr key={s.key} data-stage={s.key}>
              <th scope="row">
                <Link to={s.href} aria-current={data.selected?.key === s.key ? "true" : undefined} preventScrollReset>
                  {s.name}
                </Link>
              </th>
              <td className="numeric">{s.count}</td>
              <td className="numeric">{s.awaitingSignOff}</td>
              <td className="numeric">{s.slipFlagged}</td>
              <td className="numeric">{s.overdueReporting}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ForecastCell({ f }: { f: Data["institutions"][number]["forecast"] }) {
  if (!f) return <span className="muted">Discontinued</span>;
  if (f.status === "reached") return <span>Reached {f.lastStage?.on}</span>;
  if (f.status === "no_data" || !f.lastStage) return <span className="muted">Not enough history yet</span>;
  return (
    <>
      {f.lastStage.on}
      <span className="forecast-range">
        between {f.lastStage.earliest} and {f.lastStage.latest}; {f.daysPerStage === null ? "" : Math.round(f.daysPerStage)} days a stage, {f.paceSource === "own" ? "its own pace" : "portfolio pace"}
        {f.nextGate?.overdue ? "; next gate overdue" : ""}
      </span>
    </>
  );
}

function StageInstitutions({ data }: { data: Data }) {
  const stage = data.selected!;
  const n = data.institutions.length;
  return (
    <section aria-labelledby="stage-institutions">
      <div className="page-head">
        <h2 id="stage-institutions">
          {stage.name}: {n} {n === 1 ? "institution" : "institutions"}
        </h2>
        <Link to={stage.clearHref} preventScrollReset>
          Show no stage
        </Link>
      </div>
      {n === 0 ? (
        <p className="empty-state">No institution in this stage matches the filters.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="stage-institutions" tabIndex={0}>
          <table className="portfolio">
            <thead>
              <tr>
                <th scope="col">Institution</th>
                <th scope="col">Country</th>
                <th scope="col">Time in stage</th>
                <th scope="col">Forecast: independent delivery</th>
              </tr>
            </thead>
            <tbody>
              {data.institutions.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <Link to={`/institutions/${i.id}`}>{i.name}</Link>
                    {i.awaitingSignOff || i.slipFlagged || i.overdueReporting ? (
                      <ul className="flags">
                        {i.awaitingSignOff ? <li className="flag flag-ok">Awaiting sign-off</li> : null}
                        {i.slipFlagged ? <li className="flag flag-warn">Flagged for slip back</li> : null}
                        {i.overdueReporting ? <li className="flag flag-warn">Overdue on reporting</li> : null}
                      </ul>
                    ) : null}
                  </th>
                  <td>{i.country}</td>
                  <td className="time">{formatDuration(i.daysInStage)}</td>
                  <td>
                    <ForecastCell f={i.forecast} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">
        Forecasts assume each institution keeps its pace: the mean of its own completed stages, or with fewer than two of
        them the median of the portfolio{data.pace ? ` (${Math.round(data.pace.daysPerStage)} days a stage, from ${data.pace.stays} completed stages)` : ""}.
        The range runs between its fastest and slowest stage (the portfolio's 25th and 75th percentiles).
      </p>
    </section>
  );
}
