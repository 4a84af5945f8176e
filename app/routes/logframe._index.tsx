import { resolveLocale } from "~/i18n/server";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { TableLink } from "~/components/TableLink";
import { actualText, achievedText, indicatorName, logframeQuery, partName, targetText } from "~/features/indicators/format";
import { loadLogframe } from "~/features/indicators/logframe.server";
import { useT } from "~/i18n/react";
import logframeStyles from "~/styles/logframe.css";
import { requireActor } from "~/platform/access.server";
import { PhasePicker } from "~/features/indicators/PhasePicker";

export const meta: MetaFunction = () => [{ title: "Logframe · Pathways" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: logframeStyles }];

/**
 * `/logframe?phase=&asAt=`: indicators as rows, countries as columns (target | actual | % achieved),
 * actuals counted up to the day asked (default today, inside the phase). A day outside the phase
 * answers 400 with the error next to the date field, and the figures of the default day.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const params = new URL(request.url).searchParams;
  const data = await loadLogframe(
    context.db,
    actor,
    params.get("phase"),
    new Date(),
    params.get("asAt"),
    resolveLocale(request, actor),
  );
  const saved = params.get("saved") === "1";
  const asked = params.get("asAt") ?? "";
  return json({ data, saved, asked }, { status: data?.asAtError ? 400 : 200, headers: { "Cache-Control": "private, no-store" } });
}

export default function Logframe() {
  const { data, saved, asked } = useLoaderData<typeof loader>();
  const t = useT();
  if (!data)
    return (
      <div className="page">
        <h1>{t("indicators.title")}</h1>
        <p className="notice notice-warn">{t("indicators.noPhases")}</p>
      </div>
    );
  const { phase, asAt } = data;
  const q = `phase=${encodeURIComponent(phase.key)}`;
  const qAt = `${q}&asAt=${encodeURIComponent(asAt)}`;
  const stageName = data.stages.find((s) => s.key === data.settings.embeddingStage)?.name ?? data.settings.embeddingStage ?? "";
  const embeddingHow = !data.settings.embeddingPortfolioFlag
    ? null
    : data.settings.embeddingStage === null
      ? t("indicators.how.embeddingFlag")
      : t("indicators.how.embeddingBoth", { stage: stageName });
  const asAtError = data.asAtError ? t(data.asAtError, { start: t.date(phase.startsOn), end: t.date(phase.endsOn) }) : null;
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
      <Form method="get" className="logframe-as-at" noValidate>
        <input type="hidden" name="phase" value={phase.key} />
        <div className={`field${asAtError ? " has-error" : ""}`}>
          <label htmlFor="logframe-as-at">{t("indicators.asAt.label")}</label>
          <p className="field-hint" id="logframe-as-at-hint">
            {t("indicators.asAt.hint", { start: t.date(phase.startsOn), end: t.date(phase.endsOn) })}
          </p>
          {asAtError ? (
            <p className="field-error" id="logframe-as-at-error">
              {asAtError}
            </p>
          ) : null}
          <input
            id="logframe-as-at"
            name="asAt"
            type="date"
            min={phase.startsOn}
            max={phase.endsOn}
            defaultValue={asAtError ? asked : asAt}
            aria-invalid={asAtError ? true : undefined}
            aria-describedby={asAtError ? "logframe-as-at-hint logframe-as-at-error" : "logframe-as-at-hint"}
          />
        </div>
        <button type="submit" className="button button-secondary">
          {t("indicators.asAt.show")}
        </button>
      </Form>
      <p className="as-at-line" data-as-at={asAt}>
        <strong>{t("indicators.asAt.line", { date: t.date(asAt) })}</strong>
      </p>
      <div className="logframe-actions">
        <span>{t("indicators.downloads")}:</span>
        <a href={`/logframe.csv?${qAt}`} download>
          {t("indicators.download.csv")}
        </a>
        <a href={`/logframe.xlsx?${qAt}`} download>
          {t("indicators.download.xlsx")}
        </a>
        <a href={`/logframe.pdf?${qAt}`} download>
          {t("indicators.download.pdf")}
        </a>
      </div>
      {data.countries.length === 0 ? (
        <p className="notice notice-warn">{t("indicators.noCountries")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="logframe-caption" tabIndex={0}>
          <table className="logframe-table">
            <caption id="logframe-caption">
              {t("indicators.caption", { phase: phase.name })} · {t("indicators.asAt.line", { date: t.date(asAt) })}
            </caption>
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
                <tr
                  key={`${row.key}|${row.dimension}`}
                  data-indicator={row.key}
                  data-dimension={row.dimension || undefined}
                  className={row.dimension ? "logframe-part" : undefined}
                >
                  <th scope="row">
                    {partName(t, row.key, row.dimension)}
                    {row.source === "manual" ? <span className="manual-mark">{t("indicators.manual")}</span> : null}
                    {row.dimension ? null : (
                      <span className="how">
                        {row.key === "institutions_embedding" && embeddingHow
                          ? embeddingHow
                          : t(`indicators.how.${row.key}`, { stage: stageName })}
                      </span>
                    )}
                  </th>
                  {row.cells.map((cell) => {
                    const country = data.countries.find((c) => c.code === cell.country)!;
                    const link = `/logframe/records?${logframeQuery(phase.key, cell.country, row.key, asAt)}`;
                    return [
                      <td
                        key={`${cell.country}-t`}
                        className="numeric first-of-country"
                        data-country={cell.country}
                        data-cell="target"
                      >
                        {targetText(t, row.unit, cell)}
                        {cell.targetNote ? <span className="how">{cell.targetNote}</span> : null}
                        {data.canEdit ? (
                          <TableLink
                            className="edit-link"
                            to={`/logframe/edit?${logframeQuery(phase.key, cell.country, row.key, undefined, row.dimension)}`}
                            aria-label={t("indicators.editLabel", {
                              indicator: partName(t, row.key, row.dimension),
                              country: country.name,
                            })}
                          >
                            {t("indicators.edit")}
                          </TableLink>
                        ) : null}
                      </td>,
                      <td key={`${cell.country}-a`} className="numeric" data-country={cell.country} data-cell="actual">
                        <TableLink
                          to={link}
                          aria-label={`${actualText(t, row.unit, cell)} · ${t("indicators.recordsLink", { indicator: indicatorName(t, row.key), country: country.name })}`}
                        >
                          {actualText(t, row.unit, cell)}
                        </TableLink>
                        {cell.manual ? <span className="manual-mark">{t("indicators.manual")}</span> : null}
                        {cell.evidence ? (
                          <span className="how">
                            {/^https?:\/\//i.test(cell.evidence) ? (
                              <a href={cell.evidence} rel="noreferrer noopener">
                                {cell.evidence}
                              </a>
                            ) : (
                              cell.evidence
                            )}
                          </span>
                        ) : null}
                      </td>,
                      <td key={`${cell.country}-p`} className="numeric" data-country={cell.country} data-cell="achieved">
                        {achievedText(t, cell.achieved, cell.exceeded)}
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
          <h2 id="logframe-settings">{t("indicators.settings.phaseTitle", { phase: phase.name })}</h2>
          <p className="field-hint">{t("indicators.settings.hint")}</p>
          <Form method="post" action={`/logframe/edit?${q}`} className="logframe-phase-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="settings" />
            <div className="field">
              <label htmlFor="embedding-stage">{t("indicators.settings.embedding")}</label>
              <select id="embedding-stage" name="embeddingStage" defaultValue={data.settings.embeddingStage ?? ""}>
                <option value="">{t("indicators.settings.stageNone")}</option>
                {data.stages.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-check">
              <input
                id="embedding-flag"
                type="checkbox"
                name="embeddingPortfolioFlag"
                defaultChecked={data.settings.embeddingPortfolioFlag}
              />
              <label htmlFor="embedding-flag">{t("indicators.settings.flag")}</label>
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
