import { resolveLocale } from "~/i18n/server";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TableLink } from "~/components/TableLink";
import flowStyles from "@xyflow/react/dist/style.css";
import { formatDuration } from "~/components/format";
import { ListRange, Pager } from "~/components/ListControls";
import { FilterForm } from "~/features/portfolio/FilterForm";
import { loadPortfolioGraph } from "~/features/portfolio/load.server";
import { PortfolioGraph } from "~/features/portfolio/PortfolioGraph";
import analyticsStyles from "~/styles/analytics.css";
import { assertCan, requireActor } from "~/platform/access.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "portfolio.title");

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: flowStyles },
  { rel: "stylesheet", href: analyticsStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  return json(
    await loadPortfolioGraph(context.db, actor, new URL(request.url).searchParams, new Date(), resolveLocale(request, actor)),
  );
}

type Data = SerializeFrom<typeof loader>;

export default function Portfolio() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const graphStages = data.stages.map((s) => ({ ...s, selected: s.key === data.selected?.key }));
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("portfolio.title")}</h1>
        <Link to="/analytics">{t("portfolio.analytics")}</Link>
      </div>
      <p className="lede">
        {t.plural(
          data.filters.country || data.filters.type || data.filters.role ? "portfolio.ledeFiltered" : "portfolio.lede",
          data.total,
        )}
      </p>
      <FilterForm action="/portfolio" label={t("portfolio.filter")} filters={data.filters} options={data.options} />
      <PortfolioGraph stages={graphStages} />
      <StageTable data={data} />
      {data.selected ? <StageInstitutions data={data} /> : null}
    </div>
  );
}

function StageTable({ data }: { data: Data }) {
  const t = useT();
  return (
    <div className="table-scroll" role="region" aria-labelledby="stage-table-caption" tabIndex={0}>
      <table>
        <caption id="stage-table-caption">{t("portfolio.perStage")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("portfolio.col.stage")}</th>
            <th scope="col" className="numeric">
              {t("portfolio.col.institutions")}
            </th>
            <th scope="col" className="numeric">
              {t("portfolio.col.awaiting")}
            </th>
            <th scope="col" className="numeric">
              {t("portfolio.col.slip")}
            </th>
            <th scope="col" className="numeric">
              {t("portfolio.col.overdue")}
            </th>
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
              <td className="numeric">{t.number(s.count)}</td>
              <td className="numeric">{t.number(s.awaitingSignOff)}</td>
              <td className="numeric">{t.number(s.slipFlagged)}</td>
              <td className="numeric">{t.number(s.overdueReporting)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ForecastCell({ f }: { f: Data["institutions"][number]["forecast"] }) {
  const t = useT();
  if (!f) return <span className="muted">{t("portfolio.discontinued")}</span>;
  if (f.status === "reached") return <span>{t("portfolio.reached", { date: t.date(f.lastStage?.on) })}</span>;
  if (f.status === "no_data" || !f.lastStage) return <span className="muted">{t("portfolio.noHistory")}</span>;
  const parts = [
    t("portfolio.range", { from: t.date(f.lastStage.earliest), to: t.date(f.lastStage.latest) }),
    [
      f.daysPerStage === null
        ? null
        : t.plural("portfolio.daysAStage", Math.round(f.daysPerStage), { days: t.number(Math.round(f.daysPerStage)) }),
      t(f.paceSource === "own" ? "portfolio.ownPace" : "portfolio.portfolioPace"),
    ]
      .filter(Boolean)
      .join(", "),
    f.nextGate?.overdue ? t("portfolio.nextOverdue") : null,
  ];
  return (
    <>
      {t.date(f.lastStage.on)}
      <span className="forecast-range">{parts.filter(Boolean).join("; ")}</span>
    </>
  );
}

function StageInstitutions({ data }: { data: Data }) {
  const t = useT();
  const stage = data.selected!;
  const n = data.window.total;
  return (
    <section>
      <div className="page-head">
        <h2 id="stage-institutions">{t.plural("portfolio.stageHeading", n, { stage: stage.name })}</h2>
        <Link to={stage.clearHref} preventScrollReset>
          {t("portfolio.showNoStage")}
        </Link>
      </div>
      <ListRange window={data.window} />
      {n === 0 ? (
        <p className="empty-state">{t("portfolio.noneInStage")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="stage-institutions" tabIndex={0}>
          <table className="portfolio">
            <thead>
              <tr>
                <th scope="col">{t("portfolio.col.institution")}</th>
                <th scope="col">{t("portfolio.col.country")}</th>
                <th scope="col">{t("portfolio.col.time")}</th>
                <th scope="col">{t("portfolio.col.forecast")}</th>
              </tr>
            </thead>
            <tbody>
              {data.institutions.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <TableLink to={`/institutions/${i.id}`}>{i.name}</TableLink>
                    {i.awaitingSignOff || i.gatePending || i.slipFlagged || i.overdueReporting ? (
                      <ul className="flags">
                        {i.awaitingSignOff ? <li className="flag flag-ok">{t("portfolio.flag.awaiting")}</li> : null}
                        {i.gatePending ? <li className="flag">{t("portfolio.flag.gatePending")}</li> : null}
                        {i.slipFlagged ? <li className="flag flag-warn">{t("portfolio.flag.slip")}</li> : null}
                        {i.overdueReporting ? <li className="flag flag-warn">{t("portfolio.flag.overdue")}</li> : null}
                      </ul>
                    ) : null}
                  </th>
                  <td>{i.country}</td>
                  <td className="time">{formatDuration(t, i.daysInStage)}</td>
                  <td>
                    <ForecastCell f={i.forecast} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager window={data.window} />
      <p className="hint">
        {data.pace
          ? t("portfolio.hintPace", { days: t.number(Math.round(data.pace.daysPerStage)), stays: t.number(data.pace.stays) })
          : t("portfolio.hint")}{" "}
        {t("portfolio.hintRange")}
      </p>
    </section>
  );
}
