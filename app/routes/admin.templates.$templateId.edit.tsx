import flowStyles from "@xyflow/react/dist/style.css";
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { TemplateEditor } from "~/features/templates/TemplateEditor";
import {
  draftFromDefinition,
  validateDraft,
  type TemplateDraft,
  type TemplateProblem,
} from "~/features/templates/template-validation";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import templateStyles from "~/styles/templates.css";
import { requireTemplateAdmin } from "~/features/templates/templates.server";
import { TemplateStateError, getTemplateVersion, saveDraft } from "../../db/queries/templates";
import { readForm } from "~/platform/request-body.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: flowStyles },
  { rel: "stylesheet", href: templateStyles },
];

export const meta: MetaFunction = () => [{ title: "Edit template · Pathways" }];

async function loadDraft(context: LoaderFunctionArgs["context"], id: string | undefined) {
  const template = id ? await getTemplateVersion(context.db, id) : null;
  if (!template) throw new Response("Not found", { status: 404 });
  return template;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireTemplateAdmin(request, context);
  const template = await loadDraft(context, params.templateId);
  // A published version is never edited: its page offers a new draft instead.
  if (template.status !== "draft") return redirect(`/admin/templates/${encodeURIComponent(template.id)}`);
  return json({ id: template.id, draft: draftFromDefinition(template.definition, template.notes) });
}

/** The draft as the editor sends it, checked for shape only (the rules come after). */
function readDraft(text: string): TemplateDraft | null {
  try {
    const d = JSON.parse(text) as TemplateDraft;
    const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObj(d) || !Array.isArray(d.stages) || !Array.isArray(d.edges) || !isObj(d.timers) || !isObj(d.readinessWeights))
      return null;
    const str = (v: unknown) => typeof v === "string";
    const num = (v: unknown) => v === undefined || v === null || typeof v === "string" || typeof v === "number";
    // Words in other languages: absent, or language code → text.
    const words = (v: unknown) => v === undefined || (isObj(v) && Object.values(v as object).every(str));
    if (!words(d.templateNames)) return null;
    for (const s of d.stages) {
      if (!isObj(s) || !str(s.id) || !str(s.key) || !str(s.name) || !Array.isArray(s.gate)) return null;
      if (!words(s.names) || !words(s.descriptions)) return null;
      s.description = str(s.description) ? s.description : "";
      for (const c of s.gate) {
        if (
          !isObj(c) ||
          !str(c.key) ||
          !str(c.label) ||
          !str(c.metric) ||
          !num(c.threshold) ||
          !num(c.windowMonths) ||
          !num(c.floorReviews)
        )
          return null;
        if (c.module !== undefined && !str(c.module)) return null;
        if (!words(c.labels)) return null;
      }
    }
    for (const e of d.edges) if (!isObj(e) || !str(e.from) || !str(e.to)) return null;
    if (d.notes !== undefined && !str(d.notes)) return null;
    return d;
  } catch {
    return null;
  }
}

type Problem = TemplateProblem & { message: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireTemplateAdmin(request, context);
  const template = await loadDraft(context, params.templateId);
  const t = getTranslator(request, actor);
  const form = await readForm(request);
  const draft = readDraft(String(form.get("draft") ?? ""));
  const refuse = (problems: Problem[], status = 400) => json({ saved: false, problems, draft }, { status });
  if (!draft) return refuse([{ code: "badDraft", vars: {}, field: "stages", message: t("templates.error.badDraft") }]);
  if (template.status !== "draft")
    return refuse([{ code: "notDraft", vars: {}, field: "stages", message: t("templates.error.notDraft") }], 409);

  const result = validateDraft(draft);
  if (!result.ok) return refuse(result.problems.map((p) => ({ ...p, message: t(`templates.error.${p.code}`, p.vars) })));
  try {
    await context.db
      .transaction()
      .execute((trx) => saveDraft(trx, template.id, result.definition, (draft.notes ?? "").trim(), actor.name, new Date()));
  } catch (e) {
    if (e instanceof TemplateStateError)
      return refuse([{ code: e.code, vars: {}, field: "stages", message: t(`templates.error.${e.code}`) }], 409);
    throw e;
  }
  return json({ saved: true, problems: [] as Problem[], draft });
}

export default function EditTemplate() {
  const { id, draft: initial } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const start = (result?.draft ?? initial) as TemplateDraft;
  const [draft, setDraft] = useState<TemplateDraft>(start);
  const onDraftChange = useCallback((d: TemplateDraft) => setDraft(d), []);
  const problems = result?.problems ?? [];
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/admin/templates">{t("templates.view.back")}</Link> ›{" "}
        <Link to={`/admin/templates/${encodeURIComponent(id)}`}>{id}</Link>
      </p>
      <h1>{t("templates.editor.title", { id })}</h1>
      <p className="lede">{t("templates.editor.lede")}</p>
      {result?.saved ? (
        <p className="notice" role="status">
          {t("templates.editor.saved")}{" "}
          <Link to={`/admin/templates/${encodeURIComponent(id)}`}>{t("templates.editor.view")}</Link>
        </p>
      ) : null}
      <TemplateEditor initial={start} problems={problems as Problem[]} onDraftChange={onDraftChange} />
      <Form method="post" className="form-card">
        <CsrfInput />
        <input type="hidden" name="draft" value={JSON.stringify(draft)} />
        <SubmitButton busyLabel={t("templates.editor.saving")}>{t("templates.editor.save")}</SubmitButton>
      </Form>
    </div>
  );
}
