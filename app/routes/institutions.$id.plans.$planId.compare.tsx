import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadPlanOf, requirePlan } from "~/components/handover/access.server";
import { planTable, type PlanTableRow } from "~/components/handover/plan-view";
import { STATUS_TEXT } from "~/components/handover/status";
import { getTemplate } from "../../db/queries/institutions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.left.name} and ${data.right.name} · Pathways` : "Not found · Pathways" },
];

/** Two plans of one institution side by side, year by year (`?with=<otherPlanId>`). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { institution, plan } = await requirePlan(request, params, context);
  const withId = new URL(request.url).searchParams.get("with");
  // No plan chosen yet: the picker is on the plan's own page.
  if (!withId) return redirect(`/institutions/${institution.id}/plans/${plan.id}`);
  const other = await loadPlanOf(context, institution.id, withId);
  const def = (await getTemplate(context.db, institution.template_id)).definition;
  const side = (p: typeof plan) => {
    const t = planTable(p, def);
    return { id: p.id, name: p.name, currency: p.currency, status: STATUS_TEXT[p.status], rows: t.rows, floors: t.summary.floors };
  };
  const left = side(plan);
  const right = side(other);
  const years = [...new Set([...left.rows, ...right.rows].map((r) => r.year))].sort((a, b) => a - b);
  return json({ institution: { id: institution.id, name: institution.name }, left, right, years });
}

const FIGURES: [keyof PlanTableRow, string][] = [
  ["cost", "Cost"],
  ["funded", "Funded"],
  ["nonIloShare", "Non-ILO share"],
  ["gap", "Gap"],
];

export default function ComparePlans() {
  const { institution: inst, left, right, years } = useLoaderData<typeof loader>();
  const base = `/institutions/${inst.id}/plans`;
  const row = (rows: PlanTableRow[], year: number) => rows.find((r) => r.year === year);
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span> <Link to={base}>Handover plans</Link>{" "}
        <span aria-hidden="true">/</span> <span>Comparison</span>
      </nav>
      <h1>Two plans side by side</h1>
      <p className="subtitle">
        A: <Link to={`${base}/${left.id}`}>{left.name}</Link> ({left.status}, {left.currency}) · B: <Link to={`${base}/${right.id}`}>{right.name}</Link> (
        {right.status}, {right.currency})
      </p>
      <div className="table-scroll" role="region" aria-labelledby="compare-caption" tabIndex={0}>
        <table className="data">
          <caption id="compare-caption">Per year, plan A then plan B</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              {FIGURES.map(([key, label]) => (
                <th scope="col" key={key} colSpan={2}>
                  {label}
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
      <h2>When the stage floors are met</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Stage floor</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {left.floors.map((f, i) => (
            <tr key={f.stageKey}>
              <th scope="row">
                {f.stageName} (≥ {f.thresholdPct} %)
              </th>
              <td>{f.firstYear ?? "not within the plan"}</td>
              <td>{right.floors[i]?.firstYear ?? "not within the plan"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
