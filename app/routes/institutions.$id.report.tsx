import type { AppLoadContext } from "@remix-run/node";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useSearchParams,
  type ClientActionFunctionArgs,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ErrorSummary, type FormState } from "~/components/forms/fields";
import { GatePreview } from "~/features/reports/GatePreview";
import { DraftOffer, DraftStatus } from "~/features/reports/DraftOffer";
import { clearDraft, listDrafts, saveDraft, type ReportDraft } from "~/features/reports/report-draft";
import { EvidenceFields, EvidenceFileField, ReportKindFields } from "~/features/reports/ReportFields";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { evaluateNextGate, type GateResult } from "~/domain/gate";
import { recordsAfterReport, REPORT_KIND_KEYS, type MilestoneReport, type ReportKind } from "~/domain/reports";
import { stageName } from "~/domain/template";
import { assertCan, assertCsrf, requireActor, type Action } from "~/platform/access.server";
import {
  MAX_EVIDENCE_FILES,
  checkEvidenceFile,
  discardEvidence,
  listEvidence,
  storeEvidence,
} from "~/features/reports/evidence.server";
import { loadPathwayView } from "~/features/pathway/pathway-view.server";
import { MultipartLimitError, readMultipartForm } from "~/platform/multipart.server";
import {
  DEFAULT_EVIDENCE_ROWS,
  DEFAULT_TRAINER_ROWS,
  formValues,
  isReportKind,
  MAX_EVIDENCE_ROWS,
  MAX_TRAINER_ROWS,
  readReportForm,
  reportToFormValues,
  rowCount,
  type FormErrors,
  type FormValues,
} from "~/features/reports/report-form";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { getInstitution, listModules, listTrainers } from "../../db/queries/institutions";
import type { Database } from "../../db/schema";
import type { Kysely } from "kysely";
import { reportMilestoneUpdate, resubmitReportUpdate } from "~/features/pathway/pathway-messages.server";
import { getReport } from "../../db/queries/reports";
import { CsrfInput } from "~/components/CsrfInput";
import { reportKindName, reportStatusName } from "~/i18n/labels";
import { metaT } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { readForm as readEdgeForm, readMultipart, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";
import { answeredOffline } from "~/platform/root-revalidate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  return [{ title: `${t("report.pageTitle")}${data ? ` · ${data.institution.name}` : ""} · ${t("app.name")}` }];
};

const ROWS_STEP = 8;

async function guard(request: Request, params: LoaderFunctionArgs["params"], context: AppLoadContext, action: Action) {
  const db = context.db;
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response("There is no institution at this address.", { status: 404 });
  const view = await loadPathwayView(db, id.data);
  if (!view) throw new Response("There is no institution at this address.", { status: 404 });
  assertCan(actor, action, view.institution);
  return { actor, view };
}

/**
 * The institution a report is sent for, access checked, without its records: sending needs none,
 * and loading every record of the institution on each report was most of the form's own cost
 * (decision 019). The preview loads them.
 */
async function guardInstitution(request: Request, params: LoaderFunctionArgs["params"], context: AppLoadContext) {
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response("There is no institution at this address.", { status: 404 });
  const institution = await getInstitution(context.db, id.data);
  if (!institution) throw new Response("There is no institution at this address.", { status: 404 });
  assertCan(actor, "report", institution);
  return { actor, institution };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view } = await guard(request, params, context, "report");
  const { institution, template } = view;
  const url = new URL(request.url);
  const kindParam = url.searchParams.get("kind");
  const kind = isReportKind(kindParam) ? kindParam : null;
  const needsTrainers = kind === "trainer_certified" || kind === "trainer_lapsed";
  const returned = await returnedReport(context.db, institution.id, url.searchParams.get("resubmit"));
  const [modules, trainers] = await Promise.all([
    listModules(context.db),
    needsTrainers ? listTrainers(context.db, institution.id) : [],
  ]);
  return json({
    institution: {
      id: institution.id,
      name: institution.name,
      currency: institution.currency,
      countryName: institution.country_name,
      stageName: stageName(template.definition, institution.stage_key),
    },
    kinds: REPORT_KIND_KEYS.map((k) => ({ kind: k })),
    kind,
    // Made here and carried in the form: a double click or a retry sends the same report.
    // A returned report keeps its own id when it is fixed and sent again.
    reportId: returned?.id ?? crypto.randomUUID(),
    resubmission: returned
      ? {
          comment: returned.decision_comment ?? "",
          decidedBy: returned.decided_by ?? "",
          values: reportToFormValues({
            reportId: returned.id,
            kind: returned.kind,
            payload: returned.payload,
            evidence: returned.evidence,
          }),
        }
      : null,
    modules: modules.map((m) => ({ value: m.code, label: `${m.code} ${m.name}` })),
    trainers: trainers.map((t) => ({ value: t.id, label: t.name })),
    trainerRows: Math.min(MAX_TRAINER_ROWS, Number(url.searchParams.get("rows")) || 0),
    // The stored gate; while it is being re-evaluated, this one institution's gate on today's
    // records, so the preview below has something to compare with (the preview evaluates anyway).
    nextGate: view.gatePending
      ? evaluateNextGate(template.definition, institution.stage_key, view.records, new Date())
      : view.nextGate,
    evidenceMaxMb: context.config.EVIDENCE_MAX_MB,
  });
}

interface ActionData {
  values: FormValues;
  errors?: FormErrors;
  /** A problem with the report as a whole (the workflow refused it, or is unreachable). */
  formError?: string;
  preview?: GateResult | null;
  trainerRows?: number;
  evidenceRows?: number;
  /** Set in the browser when no answer came back: "offline" (nothing left the device) or "dropped". */
  notSent?: "offline" | "dropped";
}

/** The returned report of this institution that `?resubmit=` names, if it is still returned. */
async function returnedReport(db: Kysely<Database>, institutionId: string, reportId: string | null) {
  if (!reportId || !z.uuid().safeParse(reportId).success) return null;
  const report = await getReport(db, reportId);
  return report && report.institution_id === institutionId && report.status === "returned" ? report : null;
}

/** What the schema cannot know: the module exists, the trainer is one of this institution's. */
async function checkReferences(db: Kysely<Database>, report: MilestoneReport): Promise<FormErrors> {
  const errors: FormErrors = {};
  const p = report.payload as { module?: string; trainerId?: string };
  if (p.module !== undefined) {
    const modules = await listModules(db);
    if (!modules.some((m) => m.code === p.module)) errors["payload.module"] = "Choose one of the SCORE modules";
  }
  if (p.trainerId !== undefined) {
    const trainers = await listTrainers(db, report.institutionId);
    if (!trainers.some((t) => t.id === p.trainerId)) errors["payload.trainerId"] = "Choose one of this institution's trainers";
  }
  return errors;
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit(args: ActionFunctionArgs) {
  // Uploaded files wait in a folder of this request's own, removed once it is answered.
  const spillDir = await mkdtemp(path.join(os.tmpdir(), "pathways-upload-"));
  try {
    return await handleAction(args, spillDir);
  } finally {
    await rm(spillDir, { recursive: true, force: true });
  }
}

async function handleAction({ request, params, context }: ActionFunctionArgs, spillDir: string) {
  const { actor, institution } = await guardInstitution(request, params, context);
  const maxMb = context.config.EVIDENCE_MAX_MB;
  let form: FormData;
  try {
    form = await readForm(request, maxMb, spillDir);
  } catch (e) {
    if (!(e instanceof MultipartLimitError)) throw e;
    const message =
      e.reason === "file"
        ? `Each file can be at most ${maxMb} MB`
        : e.reason === "files"
          ? `Attach at most ${MAX_EVIDENCE_FILES} files`
          : e.reason === "body"
            ? `Attach at most ${MAX_EVIDENCE_FILES} files of at most ${maxMb} MB each`
            : "The form could not be read; send it again";
    return json<ActionData>({ values: {}, errors: { evidenceFiles: message } }, { status: e.status });
  }
  await assertCsrf(request, context, form);
  const values = formValues(form);
  const reply = (data: Omit<ActionData, "values">, status = 200) => json<ActionData>({ values, ...data }, { status });

  if (values.intent === "more-trainers")
    return reply({
      trainerRows: rowCount(values, "payload.trainers", 0, DEFAULT_TRAINER_ROWS, MAX_TRAINER_ROWS - ROWS_STEP) + ROWS_STEP,
    });
  if (values.intent === "more-evidence")
    return reply({ evidenceRows: rowCount(values, "evidence", 0, DEFAULT_EVIDENCE_ROWS, MAX_EVIDENCE_ROWS - 3) + 3 });

  const read = readReportForm(values, {
    institutionId: institution.id,
    submittedBy: actor.name,
    currency: institution.currency,
  });
  if (!read.ok) return reply({ errors: read.errors }, 400);
  const report = read.report;
  const refErrors = await checkReferences(context.db, report);
  if (Object.keys(refErrors).length > 0) return reply({ errors: refErrors }, 400);

  if (values.intent === "preview") {
    const view = await loadPathwayView(context.db, institution.id);
    if (!view) throw new Response("There is no institution at this address.", { status: 404 });
    const { template, records } = view;
    const def = template.definition;
    const after = recordsAfterReport(records, report, {
      certificationValidityMonths: def.timers.certificationValidityMonths,
      currency: institution.currency,
    });
    return reply({ preview: evaluateNextGate(def, institution.stage_key, after, new Date()) });
  }

  const files = form.getAll("evidenceFiles").filter((f): f is File => typeof f !== "string" && f.size > 0);
  if (files.length > MAX_EVIDENCE_FILES)
    return reply({ errors: { evidenceFiles: `Attach at most ${MAX_EVIDENCE_FILES} files` } }, 400);
  const checked = await Promise.all(files.map((f) => checkEvidenceFile(f, maxMb)));
  const refused = checked.find((c) => !c.ok);
  if (refused && !refused.ok) return reply({ errors: { evidenceFiles: refused.message } }, 400);

  // Nothing is stored for a report this institution may not send, nor added to one already decided.
  const existing = await getReport(context.db, report.reportId);
  if (existing && existing.institution_id !== institution.id)
    return reply({ formError: "This report belongs to another institution." }, 400);
  const takesFiles = !existing || existing.status === "returned";
  if (!takesFiles && files.length > 0 && existing.status !== "submitted")
    return reply({ errors: { evidenceFiles: "This report has been decided: it takes no new evidence." } }, 409);
  const before = new Set((await listEvidence(context, report.reportId)).map((f) => f.id));
  const storedNow: string[] = [];
  for (const [i, c] of checked.entries()) {
    if (!takesFiles) break;
    if (!c.ok) continue;
    const stored = await storeEvidence(context, {
      institutionId: institution.id,
      reportId: report.reportId,
      fileName: files[i].name,
      type: c.type,
      file: c.file,
      uploadedBy: actor.name,
    });
    if (!before.has(stored.id)) storedNow.push(stored.id);
    report.evidence.push({ label: stored.file_name, reference: `file:${stored.id}` });
  }
  // A definite refusal (4xx) keeps no files; after 503 the update may yet land, so they stay.
  const refusedWith = async (status: number) => {
    if (status < 500) await discardEvidence(context, institution.id, report.reportId, storedNow);
  };

  if (existing?.status === "returned") {
    const resent = await sendPathwayUpdate(context, institution.id, (h) =>
      h.executeUpdate(resubmitReportUpdate, { args: [report], updateId: `resubmit-${report.reportId}-${existing.revision}` }),
    );
    if (!resent.ok) {
      await refusedWith(resent.status);
      return reply({ formError: render(getTranslator(request, actor), resent.message) }, resent.status);
    }
    const t = getTranslator(request, actor);
    const notice = t("report.resent", { revision: t.number(resent.result.revision), label: reportKindName(t, report.kind) });
    return redirectWithNotice(request, context, `/institutions/${institution.id}`, notice);
  }

  // The report id is the update id: Temporal answers a repeat with the first outcome.
  const sent = await sendPathwayUpdate(context, institution.id, (h) =>
    h.executeUpdate(reportMilestoneUpdate, { args: [report], updateId: report.reportId }),
  );
  if (!sent.ok) {
    await refusedWith(sent.status);
    return reply({ formError: render(getTranslator(request, actor), sent.message) }, sent.status);
  }
  const t = getTranslator(request, actor);
  const notice =
    sent.result.status === "submitted"
      ? t("report.sent", { label: reportKindName(t, report.kind) })
      : t("report.already", { status: reportStatusName(t, sent.result.status) });
  return redirectWithNotice(request, context, `/institutions/${institution.id}`, notice);
}

/**
 * In the browser, around the server's action: a report the server confirmed (it answers with the
 * institution's page) leaves the device's draft store; a send that got no answer — offline, or the
 * connection dropped — stays on the page with the form as typed and says so (decision 027).
 */
export async function clientAction({ request, serverAction }: ClientActionFunctionArgs) {
  const form = await request.clone().formData();
  const values = formValues(form);
  const institutionId = new URL(request.url).pathname.split("/")[2] ?? "";
  try {
    return await serverAction<typeof action>();
  } catch (e) {
    if (e instanceof Response) {
      const to = e.headers.get("Location") ?? "";
      if (e.status >= 300 && e.status < 400 && to.startsWith(`/institutions/${institutionId}`) && values.reportId)
        clearDraft(institutionId, values.reportId);
      throw e;
    }
    if (!(e instanceof Error)) throw e;
    const notSent: ActionData["notSent"] = navigator.onLine ? "dropped" : "offline";
    return { values, notSent } satisfies ActionData;
  }
}

/**
 * Plain forms and forms with files alike. Plain forms go through the request edge; files wait on
 * disk, in the request's folder; reading stops at the file after the last allowed, at a file over
 * the limit or past the body's limit, and a body the parser cannot read is a 400.
 */
async function readForm(request: Request, maxMb: number, spillDir: string): Promise<FormData> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return readEdgeForm(request);
  return readMultipart(request, () =>
    readMultipartForm(request, {
      spillDir,
      maxBodyBytes: MAX_EVIDENCE_FILES * maxMb * 1024 * 1024 + 1024 * 1024,
      maxFileBytes: maxMb * 1024 * 1024,
      maxFiles: MAX_EVIDENCE_FILES,
      maxParts: 1_000,
    }),
  );
}

// Adding rows and previewing change nothing: the page's data need not be loaded again.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, actionResult, defaultShouldRevalidate }) => {
  if (answeredOffline(actionResult)) return false;
  const intent = formData?.get("intent");
  if (intent === "preview" || intent === "more-trainers" || intent === "more-evidence") return false;
  return defaultShouldRevalidate;
};

function KindChooser({ institutionId, kinds }: { institutionId: string; kinds: { kind: ReportKind }[] }) {
  const t = useT();
  return (
    <nav aria-labelledby="kind-heading">
      <h2 id="kind-heading">{t("report.whatHappened")}</h2>
      <ul className="kind-list">
        {kinds.map((k) => (
          <li key={k.kind}>
            <Link to={`/institutions/${institutionId}/report?kind=${k.kind}`}>
              <strong>{reportKindName(t, k.kind)}</strong>
              <span>{t(`hint.${k.kind}`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function ReportMilestone() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { institution, kind } = data;
  // The browser checks with the same parser and schema as the server, before anything is sent.
  const [browserErrors, setBrowserErrors] = useState<{ for: unknown; errors: FormErrors } | null>(null);
  const errors = browserErrors && browserErrors.for === result ? browserErrors.errors : (result?.errors ?? {});
  // A draft restored from the device stands in for the values until the server answers again.
  const [restored, setRestored] = useState<{ for: unknown; values: FormValues; n: number } | null>(null);
  const [offer, setOffer] = useState<ReportDraft | null>(null);
  const [draftMessage, setDraftMessage] = useState<string | null>(null);
  const restoredValues = restored && restored.for === result ? restored.values : null;
  const state: FormState = { values: restoredValues ?? result?.values ?? data.resubmission?.values ?? {}, errors };
  const reportId = state.values.reportId || data.reportId;
  const base = `/institutions/${institution.id}`;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const wanted = params.get("draft");

  const restore = (draft: ReportDraft) => {
    if (draft.kind !== kind) {
      // The draft is for another kind of report: open its form, which restores it.
      navigate(`${base}/report?kind=${encodeURIComponent(draft.kind)}&draft=${draft.reportId}`);
      return;
    }
    setRestored((r) => ({ for: result, values: draft.values, n: (r?.n ?? 0) + 1 }));
    setOffer(null);
    setDraftMessage(t("draft.restored"));
  };
  // Drafts live on the device only: looked for once the page runs in the browser.
  useEffect(() => {
    const drafts = listDrafts(institution.id);
    const asked = wanted ? drafts.find((d) => d.reportId === wanted && d.kind === kind) : undefined;
    if (asked) {
      setRestored((r) => ({ for: undefined, values: asked.values, n: (r?.n ?? 0) + 1 }));
      setDraftMessage(t("draft.restored"));
      setOffer(null);
    } else setOffer(drafts.find((d) => d.reportId !== reportId) ?? null);
    // Only when the page or the kind changes, not as the user types.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [institution.id, kind, wanted]);
  // After a send with no answer, the keyboard goes to what was (not) sent.
  useEffect(() => {
    if (result?.notSent) document.querySelector<HTMLElement>(".error-summary")?.focus();
  }, [result]);
  const keepDraft = (form: HTMLFormElement) => {
    if (kind) saveDraft({ institutionId: institution.id, reportId, kind, values: formValues(new FormData(form)) });
  };
  const checkBeforeSending = (e: React.FormEvent<HTMLFormElement>) => {
    keepDraft(e.currentTarget);
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter && submitter.value !== "send") return;
    const read = readReportForm(formValues(new FormData(e.currentTarget)), {
      institutionId: institution.id,
      submittedBy: "browser",
      currency: institution.currency,
    });
    if (read.ok) return setBrowserErrors(null);
    e.preventDefault();
    setBrowserErrors({ for: result, errors: read.errors });
    requestAnimationFrame(() => document.querySelector<HTMLElement>(".error-summary")?.focus());
  };

  return (
    <div className="form-page">
      <p className="breadcrumb">
        <Link to="/institutions">{t("nav.institutions")}</Link> › <Link to={base}>{institution.name}</Link>
      </p>
      <h1>{kind ? reportKindName(t, kind) : t("report.title")}</h1>
      <p className="lead">
        {t("report.lead", { name: institution.name, country: institution.countryName, stage: institution.stageName })}
        {kind ? (
          <>
            {" "}
            <Link to={`${base}/report`}>{t("report.somethingElse")}</Link>
          </>
        ) : null}
      </p>
      {draftMessage ? <DraftStatus message={draftMessage} /> : null}
      {offer ? (
        <DraftOffer
          draft={offer}
          onRestore={() => restore(offer)}
          onDiscard={() => {
            clearDraft(institution.id, offer.reportId);
            setOffer(null);
            setDraftMessage(t("draft.discarded"));
          }}
        />
      ) : null}
      {!kind ? (
        <KindChooser institutionId={institution.id} kinds={data.kinds} />
      ) : (
        <Form
          method="post"
          encType="multipart/form-data"
          action={`${base}/report?kind=${kind}`}
          key={`${kind}-${restored?.n ?? 0}`}
          noValidate
          onSubmit={checkBeforeSending}
          onChange={(e) => keepDraft(e.currentTarget)}
        >
          <CsrfInput />
          {/* Enter in a field sends the report, not the first "More rows" button. */}
          <button type="submit" name="intent" value="send" className="visually-hidden" tabIndex={-1} aria-hidden="true">
            {t("report.send")}
          </button>
          {result?.notSent ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <p className="error-summary-lead">{t(`draft.${result.notSent}`)}</p>
              <p>{t("draft.filesNotKept")}</p>
            </div>
          ) : null}
          <ErrorSummary state={state} formError={result?.formError} />
          {data.resubmission ? (
            <div className="panel panel-warn" role="note">
              <h2>{t("report.returnedBy", { name: data.resubmission.decidedBy })}</h2>
              <p>{data.resubmission.comment}</p>
              <p className="field-hint">{t("report.fixHint")}</p>
            </div>
          ) : null}
          <input type="hidden" name="reportId" value={reportId} />
          <input type="hidden" name="kind" value={kind} />
          <section className="form-card">
            <ReportKindFields
              kind={kind}
              ctx={{
                state,
                modules: data.modules,
                trainers: data.trainers,
                currency: institution.currency,
                trainerRows:
                  result?.trainerRows ??
                  rowCount(state.values, "payload.trainers", data.trainerRows, DEFAULT_TRAINER_ROWS, MAX_TRAINER_ROWS),
              }}
            />
            <EvidenceFields
              state={state}
              rows={result?.evidenceRows ?? rowCount(state.values, "evidence", 0, DEFAULT_EVIDENCE_ROWS, MAX_EVIDENCE_ROWS)}
            />
            <EvidenceFileField state={state} maxMb={data.evidenceMaxMb} />
          </section>
          <section className="form-card" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t("report.effect")}</h2>
            <p className="field-hint">{t("report.effectHint")}</p>
            <GatePreview current={data.nextGate} preview={result?.preview} />
            <div className="actions">
              <SubmitButton value="preview" variant="secondary" busyLabel={t("report.previewBusy")}>
                {t("report.preview")}
              </SubmitButton>
            </div>
          </section>
          <div className="actions">
            <SubmitButton value="send">{t("report.sendReport")}</SubmitButton>
            <Link to={base}>{t("forms.cancel")}</Link>
          </div>
        </Form>
      )}
    </div>
  );
}
