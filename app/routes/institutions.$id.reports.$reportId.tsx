import type { AppLoadContext } from "@remix-run/node";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { Kysely } from "kysely";
import { z } from "zod";
import { ErrorSummary, TextArea, type FormState } from "~/components/forms/fields";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "~/domain/records";
import { REPORT_KINDS, ReportDecisionSchema, type ReportDecision } from "~/domain/reports";
import { assertCan, can, requireActor, type Action } from "~/utils/access.server";
import { formatMoney, formValues, isReportKind } from "~/utils/report-form";
import { updatePathway } from "~/utils/workflow-errors.server";
import { getInstitution, listModules, listTrainers } from "../../db/queries/institutions";
import { getReport, reportHistory } from "../../db/queries/reports";
import type { Database, MilestoneReportRow } from "../../db/schema";
import { decideReportUpdate } from "~/utils/pathway-messages.server";
import { CsrfInput } from "~/components/CsrfInput";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.kindLabel ?? "Report"} · Pathways` }];

const NOT_FOUND = "There is no such report.";

async function guard(request: Request, params: LoaderFunctionArgs["params"], context: AppLoadContext, action: Action) {
  const db = context.db;
  const actor = await requireActor(request, context);
  const ids = z.object({ id: z.uuid(), reportId: z.uuid() }).safeParse(params);
  if (!ids.success) throw new Response(NOT_FOUND, { status: 404 });
  const institution = await getInstitution(db, ids.data.id);
  if (!institution) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, action, institution);
  const report = await getReport(db, ids.data.reportId);
  if (!report || report.institution_id !== institution.id) throw new Response(NOT_FOUND, { status: 404 });
  return { actor, institution, report };
}

interface Detail {
  label: string;
  value: string;
}

const SIZE_LABELS: Record<string, string> = { micro: "Micro", small: "Small", medium: "Medium", large: "Large" };
const COMMITMENT_LABELS: Record<string, string> = {
  government_budget_line: "Government budget line",
  multi_year_sponsor: "Multi-year sponsor",
};

/** The payload in words, with module codes and trainer ids turned into names. */
async function describe(db: Kysely<Database>, report: MilestoneReportRow, currency: string) {
  const p = report.payload as Record<string, unknown>;
  const [modules, trainers] = await Promise.all([listModules(db), listTrainers(db, report.institution_id)]);
  const moduleName = (code: unknown) => {
    const m = modules.find((x) => x.code === code);
    return m ? `${m.code} ${m.name}` : String(code);
  };
  const trainerName = (id: unknown) => trainers.find((t) => t.id === id)?.name ?? "A trainer no longer on record";
  const money = (minor: unknown) => `${formatMoney(Number(minor))} ${currency}`;
  const str = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
  const yesNo = (v: unknown) => (v ? "Yes" : "No");
  const details: Detail[] = [];
  const add = (label: string, value: string) => details.push({ label, value });
  let trainersTrained: { name: string; sex: string }[] = [];
  let funding: Detail[] = [];

  switch (report.kind) {
    case "tot_cohort":
      add("Module", moduleName(p.module));
      add("Dates", `${str(p.startedOn)} to ${str(p.endedOn)}`);
      trainersTrained = (p.trainers as { name: string; sex: string }[]) ?? [];
      add("Trainers", `${trainersTrained.length}, of whom ${trainersTrained.filter((t) => t.sex === "female").length} women`);
      break;
    case "trainer_certified":
      add("Trainer", trainerName(p.trainerId));
      add("Module", moduleName(p.module));
      add("Certified on", str(p.certifiedOn));
      add("National expert trainer", yesNo(p.nationalExpert));
      break;
    case "trainer_lapsed":
      add("Trainer", trainerName(p.trainerId));
      add("Module", moduleName(p.module));
      add("Certification ended on", str(p.lapsedOn));
      break;
    case "training_cycle": {
      const people = (p.participants ?? {}) as Record<string, number>;
      add("Module", moduleName(p.module));
      add("Enterprise", `${str(p.enterpriseName)} (${SIZE_LABELS[String(p.enterpriseSize)] ?? str(p.enterpriseSize)})`);
      add("Dates", `${str(p.startedOn)} to ${str(p.endedOn)}`);
      add("Visits", str(p.visits));
      add("Managers", `${people.managersFemale ?? 0} women, ${people.managersMale ?? 0} men`);
      add("Workers", `${people.workersFemale ?? 0} women, ${people.workersMale ?? 0} men`);
      add("Cost", money(p.cost));
      add("ILO staff took part", yesNo(p.iloStaffInvolved));
      const split = (p.funding ?? {}) as Record<string, number>;
      funding = FUNDING_SOURCES.filter((s) => split[s] > 0).map((s) => ({ label: FUNDING_SOURCE_LABELS[s], value: money(split[s]) }));
      break;
    }
    case "enterprise_reached":
      add("Enterprise", str(p.name));
      add("Size", SIZE_LABELS[String(p.size)] ?? str(p.size));
      add("Sector", str(p.sector));
      add("Workers", `${str(p.workersFemale)} women, ${str(p.workersMale)} men`);
      break;
    case "mou_signed":
      add("Signed on", str(p.signedOn));
      break;
    case "score_in_portfolio":
      add("Listed on", str(p.listedOn));
      break;
    case "business_plan_adopted":
      add("Adopted on", str(p.adoptedOn));
      break;
    case "funding_secured":
      add("Kind", COMMITMENT_LABELS[String(p.kind)] ?? str(p.kind));
      add("Funder", str(p.funder));
      add("Period", `${str(p.startsOn)} to ${p.endsOn ? String(p.endsOn) : "open-ended"}`);
      break;
    default:
      add("Details", JSON.stringify(p));
  }
  return { details, trainersTrained, funding };
}

const HISTORY_LABELS: Record<string, string> = {
  "report.submitted": "Submitted",
  "report.resubmitted": "Fixed and sent again",
  "report.verified": "Verified",
  "report.returned": "Returned for revision",
  "report.rejected": "Rejected",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, report } = await guard(request, params, context, "view");
  const { details, trainersTrained, funding } = await describe(context.db, report, institution.currency);
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
    kindLabel: isReportKind(report.kind) ? REPORT_KINDS[report.kind].label : report.kind,
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
        what: HISTORY_LABELS[h.action] ?? h.action,
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
    if (d.decision === "reject" && !d.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "Give the reason for rejecting the report" });
  });

const STATUS_LABELS: Record<string, string> = {
  submitted: "Waiting for verification",
  verified: "Verified",
  returned: "Returned for revision",
  rejected: "Rejected",
};

const DONE: Record<string, string> = { verified: "verified", returned: "returned for revision", rejected: "rejected" };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution, report } = await guard(request, params, context, "decide");
  const values = formValues(await request.formData());
  const parsed = DecisionFormSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "decision"] ??= issue.message;
    return json({ values, errors, formError: undefined as string | undefined }, { status: 400 });
  }
  const decision: ReportDecision = ReportDecisionSchema.parse({ reportId: report.id, decidedBy: actor.name, ...parsed.data });
  const back = (notice: string) => redirect(`/institutions/${institution.id}?notice=${encodeURIComponent(notice)}`);

  // One id per report and decision: a double click is one decision, answered twice.
  const sent = await updatePathway(context, institution.id, (h) =>
    h.executeUpdate(decideReportUpdate, { args: [decision], updateId: `decide-${report.id}-${decision.decision}` }),
  );
  const label = isReportKind(report.kind) ? REPORT_KINDS[report.kind].label : report.kind;
  if (sent.ok) return back(`Report ${DONE[sent.value.status] ?? sent.value.status}: ${label}.`);

  // Someone (or another click) decided first: say what happened instead of showing an error.
  const now = await getReport(context.db, report.id);
  if (sent.problem.kind === "conflict" && now && now.status !== "submitted") {
    const who = now.decided_by ? ` by ${now.decided_by}` : "";
    return back(`This report had already been ${DONE[now.status] ?? now.status}${who}; nothing more was changed.`);
  }
  return json({ values, errors: {} as Record<string, string>, formError: sent.problem.message }, { status: sent.problem.status });
}

function when(iso: string) {
  return new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export default function ReportPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { report, institution } = data;
  const state: FormState = { values: result?.values ?? {}, errors: result?.errors ?? {} };
  const base = `/institutions/${institution.id}`;
  return (
    <div className="form-page">
      <p className="breadcrumb">
        <Link to="/institutions">Institutions</Link> › <Link to={base}>{institution.name}</Link>
      </p>
      <h1>{data.kindLabel}</h1>
      <p className="lead">
        <span className={`status status-${report.status}`}>{STATUS_LABELS[report.status] ?? report.status}</span>
      </p>

      <section className="form-card" aria-labelledby="what">
        <h2 id="what">What was reported</h2>
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
            <caption className="visually-hidden">Trainers in this cohort</caption>
            <thead>
              <tr>
                <th scope="col">Trainer</th>
                <th scope="col">Sex</th>
              </tr>
            </thead>
            <tbody>
              {data.trainersTrained.map((t, i) => (
                <tr key={i}>
                  <td>{t.name}</td>
                  <td>{t.sex === "female" ? "Female" : t.sex === "male" ? "Male" : t.sex}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {data.funding.length > 0 ? (
          <table className="data-table">
            <caption>Who paid</caption>
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
        <h2 id="evidence">Evidence</h2>
        {report.evidence.length === 0 ? (
          <p>No evidence was attached.</p>
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
                        Download the file
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
        <h2 id="history">History</h2>
        <ol className="history">
          {data.history.map((h) => (
            <li key={h.id}>
              {h.what}
              {h.revision ? ` (revision ${h.revision})` : ""} by {h.actor} · <time dateTime={h.at}>{when(h.at)}</time>
              {h.comment ? <blockquote>{h.comment}</blockquote> : null}
            </li>
          ))}
          {report.escalatedAt ? (
            <li>
              Escalated: waited too long for a decision · <time dateTime={report.escalatedAt}>{when(report.escalatedAt)}</time>
            </li>
          ) : null}
          {report.status === "submitted" ? <li>Waiting for an ILO officer's decision.</li> : null}
        </ol>
      </section>

      {data.canDecide ? (
        <section className="form-card" aria-labelledby="decide">
          <h2 id="decide">Decision</h2>
          <ErrorSummary state={state} formError={result?.formError} />
          <Form method="post" noValidate>
            <CsrfInput />
            <TextArea
              name="comment"
              label="Comment"
              state={state}
              hint="Required to return the report for revision or to reject it; optional when verifying."
            />
            <div className="actions">
              <SubmitButton name="decision" value="verify">
                Verify
              </SubmitButton>
              <SubmitButton name="decision" value="return" variant="secondary">
                Return for revision
              </SubmitButton>
              <SubmitButton name="decision" value="reject" variant="danger">
                Reject
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
