import { resolveLocale } from "~/i18n/server";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { actualText, achievedText, formatFigure, indicatorName, logframeQuery } from "~/features/indicators/format";
import { loadLogframe } from "~/features/indicators/logframe.server";
import { useT } from "~/i18n/react";
import logframeStyles from "~/styles/logframe.css";
import { requireActor } from "~/platform/access.server";
import { PhasePicker } from "~/features/indicators/PhasePicker";

export const meta: MetaFunction = () => [{ title: "Logframe · Pathways" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: logframeStyles }];

/** `/logframe?phase=`: indicators as rows, countries as columns (target | actual | % achieved). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const phase = new URL(request.url).searchParams.get("phase");
  const data = await loadLogframe(context.db, actor, phase, new Date(), resolveLocale(request, actor));
  const saved = new URL(request.url).searchParams.get("saved") === "1";
  return json({ data, saved }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function Logframe() {
  const { data, saved } = useLoaderData<typeof loader>();
  const t = useT();
  if (!data)
    return (
      <div className="page">
        <h1>{t("indicators.title")}</h1>
        <p className="notice notice-warn">{t("indicators.noPhases")}</p>
      </div>
    );
  const { phase } = data;
  const q = `phase=${encodeURIComponent(phase.key)}`;
  const stageName = data.stages.find((s) => s.key === data.settings.embeddingStage)?.name ?? data.settings.embeddingStage;
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {t("indicators.title")}: {phase.name}
        </h1>
        <Link to={`/totals?${q}`}>{t("indicators.totalsLink")}</Link>
      </div>
      <p className="lede">
        {t("indicators.lede", { phase: phase.name, start: t.date(phase.startsOn), end: t.date(phase.endsOn) })}
      </p>
      {saved ? (
        <p className="notice" role="status">
          {t("indicators.editPage.saved")}
        </p>
      ) : null}
      <PhasePicker id="logframe-phase" phases={data.phases} current={phase.key} />
      <div className="logframe-actions">
        <span>{t("indicators.downloads")}:</span>
        <a href={`/logframe.csv?${q}`} download>
          {t("indicators.download.csv")}
        </a>
        <a href={`/logframe.xlsx?${q}`} download>
          {t("indicators.download.xlsx")}
        </a>
        <a href={`/logframe.pdf?${q}`} download>
          {t("indicators.download.pdf")}
        </a>
      </div>
      {data.countries.length === 0 ? (
        <p className="notice notice-warn">{t("indicators.noCountries")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="logframe-caption" tabIndex={0}>
          <table className="logframe-table">
            <caption id="logframe-caption">{t("indicators.caption", { phase: phase.name })}</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {t("indicators.col.indicator")}
                </th>
                {data.countries.map((c) => (
                  <th key={c.code} scope="colgroup" colSpan={3} className="country-head">
                    {c.name}
                  </th>
                ))}
              </tr>
              <tr>
                {data.countries.map((c) => [
                  <th key={`${c.code}-t`} scope="col" className="numeric first-of-country">
                    {t("indicators.col.target")}
                  </th>,
                  <th key={`${c.code}-a`} scope="col" className="numeric">
                    {t("indicators.col.actual")}
                  </th>,
                  <th key={`${c.code}-p`} scope="col" className="numeric">
                    {t("indicators.col.achieved")}
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.key} data-indicator={row.key}>
                  <th scope="row">
                    {indicatorName(t, row.key)}
                    {row.source === "manual" ? <span className="manual-mark">{t("indicators.manual")}</span> : null}
                    <span className="how">{t(`indicators.how.${row.key}`, { stage: stageName })}</span>
                  </th>
                  {row.cells.map((cell) => {
                    const country = data.countries.find((c) => c.code === cell.country)!;
                    const link = `/logframe/records?${logframeQuery(phase.key, cell.country, row.key)}`;
                    return [
                      <td
                        key={`${cell.country}-t`}
                        className="numeric first-of-country"
                        data-country={cell.country}
                        data-cell="target"
                      >
                        {formatFigure(t, row.unit, cell.target)}
                        {data.canEdit ? (
                          <Link
                            className="edit-link"
                            to={`/logframe/edit?${logframeQuery(phase.key, cell.country, row.key)}`}
                            aria-label={t("indicators.editLabel", {
                              indicator: indicatorName(t, row.key),
                              country: country.name,
                            })}
                          >
                            {t("indicators.edit")}
                          </Link>
                        ) : null}
                      </td>,
                      <td key={`${cell.country}-a`} className="numeric" data-country={cell.country} data-cell="actual">
                        <Link
                          to={link}
                          aria-label={`${actualText(t, row.unit, cell)} · ${t("indicators.recordsLink", { indicator: indicatorName(t, row.key), country: country.name })}`}
                        >
                          {actualText(t, row.unit, cell)}
                        </Link>
                        {cell.manual ? <span className="manual-mark">{t("indicators.manual")}</span> : null}
                      </td>,
                      <td key={`${cell.country}-p`} className="numeric" data-country={cell.country} data-cell="achieved">
                        {achievedText(t, cell.achieved)}
                      </td>,
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        <span className="manual-mark">{t("indicators.manual")}</span> {t("indicators.manual.legend")}
      </p>
      {data.canEdit ? (
        <section aria-labelledby="logframe-settings">
          <h2 id="logframe-settings">{t("indicators.settings.title")}</h2>
          <Form method="post" action={`/logframe/edit?${q}`} className="logframe-phase-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="settings" />
            <div className="field">
              <label htmlFor="embedding-stage">{t("indicators.settings.embedding")}</label>
              <select id="embedding-stage" name="embeddingStage" defaultValue={data.settings.embeddingStage}>
                {data.stages.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button-secondary">
              {t("indicators.settings.save")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
