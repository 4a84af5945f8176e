import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { TemplateStagesTable } from "~/features/templates/TemplateStagesTable";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { formValues } from "~/features/reports/report-form";
import { requireTemplateAdmin } from "~/features/templates/templates.server";
import { listCountries } from "../../db/queries/institutions";
import {
  TemplateStateError,
  createDraft,
  getTemplateVersion,
  listTemplateVersions,
  publishDraft,
  retireVersion,
} from "../../db/queries/templates";
import { readForm } from "~/platform/request-body.server";
import { readFlash, redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.template.id ?? "Template"} · Pathways` }];

async function loadVersion(context: LoaderFunctionArgs["context"], id: string | undefined) {
  const template = id ? await getTemplateVersion(context.db, id) : null;
  if (!template) throw new Response("Not found", { status: 404 });
  return template;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireTemplateAdmin(request, context);
  const template = await loadVersion(context, params.templateId);
  const [countries, versions] = await Promise.all([listCountries(context.db), listTemplateVersions(context.db)]);
  const onIt = versions.find((v) => v.id === template.id)?.institutions ?? 0;
  const { flash, headers } = readFlash(request, context);
  return json(
    {
      notice: flash.notice,
      template: {
        ...template,
        createdAt: template.createdAt.toISOString(),
        publishedAt: template.publishedAt ? template.publishedAt.toISOString() : null,
      },
      institutions: onIt,
      countryName: template.countryCode
        ? (countries.find((c) => c.code === template.countryCode)?.name ?? template.countryCode)
        : null,
      countries: countries.map((c) => ({ code: c.code, name: c.name })),
    },
    { headers },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireTemplateAdmin(request, context);
  const template = await loadVersion(context, params.templateId);
  const t = getTranslator(request, actor);
  const values = formValues(await readForm(request));
  try {
    if (values.intent === "publish") {
      await context.db.transaction().execute((trx) => publishDraft(trx, template.id, actor.name, new Date()));
      const notice = t("templates.view.published", { id: template.id });
      return redirectWithNotice(request, context, `/admin/templates/${encodeURIComponent(template.id)}`, notice);
    }
    if (values.intent === "retire") {
      await context.db.transaction().execute((trx) => retireVersion(trx, template.id, actor.name, new Date()));
      const notice = t("templates.view.retired", { id: template.id });
      return redirectWithNotice(request, context, `/admin/templates/${encodeURIComponent(template.id)}`, notice);
    }
    if (values.intent === "draft") {
      const target = values.target ?? "same";
      const countryCode = target === "same" ? undefined : target === "default" ? null : target;
      if (countryCode && !(await listCountries(context.db)).some((c) => c.code === countryCode)) {
        return json({ error: t("templates.error.notFound") }, { status: 400 });
      }
      const draft = await context.db
        .transaction()
        .execute((trx) => createDraft(trx, { fromId: template.id, countryCode, actor: actor.name, now: new Date() }));
      return redirect(`/admin/templates/${encodeURIComponent(draft.id)}/edit`);
    }
  } catch (e) {
    if (e instanceof TemplateStateError) return json({ error: t(`templates.error.${e.code}`) }, { status: 409 });
    throw e;
  }
  return json({ error: t("templates.error.badDraft") }, { status: 400 });
}

export default function TemplateVersionPage() {
  const { template, institutions, countryName, countries, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const isDraft = template.status === "draft";
  const id = encodeURIComponent(template.id);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/admin/templates">{t("templates.view.back")}</Link>
      </p>
      <h1>{t("templates.view.title", { name: template.name, version: template.version })}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {result?.error ? (
        <p className="form-error" role="alert">
          {result.error}
        </p>
      ) : null}
      <p>
        <strong>{template.id}</strong> · {t(`templates.status.${template.status}`)} ·{" "}
        {countryName ? t("templates.view.country", { country: countryName }) : t("templates.view.allCountries")} ·{" "}
        {t("templates.col.institutions")}: {t.number(institutions)}
      </p>
      <p className="muted">{isDraft ? t("templates.view.draftNote") : t("templates.view.immutable")}</p>
      {template.notes ? <p>{template.notes}</p> : null}

      <div className="button-row">
        {isDraft ? (
          <Link className="button button-primary" to={`/admin/templates/${id}/edit`}>
            {t("templates.view.edit")}
          </Link>
        ) : null}
        {template.status === "published" ? (
          <Link className="button button-secondary" to={`/admin/templates/${id}/move`}>
            {t("templates.view.move")}
          </Link>
        ) : null}
      </div>

      {isDraft ? (
        <Form method="post" className="form-card">
          <CsrfInput />
          <p className="field-hint" id="publish-hint">
            {t("templates.view.publishHint")}
          </p>
          <SubmitButton value="publish">{t("templates.view.publish")}</SubmitButton>
        </Form>
      ) : null}

      {template.status === "published" ? (
        <Form method="post" className="form-card">
          <CsrfInput />
          <p className="field-hint">{t("templates.view.retireHint")}</p>
          <SubmitButton value="retire" variant="danger">
            {t("templates.view.retire")}
          </SubmitButton>
        </Form>
      ) : null}

      <TemplateStagesTable definition={template.definition} />

      <Form method="post" className="form-card">
        <CsrfInput />
        <h2>{t("templates.view.newDraft")}</h2>
        <div className="fields">
          <div className="field">
            <label htmlFor="draft-target">{t("templates.view.newDraftFor")}</label>
            <select id="draft-target" name="target" defaultValue="same">
              <option value="same">{t("templates.view.sameTemplate", { key: template.key })}</option>
              {template.countryCode ? <option value="default">{t("templates.view.defaultTemplate")}</option> : null}
              {countries
                .filter((c) => c.code !== template.countryCode)
                .map((c) => (
                  <option key={c.code} value={c.code}>
                    {t("templates.view.countryTemplate", { country: c.name })}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <SubmitButton value="draft" variant="secondary">
          {t("templates.view.create")}
        </SubmitButton>
      </Form>
    </div>
  );
}
