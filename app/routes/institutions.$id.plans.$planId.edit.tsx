import { moduleNameIn } from "~/i18n/template-labels";
import { resolveLocale } from "~/i18n/server";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { assertCanPlan, requirePlan } from "~/features/handover/plan-access.server";
import { PlanForm, type PlanFormState } from "~/features/handover/PlanForm";
import { planToFormValues, readPlanForm, reshapePlanForm } from "~/features/handover/plan-form";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { formValues } from "~/features/reports/report-form";
import { updatePlanContent } from "../../db/queries/handover";
import { listModules } from "../../db/queries/institutions";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Change ${data.plan.name} · Pathways` : "Not found · Pathways" },
];

/** Changing a draft or returned plan: the same form as a new plan, filled in. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  assertCanPlan(actor, "edit", institution);
  if (plan.status !== "draft" && plan.status !== "returned")
    throw new Response(getTranslator(request, actor)("handover.edit.notEditable"), { status: 409 });
  const modules = await listModules(context.db);
  return json({
    institution: { id: institution.id, name: institution.name },
    plan: { id: plan.id, name: plan.name, reviewComment: plan.reviewComment },
    values: planToFormValues(plan),
    modules: modules.map((m) => ({ value: m.code, label: `${m.code} ${moduleNameIn(m, resolveLocale(request, actor))}` })),
  });
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  assertCanPlan(actor, "edit", institution);
  const t = getTranslator(request, actor);
  const values = formValues(await readForm(request));
  // A row added or removed: the form comes back with its rows changed, nothing saved.
  const reshaped = reshapePlanForm(values, values.intent ?? "", t);
  if (reshaped)
    return reshaped.ok
      ? json({
          values: reshaped.values,
          errors: {} as Record<string, string>,
          error: null as string | null,
          focus: reshaped.focus as string | undefined,
        })
      : json(
          { values: reshaped.values, errors: reshaped.errors, error: null as string | null, focus: undefined },
          { status: 400 },
        );
  const parsed = readPlanForm(
    values,
    (await listModules(context.db)).map((m) => m.code),
    t,
  );
  if (!parsed.ok) return json({ values, errors: parsed.errors, error: null as string | null, focus: undefined }, { status: 400 });
  const saved = await context.db
    .transaction()
    .execute((trx) => updatePlanContent(trx, plan.id, parsed.plan, actor.name, new Date()));
  if (!saved)
    return json(
      { values, errors: {} as Record<string, string>, error: t("handover.edit.notEditable") as string | null, focus: undefined },
      { status: 409 },
    );
  return redirectWithNotice(request, context, `/institutions/${institution.id}/plans/${plan.id}`, t("handover.edit.changed"));
}

export default function EditPlan() {
  const data = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const state: PlanFormState = refused ?? { values: data.values, errors: {} };
  const base = `/institutions/${data.institution.id}/plans`;
  const t = useT();
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to={`/institutions/${data.institution.id}`}>{data.institution.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={base}>{t("handover.crumb.plans")}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`${base}/${data.plan.id}`}>{data.plan.name}</Link>
      </nav>
      <h1>{t("handover.edit.title")}</h1>
      {data.plan.reviewComment ? (
        <p className="notice notice-warn">
          {t("handover.plan.iloComment")} <span className="comment">“{data.plan.reviewComment}”</span>
        </p>
      ) : null}
      {refused?.error ? (
        <p className="notice notice-bad" role="alert">
          {refused.error}
        </p>
      ) : null}
      <PlanForm state={state} modules={data.modules} submitLabel={t("handover.form.save")} />
    </div>
  );
}
