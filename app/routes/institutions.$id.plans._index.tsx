import { moduleNameIn } from "~/i18n/template-labels";
import { resolveLocale } from "~/i18n/server";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { canPlan, PLAN_NOT_FOUND } from "~/features/handover/plan-access.server";
import { requireInstitution } from "~/platform/guard.server";
import { PlanForm, type PlanFormState } from "~/features/handover/PlanForm";
import { readPlanForm, reshapePlanForm } from "~/features/handover/plan-form";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { formValues } from "~/features/reports/report-form";
import { insertPlan, listPlans } from "../../db/queries/handover";
import { listModules } from "../../db/queries/institutions";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Handover plans · ${data.institution.name} · Pathways` : "Not found · Pathways" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "view", { notFound: PLAN_NOT_FOUND });
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
    modules: modules.map((m) => ({ value: m.code, label: `${m.code} ${moduleNameIn(m, resolveLocale(request, actor))}` })),
    canEdit: canPlan(actor, "edit", institution),
  });
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "plan_edit", { notFound: PLAN_NOT_FOUND });
  const values = formValues(await readForm(request));
  const modules = (await listModules(context.db)).map((m) => m.code);
  const t = getTranslator(request, actor);
  // A row added or removed: the form comes back with its rows changed, nothing saved.
  const reshaped = reshapePlanForm(values, values.intent ?? "", t);
  if (reshaped)
    return reshaped.ok
      ? json({ values: reshaped.values, errors: {} as Record<string, string>, focus: reshaped.focus as string | undefined })
      : json({ values: reshaped.values, errors: reshaped.errors, focus: undefined }, { status: 400 });
  const parsed = readPlanForm(values, modules, t);
  if (!parsed.ok) return json({ values, errors: parsed.errors, focus: undefined }, { status: 400 });
  const id = crypto.randomUUID();
  await context.db
    .transaction()
    .execute((trx) =>
      insertPlan(trx, { id, institutionId: institution.id, scenarioOf: null, ...parsed.plan }, actor.name, new Date()),
    );
  const notice = t("handover.plans.created", { name: parsed.plan.name });
  return redirectWithNotice(request, context, `/institutions/${institution.id}/plans/${id}`, notice);
}

export default function PlansPage() {
  const data = useLoaderData<typeof loader>();
  const inst = data.institution;
  const t = useT();
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to="/institutions">{t("handover.crumb.institutions")}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span>{" "}
        <span>{t("handover.crumb.plans")}</span>
      </nav>
      <h1>{t("handover.crumb.plans")}</h1>
      <p className="subtitle">{t("handover.plans.lede", { institution: inst.name })}</p>
      {data.plans.length === 0 ? (
        <p className="empty">{t("handover.plans.none")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="plans-caption" tabIndex={0}>
          <table className="data">
            <caption id="plans-caption">{t.plural("handover.plans.caption", data.plans.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("handover.plans.col.plan")}</th>
                <th scope="col">{t("handover.plans.col.status")}</th>
                <th scope="col">{t("handover.plans.col.exit")}</th>
                <th scope="col">{t("handover.plans.col.changed")}</th>
              </tr>
            </thead>
            <tbody>
              {data.plans.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/institutions/${inst.id}/plans/${p.id}`}>{p.name}</Link>
                    {p.scenarioOf ? <span className="tag"> {t("handover.plans.scenario")}</span> : null}
                    <span className="muted small"> {p.currency}</span>
                  </th>
                  <td>
                    <span className={`status-badge status-${p.status}`}>{t(`handover.status.${p.status}`)}</span>
                  </td>
                  <td>{p.exitYear}</td>
                  <td>
                    {t.date(p.updatedAt)}{" "}
                    <span className="muted small">{t("handover.plans.createdBy", { name: p.createdBy })}</span>
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
  const t = useT();
  const state: PlanFormState = refused ?? {
    values: { currency: data.institution.currency, varianceThresholdPp: "10" },
    errors: {},
  };
  return (
    <section className="panel" aria-labelledby="new-plan-heading">
      <h2 id="new-plan-heading">{t("handover.plans.new")}</h2>
      <PlanForm state={state} modules={data.modules} submitLabel={t("handover.plans.create")} />
    </section>
  );
}
