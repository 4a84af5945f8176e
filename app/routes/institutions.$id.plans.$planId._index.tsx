import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { day } from "~/components/format";
import { assertCanPlan, canPlan, requirePlan, type PlanAction } from "~/components/handover/access.server";
import { PlanTable } from "~/components/handover/PlanTable";
import { planTable } from "~/components/handover/plan-view";
import { STATUS_TEXT } from "~/components/handover/status";
import { unitsPerUsd } from "~/components/handover/plan-form";
import { sendPlanStep } from "~/components/handover/workflow.server";
import { actualsByQuarter, formatMinor, formatShareBp, quarterOf, shareVariance } from "~/domain/handover";
import { outOfOrderMessage } from "~/domain/handover-steps";
import { useT } from "~/i18n/react";
import { formValues } from "~/utils/report-form";
import { insertPlan, listPlans, loadActualCycles } from "../../db/queries/handover";
import { getTemplate } from "../../db/queries/institutions";
import type { StepActor } from "../../workflows/handover.shared";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.plan.name} · Pathways` : "Not found · Pathways" }];

function flash(params: URLSearchParams, name: string): string | null {
  const v = params.get(name)?.trim();
  return v ? v.slice(0, 300) : null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const template = await getTemplate(context.db, institution.template_id);
  const { summary, rows } = planTable(plan, template.definition);
  const years = plan.years.map((y) => y.year);
  const cycles = years.length ? await loadActualCycles(context.db, institution.id, `${Math.min(...years)}-01-01`, `${Math.max(...years)}-12-31`) : [];
  const actuals = actualsByQuarter(cycles, years).map((a) => {
    const [y, q] = a.quarter.split("-Q").map(Number);
    const v = shareVariance(plan, a, { year: y, q: q as 1 | 2 | 3 | 4 }, plan.varianceThresholdPp);
    return { quarter: a.quarter, cycles: a.cycles, cost: formatMinor(a.costMinor), share: formatShareBp(a.nonIloShareBp), variance: v ? formatShareBp(v.varianceBp) : "—", exceeded: v?.exceeded ?? false };
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
  const others = (await listPlans(context.db, institution.id)).filter((p) => p.id !== plan.id).map((p) => ({ id: p.id, name: p.name }));
  const search = new URL(request.url).searchParams;
  return json({
    institution: { id: institution.id, name: institution.name },
    plan: {
      id: plan.id,
      name: plan.name,
      currency: plan.currency,
      unitsPerUsd: unitsPerUsd(plan.usdRate),
      exitYear: plan.exitYear,
      status: plan.status,
      statusText: STATUS_TEXT[plan.status],
      scenarioOf: plan.scenarioOf,
      reviewComment: plan.reviewComment,
      varianceThresholdPp: plan.varianceThresholdPp,
      createdBy: plan.createdBy,
      createdAt: plan.createdAt.toISOString(),
    },
    rows,
    floors: summary.floors,
    totals: { cost: formatMinor(summary.totalCostMinor), gap: formatMinor(summary.totalGapMinor) },
    actuals,
    currentQuarter: `${quarterOf(Date.now()).year}-Q${quarterOf(Date.now()).q}`,
    steps,
    others,
    notice: flash(search, "notice"),
  });
}

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("approve"), comment: z.string().trim().max(2000).default("") }),
  z.object({ intent: z.literal("return"), comment: z.string().trim().min(1, "Say what to change when returning a plan").max(2000) }),
  z.object({ intent: z.literal("activate") }),
  z.object({ intent: z.literal("close"), note: z.string().trim().max(2000).default("") }),
  z.object({ intent: z.literal("copy") }),
]);

const STEP_OF = { submit: "submit", approve: "review", return: "review", activate: "activate", close: "close" } as const;

const DONE_TEXT: Record<string, string> = {
  submitted: "Submitted for review by the ILO.",
  returned: "Returned to the institution with your comment.",
  approved: "Approved.",
  active: "Active: actuals are now checked against the plan each quarter.",
  closed: "Closed at handover.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const parsed = IntentSchema.safeParse(formValues(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues[0].message }, { status: 400 });
  const input = parsed.data;
  assertCanPlan(actor, input.intent === "copy" ? "edit" : STEP_OF[input.intent], institution);
  const base = `/institutions/${institution.id}/plans`;

  if (input.intent === "copy") {
    const id = crypto.randomUUID();
    const { id: _old, status: _s, reviewComment: _r, createdAt: _c, updatedAt: _u, createdBy: _b, ...figures } = plan;
    await context.db.transaction().execute((trx) =>
      insertPlan(trx, { ...figures, id, name: `${plan.name} (scenario)`, scenarioOf: plan.id }, actor.name, new Date()),
    );
    return redirect(`${base}/${id}?notice=${encodeURIComponent("Copied as a scenario: change it freely, then compare.")}`);
  }

  // A repeated click (or a stale page) is answered from the records, which the workflow writes
  // before it answers: no need to wake it, nor to restart the workflow of a closed plan.
  const refused = outOfOrderMessage(STEP_OF[input.intent], plan.status);
  if (refused) return json({ error: refused }, { status: 409 });
  const who: StepActor = { id: actor.id, name: actor.name, role: actor.role };
  const sent = await sendPlanStep(context, plan.id, who, input);
  if (!sent.ok) return json({ error: sent.problem.message }, { status: sent.problem.status });
  return redirect(`${base}/${plan.id}?notice=${encodeURIComponent(DONE_TEXT[sent.value.status] ?? "Done.")}`);
}

export default function PlanPage() {
  const data = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { plan, institution: inst } = data;
  const t = useT();
  const base = `/institutions/${inst.id}/plans`;
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/institutions">Institutions</Link> <span aria-hidden="true">/</span> <Link to={`/institutions/${inst.id}`}>{inst.name}</Link>{" "}
        <span aria-hidden="true">/</span> <Link to={base}>Handover plans</Link> <span aria-hidden="true">/</span> <span>{plan.name}</span>
      </nav>
      <div className="page-head">
        <h1>{plan.name}</h1>
        <div className="button-row">
          <a href={`${base}/${plan.id}/dossier.pdf`} className="button button-secondary" download>
            {t("handover.dossier.download")}
          </a>
          <a href={`${base}/${plan.id}/export.csv`} className="button button-secondary" download>
            Download CSV
          </a>
          <a href={`${base}/${plan.id}/export.xlsx`} className="button button-secondary" download>
            {t("handover.xlsx.download")}
          </a>
        </div>
      </div>
      <p className="subtitle">
        <span className={`status-badge status-${plan.status}`}>{plan.statusText}</span> · ILO exit {plan.exitYear} · amounts in {plan.currency} (
        {plan.unitsPerUsd} per USD) · created by {plan.createdBy} on {day(plan.createdAt)}
        {plan.scenarioOf ? (
          <>
            {" "}
            · scenario of <Link to={`${base}/${plan.scenarioOf}`}>the original plan</Link>
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
          ILO comment: <span className="comment">“{plan.reviewComment}”</span>
        </p>
      ) : null}

      <PlanTable rows={data.rows} currency={plan.currency} caption={`${plan.name}: cost, funding and gap per year (${plan.currency})`} />
      <p>
        Total cost {data.totals.cost} {plan.currency}; total gap {data.totals.gap} {plan.currency}.
      </p>
      <h2>When the stage floors are met</h2>
      <ul>
        {data.floors.map((f) => (
          <li key={f.stageKey}>
            {f.stageName} (≥ {f.thresholdPct} % non-ILO): {f.firstYear ? <strong>{f.firstYear}</strong> : "not within this plan"}
          </li>
        ))}
      </ul>

      <Actuals data={data} />
      <Steps />
      {data.others.length > 0 ? (
        <Form method="get" action={`${base}/${plan.id}/compare`} className="stack">
          <label htmlFor="compare-with">Compare with</label>
          <select id="compare-with" name="with">
            {data.others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
          <div>
            <button type="submit" className="button button-secondary">
              Compare side by side
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

function Actuals({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  return (
    <section aria-labelledby="actuals-heading">
      <h2 id="actuals-heading">Actuals per quarter, from the records</h2>
      <p className="muted small">
        Cycles delivered (verified reports), their cost and the non-ILO share, against the share planned for the year. A quarter more than{" "}
        {data.plan.varianceThresholdPp} points off the plan is flagged.
      </p>
      <div className="table-scroll" role="region" aria-labelledby="actuals-caption" tabIndex={0}>
        <table className="data">
          <caption id="actuals-caption">Actuals per quarter ({data.plan.currency})</caption>
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              <th scope="col">Cycles</th>
              <th scope="col">Cost</th>
              <th scope="col">Non-ILO share</th>
              <th scope="col">Against the plan</th>
            </tr>
          </thead>
          <tbody>
            {data.actuals.map((a) => (
              <tr key={a.quarter} className={a.exceeded ? "unmet" : undefined}>
                <th scope="row">
                  {a.quarter}
                  {a.quarter === data.currentQuarter ? <span className="muted small"> (so far)</span> : null}
                </th>
                <td className="num">{a.cycles}</td>
                <td className="num">{a.cost}</td>
                <td className="num">{a.share}</td>
                <td className="num">
                  {a.variance}
                  {a.exceeded ? <span className="flag flag-warn"> Beyond threshold</span> : null}
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
  if (!Object.values(steps).some(Boolean)) return null;
  return (
    <section className="panel" aria-labelledby="steps-heading">
      <h2 id="steps-heading">What you can do</h2>
      {steps.review ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <label htmlFor="review-comment">Comment (required to return the plan)</label>
          <textarea id="review-comment" name="comment" rows={3} maxLength={2000} />
          <div className="button-row">
            <button type="submit" name="intent" value="approve" className="button button-primary" disabled={busy}>
              Approve
            </button>
            <button type="submit" name="intent" value="return" className="button button-secondary" disabled={busy}>
              Return with comment
            </button>
          </div>
        </Form>
      ) : null}
      {steps.close ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <label htmlFor="close-note">Note for the record (optional)</label>
          <textarea id="close-note" name="note" rows={2} maxLength={2000} />
          <div>
            <button type="submit" name="intent" value="close" className="button button-primary" disabled={busy}>
              Close at handover
            </button>
          </div>
        </Form>
      ) : null}
      {steps.edit ? (
        <p>
          <Link to={`/institutions/${institution.id}/plans/${plan.id}/edit`}>Change the plan</Link> before you submit it.
        </p>
      ) : null}
      <Form method="post" className="button-row">
        <CsrfInput />
        {steps.submit ? (
          <button type="submit" name="intent" value="submit" className="button button-primary" disabled={busy}>
            Submit for ILO review
          </button>
        ) : null}
        {steps.activate ? (
          <button type="submit" name="intent" value="activate" className="button button-primary" disabled={busy}>
            Activate the plan
          </button>
        ) : null}
        {steps.copy ? (
          <button type="submit" name="intent" value="copy" className="button button-secondary" disabled={busy}>
            Copy as scenario
          </button>
        ) : null}
      </Form>
    </section>
  );
}
