import { localiseDefinition } from "~/i18n/template-labels";
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadPlanOf, requirePlan } from "~/features/handover/plan-access.server";
import { localFormats, planTable, type PlanTableRow } from "~/features/handover/plan-view";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { getTemplate } from "../../db/queries/institutions";
import { compareFunding } from "~/features/handover/compare-funding";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.left.name} and ${data.right.name} · Pathways` : "Not found · Pathways" },
];

/** Two plans of one institution side by side, year by year (`?with=<otherPlanId>`). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const withId = new URL(request.url).searchParams.get("with");
  // No plan chosen yet: the picker is on the plan's own page.
  if (!withId) return redirect(`/institutions/${institution.id}/plans/${plan.id}`);
  const other = await loadPlanOf(context, institution.id, withId);
  const t = getTranslator(request, actor);
  const def = localiseDefinition((await getTemplate(context.db, institution.template_id)).definition, t.locale);
  const side = (p: typeof plan) => {
    const table = planTable(p, def, localFormats(t));
    return {
      id: p.id,
      name: p.name,
      currency: p.currency,
      status: t(`handover.status.${p.status}`),
      rows: table.rows,
      floors: table.summary.floors,
    };
  };
  const left = side(plan);
  const right = side(other);
  const years = [...new Set([...left.rows, ...right.rows].map((r) => r.year))].sort((a, b) => a - b);
  const fmt = localFormats(t);
  // Totals over all years per source; "differs" marks the sources where the scenarios part.
  const funding = compareFunding(plan, other).map((c) => ({
    source: c.source,
    a: fmt.money(c.aMinor),
    b: fmt.money(c.bMinor),
    diff: c.diffMinor > 0 ? `+${fmt.money(c.diffMinor)}` : fmt.money(c.diffMinor),
    differs: c.differs,
  }));
  return json({ institution: { id: institution.id, name: institution.name }, left, right, years, funding });
}

const FIGURES: [keyof PlanTableRow, string][] = [
  ["cost", "handover.col.cost"],
  ["funded", "handover.col.funded"],
  ["nonIloShare", "handover.col.nonIloShare"],
  ["gap", "handover.col.gap"],
];

export default function ComparePlans() {
  const { institution: inst, left, right, years, funding } = useLoaderData<typeof loader>();
  const base = `/institutions/${inst.id}/plans`;
  const row = (rows: PlanTableRow[], year: number) => rows.find((r) => r.year === year);
  const t = useT();
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={base}>{t("handover.crumb.plans")}</Link> <span aria-hidden="true">/</span>{" "}
        <span>{t("handover.crumb.comparison")}</span>
      </nav>
      <h1>{t("handover.compare.title")}</h1>
      <p className="subtitle">
        A: <Link to={`${base}/${left.id}`}>{left.name}</Link> ({left.status}, {left.currency}) · B:{" "}
        <Link to={`${base}/${right.id}`}>{right.name}</Link> ({right.status}, {right.currency})
      </p>
      <div className="table-scroll" role="region" aria-labelledby="compare-caption" tabIndex={0}>
        <table className="data">
          <caption id="compare-caption">{t("handover.compare.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("handover.col.year")}</th>
              {FIGURES.map(([key, label]) => (
                <th scope="col" key={key} colSpan={2}>
                  {t(label)}
                </th>
              ))}
            </tr>
            <tr>
              <td />
              {FIGURES.map(([key]) => [
                <th scope="col" key={`${key}-a`}>
                  A
                </th>,
                <th scope="col" key={`${key}-b`}>
                  B
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y}>
                <th scope="row">{y}</th>
                {FIGURES.map(([key]) => [
                  <td className="num" key={`${key}-a`}>
                    {String(row(left.rows, y)?.[key] ?? "—")}
                  </td>,
                  <td className="num" key={`${key}-b`}>
                    {String(row(right.rows, y)?.[key] ?? "—")}
                  </td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="compare-funding">{t("handover.compare.funding")}</h2>
      <div className="table-scroll" role="region" aria-labelledby="compare-funding" tabIndex={0}>
        <table className="data compare-funding">
          <caption className="visually-hidden">{t("handover.compare.fundingCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("handover.compare.source")}</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">{t("handover.compare.difference")}</th>
            </tr>
          </thead>
          <tbody>
            {funding.map((f) => (
              <tr key={f.source} className={f.differs ? "differs" : undefined}>
                <th scope="row">{t(`handover.source.${f.source}`)}</th>
                <td className="num">{f.a}</td>
                <td className="num">{f.b}</td>
                <td className="num">
                  {f.differs ? (
                    <>
                      <span className="diff-marker" aria-hidden="true">
                        ≠{" "}
                      </span>
                      <span className="visually-hidden">{t("handover.compare.differs")} </span>
                      {f.diff}
                    </>
                  ) : (
                    <span className="muted">{t("handover.compare.same")}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("handover.dossier.floors")}</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("handover.compare.floor")}</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {left.floors.map((f, i) => (
            <tr key={f.stageKey}>
              <th scope="row">{t("handover.compare.floorName", { stage: f.stageName, pct: t.percent(f.thresholdPct, 2) })}</th>
              <td>{f.firstYear ?? t("handover.floor.never")}</td>
              <td>{right.floors[i]?.firstYear ?? t("handover.floor.never")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
