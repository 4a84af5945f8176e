import { localiseDefinition } from "~/i18n/template-labels";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { assertCanPlan, canPlan, requirePlan, type PlanAction } from "~/features/handover/plan-access.server";
import { PlanTable } from "~/features/handover/PlanTable";
import { localFormats, planTable } from "~/features/handover/plan-view";
import { unitsPerUsd } from "~/features/handover/plan-form";
import { sendPlanStep } from "~/features/handover/workflow.server";
import { actualsByQuarter, quarterOf, shareVariance } from "~/domain/handover";
import { outOfOrderMessage } from "~/domain/handover-steps";
import { render } from "~/i18n/render";
import { refused } from "~/platform/workflow-update.server";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { formValues } from "~/features/reports/report-form";
import { insertPlan, listPlans, loadActualCycles } from "../../db/queries/handover";
import { getTemplate } from "../../db/queries/institutions";
import type { StepActor } from "../../workflows/handover.shared";
import { readForm } from "~/platform/request-body.server";
import { readFlash, redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.plan.name} · Pathways` : "Not found · Pathways" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const template = await getTemplate(context.db, institution.template_id);
  const t = getTranslator(request, actor);
  const fmt = localFormats(t);
  const { summary, rows } = planTable(plan, localiseDefinition(template.definition, t.locale), fmt);
  const years = plan.years.map((y) => y.year);
  const cycles = years.length
    ? await loadActualCycles(context.db, institution.id, `${Math.min(...years)}-01-01`, `${Math.max(...years)}-12-31`)
    : [];
  const actuals = actualsByQuarter(cycles, years).map((a) => {
    const [y, q] = a.quarter.split("-Q").map(Number);
    const v = shareVariance(plan, a, { year: y, q: q as 1 | 2 | 3 | 4 }, plan.varianceThresholdPp);
    return {
      quarter: a.quarter,
      cycles: a.cycles,
      cost: fmt.money(a.costMinor),
      share: fmt.share(a.nonIloShareBp),
      variance: v ? fmt.share(v.varianceBp) : "—",
      exceeded: v?.exceeded ?? false,
    };
  });
  const may = (a: PlanAction) => canPlan(actor, a, institution);
  const steps = {
    submit: (plan.status === "draft" || plan.status === "returned") && may("submit"),
    review: plan.status === "submitted" && may("review"),
    activate: plan.status === "approved" && may("activate"),
    close: plan.status === "active" && may("close"),
    copy: may("edit"),
    edit: (plan.status === "draft" || plan.status === "returned") && may("edit"),
  };
  const others = (await listPlans(context.db, institution.id))
    .filter((p) => p.id !== plan.id)
    .map((p) => ({ id: p.id, name: p.name }));
  const { flash, headers } = readFlash(request, context);
  return json(
    {
      institution: { id: institution.id, name: institution.name },
      plan: {
        id: plan.id,
        name: plan.name,
        currency: plan.currency,
        unitsPerUsd: unitsPerUsd(plan.usdRate),
        exitYear: plan.exitYear,
        status: plan.status,
        statusText: t(`handover.status.${plan.status}`),
        scenarioOf: plan.scenarioOf,
        reviewComment: plan.reviewComment,
        varianceThresholdPp: plan.varianceThresholdPp,
        createdBy: plan.createdBy,
        createdAt: plan.createdAt.toISOString(),
      },
      rows,
      floors: summary.floors,
      totals: { cost: t.money(summary.totalCostMinor, plan.currency), gap: t.money(summary.totalGapMinor, plan.currency) },
      actuals,
      currentQuarter: `${quarterOf(Date.now()).year}-Q${quarterOf(Date.now()).q}`,
      steps,
      others,
      notice: flash.notice,
    },
    { headers },
  );
}

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("approve"), comment: z.string().trim().max(2000).default("") }),
  z.object({
    intent: z.literal("return"),
    comment: z.string().trim().min(1, "Say what to change when returning a plan").max(2000),
  }),
  z.object({ intent: z.literal("activate") }),
  z.object({ intent: z.literal("close"), note: z.string().trim().max(2000).default("") }),
  z.object({ intent: z.literal("copy") }),
]);

const STEP_OF = { submit: "submit", approve: "review", return: "review", activate: "activate", close: "close" } as const;

const DONE_STATUSES = ["submitted", "returned", "approved", "active", "closed"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const parsed = IntentSchema.safeParse(formValues(await readForm(request)));
  if (!parsed.success) return json({ error: parsed.error.issues[0].message }, { status: 400 });
  const input = parsed.data;
  assertCanPlan(actor, input.intent === "copy" ? "edit" : STEP_OF[input.intent], institution);
  const base = `/institutions/${institution.id}/plans`;
  const t = getTranslator(request, actor);

  if (input.intent === "copy") {
    const id = crypto.randomUUID();
    const { id: _old, status: _s, reviewComment: _r, createdAt: _c, updatedAt: _u, createdBy: _b, ...figures } = plan;
    await context.db
      .transaction()
      .execute((trx) =>
        insertPlan(
          trx,
          { ...figures, id, name: t("handover.scenarioName", { name: plan.name }), scenarioOf: plan.id },
          actor.name,
          new Date(),
        ),
      );
    return redirectWithNotice(request, context, `${base}/${id}`, t("handover.done.copied"));
  }

  // A repeated click (or a stale page) is answered from the records, which the workflow writes
  // before it answers: no need to wake it, nor to restart the workflow of a closed plan.
  if (outOfOrderMessage(STEP_OF[input.intent], plan.status)) {
    const refusal = refused("OUT_OF_ORDER", { step: STEP_OF[input.intent], status: plan.status });
    return json({ error: render(t, refusal.message) }, { status: refusal.status });
  }
  const who: StepActor = { id: actor.id, name: actor.name, role: actor.role };
  const sent = await sendPlanStep(context, plan.id, who, input);
  if (!sent.ok) return json({ error: render(t, sent.message) }, { status: sent.status });
  return redirectWithNotice(
    request,
    context,
    `${base}/${plan.id}`,
    DONE_STATUSES.includes(sent.result.status) ? t(`handover.done.${sent.result.status}`) : t("handover.done.other"),
  );
}

export default function PlanPage() {
  const data = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { plan, institution: inst } = data;
  const t = useT();
  const base = `/institutions/${inst.id}/plans`;
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to="/institutions">{t("handover.crumb.institutions")}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={base}>{t("handover.crumb.plans")}</Link> <span aria-hidden="true">/</span> <span>{plan.name}</span>
      </nav>
      <div className="page-head">
        <h1>{plan.name}</h1>
        <div className="button-row">
          <a href={`${base}/${plan.id}/dossier.pdf`} className="button button-secondary" download>
            {t("handover.dossier.download")}
          </a>
          <a href={`${base}/${plan.id}/export.csv`} className="button button-secondary" download>
            {t("handover.plan.csv")}
          </a>
          <a href={`${base}/${plan.id}/export.xlsx`} className="button button-secondary" download>
            {t("handover.xlsx.download")}
          </a>
        </div>
      </div>
      <p className="subtitle">
        <span className={`status-badge status-${plan.status}`}>{plan.statusText}</span> ·{" "}
        {t("handover.plan.subtitle", {
          year: plan.exitYear,
          currency: plan.currency,
          units: plan.unitsPerUsd,
          name: plan.createdBy,
          date: t.date(plan.createdAt),
        })}
        {plan.scenarioOf ? (
          <>
            {" "}
            · {t("handover.plan.scenarioOf")} <Link to={`${base}/${plan.scenarioOf}`}>{t("handover.plan.original")}</Link>
          </>
        ) : null}
      </p>
      {data.notice ? (
        <p className="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      {refused && "error" in refused ? (
        <p className="notice notice-bad" role="alert">
          {refused.error}
        </p>
      ) : null}
      {plan.reviewComment ? (
        <p className="notice notice-warn">
          {t("handover.plan.iloComment")} <span className="comment">“{plan.reviewComment}”</span>
        </p>
      ) : null}

      <PlanTable
        rows={data.rows}
        currency={plan.currency}
        caption={t("handover.plan.caption", { plan: plan.name, currency: plan.currency })}
      />
      <p>{t("handover.plan.totals", { cost: data.totals.cost, gap: data.totals.gap })}</p>
      <h2>{t("handover.dossier.floors")}</h2>
      <ul>
        {data.floors.map((f) => (
          <li key={f.stageKey}>
            {t("handover.floor.line", {
              stage: f.stageName,
              pct: t.percent(f.thresholdPct, 2),
              year: f.firstYear ?? t("handover.floor.never"),
            })}
          </li>
        ))}
      </ul>

      <Actuals data={data} />
      <Steps />
      {data.others.length > 0 ? (
        <Form method="get" action={`${base}/${plan.id}/compare`} className="stack">
          <label htmlFor="compare-with">{t("handover.plan.compareWith")}</label>
          <select id="compare-with" name="with">
            {data.others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
          <div>
            <button type="submit" className="button button-secondary">
              {t("handover.plan.compare")}
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

function Actuals({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const t = useT();
  return (
    <section aria-labelledby="actuals-heading">
      <h2 id="actuals-heading">{t("handover.actuals.title")}</h2>
      <p className="muted small">{t("handover.actuals.intro", { points: t.number(data.plan.varianceThresholdPp) })}</p>
      <div className="table-scroll" role="region" aria-labelledby="actuals-caption" tabIndex={0}>
        <table className="data">
          <caption id="actuals-caption">{t("handover.actuals.caption", { currency: data.plan.currency })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("handover.xlsx.quarter")}</th>
              <th scope="col">{t("handover.col.cycles")}</th>
              <th scope="col">{t("handover.col.cost")}</th>
              <th scope="col">{t("handover.col.nonIloShare")}</th>
              <th scope="col">{t("handover.actuals.against")}</th>
            </tr>
          </thead>
          <tbody>
            {data.actuals.map((a) => (
              <tr key={a.quarter} className={a.exceeded ? "unmet" : undefined}>
                <th scope="row">
                  {a.quarter}
                  {a.quarter === data.currentQuarter ? <span className="muted small"> {t("handover.actuals.soFar")}</span> : null}
                </th>
                <td className="num">{a.cycles}</td>
                <td className="num">{a.cost}</td>
                <td className="num">{a.share}</td>
                <td className="num">
                  {a.variance}
                  {a.exceeded ? <span className="flag flag-warn"> {t("handover.actuals.beyond")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Steps() {
  const { steps, institution, plan } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const t = useT();
  if (!Object.values(steps).some(Boolean)) return null;
  return (
    <section className="panel" aria-labelledby="steps-heading">
      <h2 id="steps-heading">{t("handover.steps.title")}</h2>
      {steps.review ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <label htmlFor="review-comment">{t("handover.steps.comment")}</label>
          <textarea id="review-comment" name="comment" rows={3} maxLength={2000} />
          <div className="button-row">
            <button type="submit" name="intent" value="approve" className="button button-primary" disabled={busy}>
              {t("handover.steps.approve")}
            </button>
            <button type="submit" name="intent" value="return" className="button button-secondary" disabled={busy}>
              {t("handover.steps.return")}
            </button>
          </div>
        </Form>
      ) : null}
      {steps.close ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <label htmlFor="close-note">{t("handover.steps.closeNote")}</label>
          <textarea id="close-note" name="note" rows={2} maxLength={2000} />
          <div>
            <button type="submit" name="intent" value="close" className="button button-primary" disabled={busy}>
              {t("handover.steps.close")}
            </button>
          </div>
        </Form>
      ) : null}
      {steps.edit ? (
        <p>
          <Link to={`/institutions/${institution.id}/plans/${plan.id}/edit`}>{t("handover.steps.change")}</Link>{" "}
          {t("handover.steps.changeTail")}
        </p>
      ) : null}
      <Form method="post" className="button-row">
        <CsrfInput />
        {steps.submit ? (
          <button type="submit" name="intent" value="submit" className="button button-primary" disabled={busy}>
            {t("handover.steps.submit")}
          </button>
        ) : null}
        {steps.activate ? (
          <button type="submit" name="intent" value="activate" className="button button-primary" disabled={busy}>
            {t("handover.steps.activate")}
          </button>
        ) : null}
        {steps.copy ? (
          <button type="submit" name="intent" value="copy" className="button button-secondary" disabled={busy}>
            {t("handover.steps.copy")}
          </button>
        ) : null}
      </Form>
    </section>
  );
}
