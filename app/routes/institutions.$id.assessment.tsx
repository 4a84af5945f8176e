import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AssessmentForm, type AssessmentFormState } from "~/features/scorecard/AssessmentForm";
import { Comparison, History, ScorePanel } from "~/features/scorecard/Comparison";
import { isoDate } from "~/domain/dates";
import { CRITERION_KEYS, evidenceField, readAssessmentForm } from "~/features/scorecard/scorecard";
import { getTranslator } from "~/i18n/server";
import { useT } from "~/i18n/react";
import { requireInstitution } from "~/platform/guard.server";
import { formValues } from "~/features/reports/report-form";
import { assessmentRecordedUpdate } from "~/features/scorecard/scorecard-messages.server";
import { assessorKind, loadAssessmentPage } from "~/features/scorecard/scorecard.server";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import scorecardStyles from "~/styles/scorecard.css";
import { insertAssessment, linkableEvidence } from "../../db/queries/scorecard";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";

/**
 * The readiness scorecard of one institution: its self-assessment beside the ILO's, the gaps,
 * the weighted readiness score the gates read, the history, and the form its assessors use.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: scorecardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Pathways` : "Pathways" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "view");
  const t = getTranslator(request, actor);
  const page = await loadAssessmentPage(context.db, institution, actor, t.locale);
  const recorded = new URL(request.url).searchParams.get("recorded");
  return json({
    ...page,
    title: t("scorecard.metaTitle", { name: institution.name }),
    // Made here and carried in the form: a double click or a retry stores one assessment.
    assessmentId: crypto.randomUUID(),
    today: isoDate(new Date()),
    notice: recorded === "new" ? "new" : recorded === "already" ? "already" : null,
  });
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "view");
  const kind = assessorKind(actor, institution);
  if (!kind) throw new Response("Forbidden", { status: 403 });
  const t = getTranslator(request, actor);
  const form = await readForm(request);
  const values = formValues(form);
  const evidence = Object.fromEntries(
    CRITERION_KEYS.map((k) => [k, form.getAll(evidenceField(k)).filter((v): v is string => typeof v === "string")]),
  );
  const reply = (data: Omit<AssessmentFormState, "values" | "evidence">, status: number) =>
    json<AssessmentFormState>({ values, evidence, ...data }, { status });
  const translated = (errors: Record<string, string>) =>
    Object.fromEntries(Object.entries(errors).map(([f, key]) => [f, t(key)]));

  const today = isoDate(new Date());
  const read = readAssessmentForm(values, evidence, { kind, today });
  if (!read.ok) return reply({ errors: translated(read.errors) }, 400);
  const assessment = read.assessment;

  // Evidence must be this institution's own (files of its verified reports): never another's.
  const allowed = new Set((await linkableEvidence(context.db, institution.id)).map((e) => e.id));
  const badEvidence = CRITERION_KEYS.filter((k) => assessment.scores[k].evidence.some((id) => !allowed.has(id)));
  if (badEvidence.length > 0)
    return reply({ errors: Object.fromEntries(badEvidence.map((k) => [evidenceField(k), t("scorecard.error.evidence")])) }, 400);

  const outcome = await context.db
    .transaction()
    .execute((trx) =>
      insertAssessment(trx, assessment, { institutionId: institution.id, name: actor.name, userId: actor.id, at: new Date() }),
    );
  if (!outcome.created && !outcome.sameInstitution) return reply({ errors: {}, formError: t("scorecard.error.idTaken") }, 400);

  // Only the ILO's assessment counts in the gates: tell the pathway, after the write, keyed by the
  // assessment id so a retried form (or a retried request) is one update.
  if (assessment.kind === "ilo") {
    const sent = await sendPathwayUpdate(context, institution.id, (h) =>
      h.executeUpdate(assessmentRecordedUpdate, {
        args: [{ assessmentId: assessment.assessmentId }],
        updateId: `assessment-${assessment.assessmentId}`,
      }),
    );
    if (!sent.ok)
      return reply({ errors: {}, formError: t("scorecard.error.workflow", { problem: render(t, sent.message) }) }, sent.status);
  }
  return redirect(`/institutions/${institution.id}/assessment?recorded=${outcome.created ? "new" : "already"}`);
}

export default function AssessmentPage() {
  const data = useLoaderData<typeof loader>();
  const sent = useActionData<typeof action>();
  const t = useT();
  const inst = data.institution;
  return (
    <div className="page scorecard-page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to="/institutions">{t("nav.institutions")}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`/institutions/${inst.id}`}>{inst.name}</Link> <span aria-hidden="true">/</span>{" "}
        <span>{t("scorecard.title")}</span>
      </nav>
      <h1>
        {t("scorecard.title")} <span className="muted">· {inst.name}</span>
      </h1>
      <p className="lede">{t("scorecard.intro")}</p>
      {data.notice ? (
        <p className="notice" role="status">
          {t(data.notice === "new" ? "scorecard.notice.recorded" : "scorecard.notice.already")}
        </p>
      ) : null}

      <ScorePanel data={data} />
      {data.self || data.ilo ? <Comparison data={data} /> : <p className="empty-state">{t("scorecard.empty")}</p>}
      {data.history.length > 0 ? <History data={data} /> : null}

      {data.kind ? (
        <AssessmentForm
          kind={data.kind}
          assessmentId={sent?.values.assessmentId ?? data.assessmentId}
          today={data.today}
          linkable={data.linkable}
          state={sent ? { evidence: {}, ...sent } : null}
        />
      ) : (
        <p className="muted read-only-note">{t("scorecard.readOnly")}</p>
      )}
      <p>
        <Link to={`/institutions/${inst.id}`}>{t("scorecard.back", { name: inst.name })}</Link>
      </p>
    </div>
  );
}
