import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { day } from "~/components/format";
import { assertCanPlan, canPlan, requireInstitution } from "~/components/handover/access.server";
import { STATUS_TEXT } from "~/components/handover/status";
import { PlanForm } from "~/components/handover/PlanForm";
import { readPlanForm } from "~/components/handover/plan-form";
import type { FormState } from "~/components/forms/fields";
import { formValues } from "~/utils/report-form";
import { insertPlan, listPlans } from "../../db/queries/handover";
import { listModules } from "../../db/queries/institutions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Handover plans · ${data.institution.name} · Pathways` : "Not found · Pathways" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context);
  const [plans, modules] = await Promise.all([listPlans(context.db, institution.id), listModules(context.db)]);
  return json({
    institution: { id: institution.id, name: institution.name, currency: institution.currency },
    plans: plans.map((p) => ({
      id: p.id,
      name: p.name,
      currency: p.currency,
      exitYear: p.exit_year,
      status: p.status,
      scenarioOf: p.scenario_of,
      createdBy: p.created_by,
      updatedAt: p.updated_at.toISOString(),
    })),
    modules: modules.map((m) => ({ value: m.code, label: `${m.code} ${m.name}` })),
    canEdit: canPlan(actor, "edit", institution),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context);
  assertCanPlan(actor, "edit", institution);
  const values = formValues(await request.formData());
  const modules = (await listModules(context.db)).map((m) => m.code);
  const parsed = readPlanForm(values, modules);
  if (!parsed.ok) return json({ values, errors: parsed.errors }, { status: 400 });
  const id = crypto.randomUUID();
  await context.db.transaction().execute((trx) =>
    insertPlan(trx, { id, institutionId: institution.id, scenarioOf: null, ...parsed.plan }, actor.name, new Date()),
  );
  const notice = `Plan "${parsed.plan.name}" created as a draft.`;
  return redirect(`/institutions/${institution.id}/plans/${id}?notice=${encodeURIComponent(notice)}`);
}

export default function PlansPage() {
  const data = useLoaderData<typeof loader>();
  const inst = data.institution;
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/institutions">Institutions</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span> <span>Handover plans</span>
      </nav>
      <h1>Handover plans</h1>
      <p className="subtitle">How {inst.name} plans to fund SCORE delivery year by year until the ILO exits.</p>
      {data.plans.length === 0 ? (
        <p>No handover plan yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="plans-caption" tabIndex={0}>
          <table className="data">
            <caption id="plans-caption">
              {data.plans.length} {data.plans.length === 1 ? "plan" : "plans"}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">ILO exit</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {data.plans.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/institutions/${inst.id}/plans/${p.id}`}>{p.name}</Link>
                    {p.scenarioOf ? <span className="tag"> Scenario</span> : null}
                    <span className="muted small"> {p.currency}</span>
                  </th>
                  <td>
                    <span className={`status-badge status-${p.status}`}>{STATUS_TEXT[p.status]}</span>
                  </td>
                  <td>{p.exitYear}</td>
                  <td>
                    {day(p.updatedAt)} <span className="muted small">created by {p.createdBy}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.canEdit ? <NewPlanForm /> : null}
    </div>
  );
}

function NewPlanForm() {
  const data = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const state: FormState = refused ?? { values: { currency: data.institution.currency, varianceThresholdPp: "10" }, errors: {} };
  return (
    <section className="panel" aria-labelledby="new-plan-heading">
      <h2 id="new-plan-heading">New plan</h2>
      <PlanForm state={state} modules={data.modules} submitLabel="Create the plan" />
    </section>
  );
}
