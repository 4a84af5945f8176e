import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/charts/BarChart";
import { ScrollTable } from "~/components/ScrollTable";
import { BY_SEX, loadPublicResults, UNSEXED } from "~/features/api/results.server";
import { achievedText, indicatorName } from "~/features/indicators/format";
import { metaT } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import analyticsStyles from "~/styles/analytics.css";

/**
 * `/results/<country>`: the public results of a country an administrator published (decision
 * 028). No sign-in, no personal data, no script needed; 404 for any other country.
 */

export const PUBLIC_CACHE = "public, max-age=300";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: analyticsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  return [{ title: data ? `${t("results.pageTitle", { country: data.country.name })} · ${t("app.name")}` : t("app.name") }];
};

/** Not published (or unpublished since): 404, and no cache may keep that answer either. */
export const NOT_PUBLISHED_CACHE = "no-store";

export const headers: HeadersFunction = ({ errorHeaders }) => ({
  "Cache-Control": errorHeaders ? NOT_PUBLISHED_CACHE : PUBLIC_CACHE,
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const data = await loadPublicResults(context, params.country ?? "", new URL(request.url).searchParams.get("phase"));
  if (!data)
    throw new Response("There are no public results for this country.", {
      status: 404,
      headers: { "Cache-Control": NOT_PUBLISHED_CACHE },
    });
  return json(data, { headers: { "Cache-Control": PUBLIC_CACHE } });
}

export default function Results() {
  const { country, phase, totals, indicators } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("results.title", { country: country.name })}</h1>
      {!phase || !totals ? (
        <p>{t("results.noPhase")}</p>
      ) : (
        <>
          <p className="lede">
            {t("results.intro", {
              country: country.name,
              phase: phase.name,
              from: t.date(phase.startsOn),
              to: t.date(phase.endsOn),
            })}
          </p>
          <p>
            <a href={`/results/${country.code}/results.csv?phase=${encodeURIComponent(phase.key)}`}>{t("results.csv")}</a>
          </p>
          <h2>{t("results.totals")}</h2>
          <ScrollTable label={t("results.totals")} className="data">
            <thead>
              <tr>
                <th scope="col">{t("results.col.measure")}</th>
                <th scope="col">{t("results.col.total")}</th>
                <th scope="col">{t("results.col.women2")}</th>
                <th scope="col">{t("results.col.men")}</th>
              </tr>
            </thead>
            <tbody>
              {UNSEXED.map((u) => (
                <tr key={u.key}>
                  <th scope="row">{t(`indicators.totals.${u.key}`)}</th>
                  <td className="numeric">{t.number(totals[u.v])}</td>
                  <td className="numeric muted">{t("indicators.totals.notRecorded")}</td>
                  <td className="numeric muted">{t("indicators.totals.notRecorded")}</td>
                </tr>
              ))}
              {BY_SEX.map((b) => (
                <tr key={b.key}>
                  <th scope="row">{t(`indicators.totals.${b.key}`)}</th>
                  <td className="numeric">{t.number(totals[b.f] + totals[b.m])}</td>
                  <td className="numeric">{t.number(totals[b.f])}</td>
                  <td className="numeric">{t.number(totals[b.m])}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <BarChart
            title={t("results.bySex")}
            unit=""
            series={[
              { label: t("results.col.women2"), className: "bar-a" },
              { label: t("results.col.men"), className: "bar-b" },
            ]}
            rows={BY_SEX.map((b) => ({ label: t(`indicators.totals.${b.key}`), values: [totals[b.f], totals[b.m]] }))}
          />
          <h2>{t("results.indicators")}</h2>
          {indicators.length === 0 ? (
            <p>{t("results.noIndicators")}</p>
          ) : (
            <ScrollTable label={t("results.indicators")} className="data">
              <thead>
                <tr>
                  <th scope="col">{t("results.col.indicator")}</th>
                  <th scope="col">{t("results.col.target")}</th>
                  <th scope="col">{t("results.col.actual")}</th>
                  <th scope="col">{t("results.col.women")}</th>
                  <th scope="col">{t("results.col.percent")}</th>
                </tr>
              </thead>
              <tbody>
                {indicators.map((i) => (
                  <tr key={i.key}>
                    <th scope="row">{indicatorName(t, i.key)}</th>
                    <td className="numeric">{i.target === null ? "—" : t.number(i.target)}</td>
                    <td className="numeric">{i.actual === null ? "—" : t.number(i.actual)}</td>
                    <td className="numeric">{i.women === null ? "—" : t.number(i.women)}</td>
                    <td className="numeric">{achievedText(t, i.achieved)}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          )}
        </>
      )}
    </div>
  );
}
