import { moduleNameIn } from "~/i18n/template-labels";
import type { AppLoadContext } from "@remix-run/node";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { Kysely } from "kysely";
import { z } from "zod";
import { ErrorSummary, TextArea, type FormState } from "~/components/forms/fields";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { FUNDING_SOURCES } from "~/domain/records";
import { ReportDecisionSchema, type ReportDecision } from "~/domain/reports";
import { assertCan, can, type Action } from "~/platform/access.server";
import { requireInstitution } from "~/platform/guard.server";
import { formValues } from "~/features/reports/report-form";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { listModules, listTrainers } from "../../db/queries/institutions";
import { getReport, reportHistory } from "../../db/queries/reports";
import type { Database, MilestoneReportRow } from "../../db/schema";
import { decideReportUpdate } from "~/features/pathway/pathway-messages.server";
import { CsrfInput } from "~/components/CsrfInput";
import { enterpriseSizeName, fundingSourceName, reportKindName } from "~/i18n/labels";
import { metaT } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import type { Translator } from "~/i18n/translate";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  return [{ title: `${data?.kindLabel ?? t("rp.report")} · ${t("app.name")}` }];
};

const NOT_FOUND = "There is no such report.";

async function guard(request: Request, params: LoaderFunctionArgs["params"], context: AppLoadContext, action: Action) {
  const db = context.db;
  const { actor, institution } = await requireInstitution(request, params, context, "view", { notFound: NOT_FOUND });
  const reportId = z.uuid().safeParse(params.reportId);
  if (!reportId.success) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, action, institution);
  const report = await getReport(db, reportId.data);
  if (!report || report.institution_id !== institution.id) throw new Response(NOT_FOUND, { status: 404 });
  return { actor, institution, report };
}

interface Detail {
  label: string;
  value: string;
}

/** The payload in words (the reader's), with module codes and trainer ids turned into names. */
async function describe(db: Kysely<Database>, report: MilestoneReportRow, currency: string, t: Translator) {
  const p = report.payload as Record<string, unknown>;
  const [modules, trainers] = await Promise.all([listModules(db), listTrainers(db, report.institution_id)]);
  const moduleName = (code: unknown) => {
    const m = modules.find((x) => x.code === code);
    return m ? `${m.code} ${moduleNameIn(m, t.locale)}` : String(code);
  };
  const trainerName = (id: unknown) => trainers.find((tr) => tr.id === id)?.name ?? t("rp.noTrainer");
  const money = (minor: unknown) => t.money(Number(minor), currency);
  const str = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
  const date = (v: unknown) => (typeof v === "string" && v ? t.date(v) : str(v));
  const range = (from: unknown, to: unknown) => t("rp.range", { from: date(from), to: date(to) });
  const num = (v: unknown) => (typeof v === "number" ? t.number(v) : str(v));
  const yesNo = (v: unknown) => (v ? t("format.yes") : t("format.no"));
  const womenMen = (women: unknown, men: unknown) => t("rp.womenMen", { women: num(women ?? 0), men: num(men ?? 0) });
  const details: Detail[] = [];
  const add = (label: string, value: string) => details.push({ label, value });
  let trainersTrained: { name: string; sex: string }[] = [];
  let funding: Detail[] = [];

  switch (report.kind) {
    case "tot_cohort":
      add(t("rp.module"), moduleName(p.module));
      add(t("rp.dates"), range(p.startedOn, p.endedOn));
      trainersTrained = (p.trainers as { name: string; sex: string }[]) ?? [];
      add(
        t("rp.trainers"),
        // The plural form follows the number of women ("1, of whom 1 woman").
        t.plural("rp.trainersOf", trainersTrained.filter((tr) => tr.sex === "female").length, {
          count: t.number(trainersTrained.length),
          women: t.number(trainersTrained.filter((tr) => tr.sex === "female").length),
        }),
      );
      break;
    case "trainer_certified":
      add(t("rp.trainer"), trainerName(p.trainerId));
      add(t("rp.module"), moduleName(p.module));
      add(t("rp.certifiedOn"), date(p.certifiedOn));
      add(t("rp.nationalExpert"), yesNo(p.nationalExpert));
      break;
    case "trainer_lapsed":
      add(t("rp.trainer"), trainerName(p.trainerId));
      add(t("rp.module"), moduleName(p.module));
      add(t("rp.lapsedOn"), date(p.lapsedOn));
      break;
    case "training_cycle": {
      const people = (p.participants ?? {}) as Record<string, number>;
      add(t("rp.module"), moduleName(p.module));
      add(t("rp.enterprise"), `${str(p.enterpriseName)} (${enterpriseSizeName(t, String(p.enterpriseSize))})`);
      add(t("rp.dates"), range(p.startedOn, p.endedOn));
      add(t("rp.visits"), num(p.visits));
      add(t("rp.managers"), womenMen(people.managersFemale, people.managersMale));
      add(t("rp.workers"), womenMen(people.workersFemale, people.workersMale));
      add(t("rp.cost"), money(p.cost));
      add(t("rp.iloStaff"), yesNo(p.iloStaffInvolved));
      const split = (p.funding ?? {}) as Record<string, number>;
      funding = FUNDING_SOURCES.filter((s) => split[s] > 0).map((s) => ({
        label: fundingSourceName(t, s),
        value: money(split[s]),
      }));
      break;
    }
    case "enterprise_reached":
      add(t("rp.enterprise"), str(p.name));
      add(t("rp.size"), enterpriseSizeName(t, String(p.size)));
      add(t("rp.sector"), str(p.sector));
      add(t("rp.workers"), womenMen(p.workersFemale, p.workersMale));
      break;
    case "mou_signed":
      add(t("rp.signedOn"), date(p.signedOn));
      break;
    case "score_in_portfolio":
      add(t("rp.listedOn"), date(p.listedOn));
      break;
    case "business_plan_adopted":
      add(t("rp.adoptedOn"), date(p.adoptedOn));
      break;
    case "funding_secured": {
      const kind = `field.commitment.${String(p.kind)}`;
      add(t("rp.kind"), t(kind) === kind ? str(p.kind) : t(kind));
      add(t("rp.funder"), str(p.funder));
      add(t("rp.period"), p.endsOn ? range(p.startsOn, p.endsOn) : `${date(p.startsOn)} – ${t("rp.openEnded")}`);
      break;
    }
    default:
      add(t("rp.details"), JSON.stringify(p));
  }
  return { details, trainersTrained, funding };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, report } = await guard(request, params, context, "view");
  const t = getTranslator(request, actor);
  const { details, trainersTrained, funding } = await describe(context.db, report, institution.currency, t);
  return json({
    institution: { id: institution.id, name: institution.name },
    report: {
      id: report.id,
      status: report.status,
      submittedBy: report.submitted_by,
      submittedAt: report.submitted_at.toISOString(),
      decidedBy: report.decided_by,
      decidedAt: report.decided_at?.toISOString() ?? null,
      comment: report.decision_comment,
      escalatedAt: report.escalated_at?.toISOString() ?? null,
      evidence: report.evidence,
    },
    kindLabel: reportKindName(t, report.kind),
    details,
    trainersTrained,
    funding,
    canDecide: report.status === "submitted" && can(actor, "decide", institution),
    history: (await reportHistory(context.db, report.id)).map((h) => {
      const after = (h.after ?? {}) as { comment?: string; revision?: number; submittedBy?: string; decidedBy?: string };
      return {
        id: h.id,
        at: h.occurred_at.toISOString(),
        // Imported records name the person in the entry; the actor is then the import itself.
        actor: after.submittedBy ?? after.decidedBy ?? h.actor,
        what: t(`rp.history.${h.action}`) === `rp.history.${h.action}` ? h.action : t(`rp.history.${h.action}`),
        comment: after.comment || null,
        revision: after.revision ?? null,
      };
    }),
  });
}

const DecisionFormSchema = z
  .object({
    decision: z.enum(["verify", "return", "reject"], { message: "Choose verify, return or reject" }),
    comment: z.string().trim().max(2000, "Keep the comment under 2000 characters").default(""),
  })
  .superRefine((d, ctx) => {
    if (d.decision === "return" && !d.comment)
      ctx.addIssue({ code: "custom", path: ["comment"], message: "Say what the institution should revise" });
    if (d.decision === "reject" && !d.comment)
      ctx.addIssue({ code: "custom", path: ["comment"], message: "Give the reason for rejecting the report" });
  });

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution, report } = await guard(request, params, context, "decide");
  const values = formValues(await readForm(request));
  const parsed = DecisionFormSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "decision"] ??= issue.message;
    return json({ values, errors, formError: undefined as string | undefined }, { status: 400 });
  }
  const decision: ReportDecision = ReportDecisionSchema.parse({ reportId: report.id, decidedBy: actor.name, ...parsed.data });
  const back = (notice: string) => redirectWithNotice(request, context, `/institutions/${institution.id}`, notice);
  const t = getTranslator(request, actor);
  const said = (key: string, vars: Record<string, string>, fallback: string) => (t(key, vars) === key ? fallback : t(key, vars));

  // One id per report and decision: a double click is one decision, answered twice.
  const sent = await sendPathwayUpdate(context, institution.id, (h) =>
    h.executeUpdate(decideReportUpdate, { args: [decision], updateId: `decide-${report.id}-${decision.decision}` }),
  );
  const label = reportKindName(t, report.kind);
  if (sent.ok) return back(said(`rp.done.${sent.result.status}`, { label }, `${sent.result.status}: ${label}.`));

  // Someone (or another click) decided first: say what happened instead of showing an error.
  const now = await getReport(context.db, report.id);
  if (sent.kind === "conflict" && now && now.status !== "submitted") {
    const key = now.decided_by ? `rp.alreadyBy.${now.status}` : `rp.already.${now.status}`;
    return back(said(key, { name: now.decided_by ?? "" }, now.status));
  }
  return json({ values, errors: {} as Record<string, string>, formError: render(t, sent.message) }, { status: sent.status });
}

/** Date in the reader's language, time of day in UTC (the same on server and browser). */
function when(t: Translator, iso: string) {
  return t.dateTime(iso);
}

export default function ReportPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { report, institution } = data;
  const state: FormState = { values: result?.values ?? {}, errors: result?.errors ?? {} };
  const base = `/institutions/${institution.id}`;
  return (
    <div className="form-page">
      <p className="breadcrumb">
        <Link to="/institutions">{t("nav.institutions")}</Link> › <Link to={base}>{institution.name}</Link>
      </p>
      <h1>{data.kindLabel}</h1>
      <p className="lead">
        <span className={`status status-${report.status}`}>{t(`rp.status.${report.status}`)}</span>
      </p>

      <section className="form-card" aria-labelledby="what">
        <h2 id="what">{t("rp.what")}</h2>
        <dl className="details">
          {data.details.map((d) => (
            <div key={d.label} style={{ display: "contents" }}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
        {data.trainersTrained.length > 0 ? (
          <table className="data-table">
            <caption className="visually-hidden">{t("rp.cohort")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("rp.trainer")}</th>
                <th scope="col">{t("rp.sex")}</th>
              </tr>
            </thead>
            <tbody>
              {data.trainersTrained.map((tr, i) => (
                <tr key={i}>
                  <td>{tr.name}</td>
                  <td>{tr.sex === "female" || tr.sex === "male" ? t(`sex.${tr.sex}`) : tr.sex}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {data.funding.length > 0 ? (
          <table className="data-table">
            <caption>{t("rp.whoPaid")}</caption>
            <tbody>
              {data.funding.map((f) => (
                <tr key={f.label}>
                  <th scope="row">{f.label}</th>
                  <td className="amount">{f.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section className="form-card" aria-labelledby="evidence">
        <h2 id="evidence">{t("rp.evidence")}</h2>
        {report.evidence.length === 0 ? (
          <p>{t("rp.noEvidence")}</p>
        ) : (
          <ul>
            {report.evidence.map((e, i) => (
              <li key={i}>
                {e.label}
                {e.reference ? (
                  <>
                    {": "}
                    {e.reference.startsWith("file:") ? (
                      <a href={`/evidence/${e.reference.slice(5)}`} download>
                        {t("rp.download")}
                      </a>
                    ) : /^https?:\/\//.test(e.reference) ? (
                      <a href={e.reference} rel="noreferrer noopener" target="_blank">
                        {e.reference}
                      </a>
                    ) : (
                      <code>{e.reference}</code>
                    )}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="form-card" aria-labelledby="history">
        <h2 id="history">{t("rp.history")}</h2>
        <ol className="history">
          {data.history.map((h) => (
            <li key={h.id}>
              {h.what}
              {h.revision ? ` ${t("rp.revision", { revision: t.number(h.revision) })}` : ""} {t("rp.by", { name: h.actor })} ·{" "}
              <time dateTime={h.at}>{when(t, h.at)}</time>
              {h.comment ? <blockquote>{h.comment}</blockquote> : null}
            </li>
          ))}
          {report.escalatedAt ? (
            <li>
              {t("rp.escalated")} · <time dateTime={report.escalatedAt}>{when(t, report.escalatedAt)}</time>
            </li>
          ) : null}
          {report.status === "submitted" ? <li>{t("rp.waiting")}</li> : null}
        </ol>
      </section>

      {data.canDecide ? (
        <section className="form-card" aria-labelledby="decide">
          <h2 id="decide">{t("rp.decision")}</h2>
          <ErrorSummary state={state} formError={result?.formError} />
          <Form method="post" noValidate>
            <CsrfInput />
            <TextArea name="comment" label={t("rp.comment")} state={state} hint={t("rp.commentHint")} />
            <div className="actions">
              <SubmitButton name="decision" value="verify">
                {t("rp.verify")}
              </SubmitButton>
              <SubmitButton name="decision" value="return" variant="secondary">
                {t("rp.return")}
              </SubmitButton>
              <SubmitButton name="decision" value="reject" variant="danger">
                {t("rp.reject")}
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
