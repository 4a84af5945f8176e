import { ListRange, Pager } from "~/components/ListControls";
import { pageWindow } from "~/platform/list-query";
import { json, redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actualText, indicatorName } from "~/features/indicators/format";
import { loadActualRecords, type CellView } from "~/features/indicators/logframe.server";
import { indicatorDefinition } from "~/features/indicators/indicators";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import logframeStyles from "~/styles/logframe.css";
import { requireActor } from "~/platform/access.server";
import { describeRecords, type RecordRow } from "../../db/queries/indicators";

const RECORDS_PAGE_SIZE = 100;

export const meta: MetaFunction = () => [{ title: "Logframe records · Pathways" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: logframeStyles }];

/**
 * `/logframe/records?phase=&country=&indicator=&asAt=`: the records one actual was computed from
 * (as at the day the logframe showed), or its manual entry. Without its parameters the address
 * goes to the logframe.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const p = new URL(request.url).searchParams;
  if (!p.get("phase") || !p.get("country") || !p.get("indicator")) throw redirect("/logframe");
  const found = await loadActualRecords(context.db, actor, {
    phase: p.get("phase"),
    country: p.get("country"),
    indicator: p.get("indicator"),
    asAt: p.get("asAt"),
  });
  const window = pageWindow(found.refs.length, Number(p.get("page")) || 1, RECORDS_PAGE_SIZE);
  const a = found.cell.actual;
  const cell: Pick<CellView, "value" | "manual" | "entered" | "unknown" | "women" | "perCurrency"> = {
    value: a.value,
    manual: a.kind === "manual",
    entered: a.kind === "manual" ? a.entry !== null : true,
    unknown: a.kind === "manual" && a.entry !== null && a.entry.value === null,
    women: a.kind === "computed" ? (a.women ?? null) : null,
    perCurrency:
      a.kind === "computed" && a.perCurrency && a.perCurrency.length > 1
        ? a.perCurrency.map((x) => ({ currency: x.currency, percent: x.percent }))
        : null,
  };
  return json({
    phase: found.phase,
    asAt: found.asAt,
    country: found.country,
    indicatorKey: found.indicatorKey,
    unit: indicatorDefinition(found.indicatorKey)!.unit,
    cell,
    manual: a.kind === "manual" ? a.entry : null,
    // A page of the records at a time (an actual can rest on thousands of cycles), each section
    // paged by the database.
    records: await describeRecords(context.db, found.refs, { offset: window.offset, limit: window.per }),
    window,
  });
}

function detail(t: Translator, r: RecordRow): string {
  const d = r.detail;
  switch (r.type) {
    case "trainer":
      return [
        t(d.sex === "female" ? "indicators.detail.female" : "indicators.detail.male"),
        d.nationalExpert ? t("indicators.detail.expert") : "",
      ]
        .filter(Boolean)
        .join(", ");
    case "cycle": {
      const cur = String(d.currency);
      const parts = [
        t("indicators.detail.cost", { cost: t.money(BigInt(String(d.cost)), cur), ilo: t.money(BigInt(String(d.ilo)), cur) }),
      ];
      if (d.enterpriseFee !== "0") parts.push(t("indicators.detail.fee", { fee: t.money(BigInt(String(d.enterpriseFee)), cur) }));
      return parts.join("; ");
    }
    case "commitment":
      return d.endsOn ? t("indicators.detail.until", { date: t.date(String(d.endsOn)) }) : t("indicators.detail.openEnded");
    case "institution":
      return [
        d.mouSignedOn ? t("indicators.detail.mou", { date: t.date(String(d.mouSignedOn)) }) : "",
        d.businessPlanAdoptedOn ? t("indicators.detail.plan", { date: t.date(String(d.businessPlanAdoptedOn)) }) : "",
      ]
        .filter(Boolean)
        .join("; ");
  }
}

export default function LogframeRecords() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const name = indicatorName(t, data.indicatorKey);
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to={`/logframe?phase=${encodeURIComponent(data.phase.key)}&asAt=${encodeURIComponent(data.asAt)}`}>
          {t("indicators.records.back")}
        </Link>
      </nav>
      <h1>{t("indicators.records.title", { indicator: name, country: data.country.name })}</h1>
      <p className="lede">
        {t("indicators.records.lede", {
          phase: data.phase.name,
          start: t.date(data.phase.startsOn),
          end: t.date(data.phase.endsOn),
          actual: actualText(t, data.unit, data.cell),
        })}{" "}
        {t("indicators.asAt.line", { date: t.date(data.asAt) })}
      </p>
      {data.cell.manual ? (
        <p className="notice notice-warn">
          <span className="manual-mark">{t("indicators.manual")}</span>{" "}
          {data.manual ? (
            <>
              {t("indicators.records.manual", {
                name: data.manual.enteredBy || "—",
                date: t.date(data.manual.enteredAt),
                evidence: "",
              })}
              {/^https?:\/\//i.test(data.manual.evidence) ? (
                <a href={data.manual.evidence} rel="noreferrer noopener">
                  {data.manual.evidence}
                </a>
              ) : (
                <span>{data.manual.evidence}</span>
              )}
              {data.manual.note ? <span className="muted"> · {data.manual.note}</span> : null}
            </>
          ) : (
            t("indicators.records.manualNone")
          )}
        </p>
      ) : data.records.length === 0 ? (
        <p className="notice">{t("indicators.records.empty")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="records-caption" tabIndex={0}>
          <table>
            <caption id="records-caption">
              {t("indicators.records.caption")} ({t.number(data.window.total)})
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("indicators.records.col.type")}</th>
                <th scope="col">{t("indicators.records.col.name")}</th>
                <th scope="col">{t("indicators.records.col.institution")}</th>
                <th scope="col">{t("indicators.records.col.date")}</th>
                <th scope="col">{t("indicators.records.col.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {data.records.map((r) => (
                <tr key={`${r.type}-${r.id}`} data-record={r.id}>
                  <td>{t(`indicators.recordType.${r.type}`)}</td>
                  <td>{r.label}</td>
                  <td>
                    <Link to={`/institutions/${r.institutionId}`}>{r.institutionName}</Link>
                  </td>
                  <td>{t.date(r.date)}</td>
                  <td>{detail(t, r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListRange window={data.window} />
      <Pager window={data.window} />
    </div>
  );
}
