import { resolveLocale } from "~/i18n/server";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TableLink } from "~/components/TableLink";
import { BarChart } from "~/components/charts/BarChart";
import { ColumnChart } from "~/components/charts/ColumnChart";
import { formatDuration } from "~/components/format";
import { loadAnalytics, type AnalyticsTable } from "~/features/analytics/analytics.server";
import { FilterForm } from "~/features/portfolio/FilterForm";
import { ListRange, Pager } from "~/components/ListControls";
import analyticsStyles from "~/styles/analytics.css";
import { requireAllowed } from "~/platform/guard.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "analytics.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: analyticsStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "view");
  const params = new URL(request.url).searchParams;
  // Stuck institutions a page at a time (thousands at scale); the CSV file has them all.
  const stuckPage = { page: Number(params.get("page")) || 1, per: STUCK_PAGE_SIZE };
  return json(await loadAnalytics(context.db, actor, params, new Date(), resolveLocale(request, actor), stuckPage));
}

const STUCK_PAGE_SIZE = 50;

type Data = SerializeFrom<typeof loader>;

function csvHref(data: Data, table: AnalyticsTable) {
  const p = new URLSearchParams({ table });
  for (const [k, v] of Object.entries(data.filters)) if (v) p.set(k, v);
  p.set("stuck", String(data.threshold));
  return `/analytics.csv?${p}`;
}

const days = (t: Translator, n: number | null) => (n === null ? "–" : t.number(Math.round(n)));

export default function Analytics() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const filtered = !!(data.filters.country || data.filters.type || data.filters.role);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("analytics.title")}</h1>
        <Link to="/portfolio">{t("analytics.portfolio")}</Link>
      </div>
      <p className="lede">
        {t.plural(filtered ? "analytics.ledeFiltered" : "analytics.lede", data.institutions)} {t("analytics.ledeTimes")}
      </p>
      <FilterForm
        action="/analytics"
        label={t("analytics.filter")}
        filters={data.filters}
        options={data.options}
        keep={{ stuck: data.threshold }}
      />
      <TimeInStage data={data} />
      <Stuck data={data} />
      <Quarters data={data} />
    </div>
  );
}

function TimeInStage({ data }: { data: Data }) {
  const t = useT();
  const all = data.timeInStage.filter((r) => r.country === null);
  return (
    <section className="analytics-section" aria-labelledby="time-in-stage">
      <h2 id="time-in-stage">{t("analytics.time.title")}</h2>
      <div className="analytics-actions">
        <a href={csvHref(data, "time-in-stage")} download>
          {t("analytics.csv")}
        </a>
        <a href="#time-in-stage-table">{t("analytics.tableView")}</a>
      </div>
      <BarChart
        title={t("analytics.time.chart")}
        unit={t("analytics.unit.days")}
        series={[{ label: t("analytics.medianDays"), className: "bar-a" }]}
        rows={all.map((r) => ({
          label: r.stage,
          values: [r.median ?? 0],
          range: r.p25 !== null && r.p75 !== null ? [r.p25, r.p75] : null,
        }))}
      />
      <div className="table-scroll" role="region" aria-labelledby="time-in-stage-caption" tabIndex={0} id="time-in-stage-table">
        <table>
          <caption id="time-in-stage-caption">{t("analytics.time.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("analytics.col.stageCountry")}</th>
              <th scope="col" className="numeric">
                {t("analytics.col.stays")}
              </th>
              <th scope="col" className="numeric">
                {t("analytics.col.stillThere")}
              </th>
              <th scope="col" className="numeric">
                {t("analytics.col.median")}
              </th>
              <th scope="col" className="numeric">
                {t("analytics.col.p25p75")}
              </th>
              <th scope="col" className="numeric">
                {t("analytics.col.minMax")}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.timeInStage.map((r) => (
              <tr key={`${r.stageKey}-${r.country}`} className={r.country ? "row-country" : "row-stage"}>
                <th scope="row">{r.country ? r.country : t("analytics.allCountries", { stage: r.stage })}</th>
                <td className="numeric">{t.number(r.stays)}</td>
                <td className="numeric">{t.number(r.open)}</td>
                <td className="numeric">{days(t, r.median)}</td>
                <td className="numeric">{r.p25 === null ? "–" : `${days(t, r.p25)}–${days(t, r.p75)}`}</td>
                <td className="numeric">{r.min === null ? "–" : `${days(t, r.min)}–${days(t, r.max)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Stuck({ data }: { data: Data }) {
  const t = useT();
  return (
    <section className="analytics-section" aria-labelledby="stuck">
      <h2 id="stuck">{t.plural("analytics.stuck.title", data.threshold, { days: t.number(data.threshold) })}</h2>
      <Form method="get" className="stuck-form" aria-label={t("analytics.stuck.form")}>
        {Object.entries(data.filters).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <div className="field">
          <label htmlFor="stuck-days">{t("analytics.stuck.days")}</label>
          <input
            id="stuck-days"
            name="stuck"
            type="number"
            min={1}
            max={3650}
            defaultValue={data.threshold}
            key={data.threshold}
          />
        </div>
        <button type="submit" className="button button-secondary">
          {t("analytics.stuck.show")}
        </button>
        <a href={csvHref(data, "stuck")} download>
          {t("analytics.csv")}
        </a>
      </Form>
      <ListRange window={data.stuckWindow} />
      {data.stuck.length === 0 ? (
        <p className="empty-state">{t.plural("analytics.stuck.none", data.threshold, { days: t.number(data.threshold) })}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="stuck-caption" tabIndex={0}>
          <table>
            <caption id="stuck-caption">{t.plural("analytics.stuck.caption", data.stuckWindow.total)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("analytics.col.institution")}</th>
                <th scope="col">{t("analytics.col.country")}</th>
                <th scope="col">{t("analytics.col.stage")}</th>
                <th scope="col">{t("analytics.col.since")}</th>
                <th scope="col" className="numeric">
                  {t("analytics.col.days")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.stuck.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <TableLink to={`/institutions/${s.id}`}>{s.name}</TableLink>
                  </th>
                  <td>{s.country}</td>
                  <td>{s.stage}</td>
                  <td>{t.date(s.since)}</td>
                  <td className="numeric" title={formatDuration(t, s.days)}>
                    {t.number(s.days)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager window={data.stuckWindow} />
    </section>
  );
}

function Quarters({ data }: { data: Data }) {
  const t = useT();
  return (
    <section className="analytics-section" aria-labelledby="quarters">
      <h2 id="quarters">{t("analytics.quarters.title")}</h2>
      <div className="analytics-actions">
        <a href={csvHref(data, "quarters")} download>
          {t("analytics.csv")}
        </a>
        <a href="#quarters-table">{t("analytics.tableView")}</a>
      </div>
      {data.quarters.length === 0 ? (
        <p className="empty-state">{t("analytics.quarters.none")}</p>
      ) : (
        <>
          <ColumnChart
            title={t("analytics.quarters.chart")}
            unit={t("analytics.unit.transitions")}
            series={[
              { label: t("analytics.advances"), className: "bar-a" },
              { label: t("analytics.slipsBack"), className: "bar-warn" },
            ]}
            columns={data.quarters.map((q) => ({ label: q.quarter, values: [q.advances, q.slipsBack] }))}
          />
          <div className="table-scroll" role="region" aria-labelledby="quarters-caption" tabIndex={0} id="quarters-table">
            <table>
              <caption id="quarters-caption">{t("analytics.quarters.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("analytics.col.quarter")}</th>
                  <th scope="col" className="numeric">
                    {t("analytics.col.advances")}
                  </th>
                  <th scope="col" className="numeric">
                    {t("analytics.col.slipsBack")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.quarters.map((q) => (
                  <tr key={q.quarter}>
                    <th scope="row">{q.quarter}</th>
                    <td className="numeric">{t.number(q.advances)}</td>
                    <td className="numeric">{t.number(q.slipsBack)}</td>
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
