import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { isImportEntity } from "~/features/import/rules/index";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { assertCsrf } from "~/platform/access.server";
import { importableEntities, requireImporter } from "~/features/import/import-access.server";
import { IMPORT_MAX_BYTES } from "~/features/import/rules/limits";
import { dryRun, ImportFileError } from "~/features/import/import.server";
import { exportPool } from "~/platform/export-pool.server";
import { MultipartLimitError, readMultipartForm } from "~/platform/multipart.server";
import { countBatches, listBatches } from "../../db/queries/imports";
import { ListRange, Pager } from "~/components/ListControls";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { searchParams } from "~/platform/request-body.server";

export const meta: MetaFunction = () => [{ title: "Import · Pathways" }];

const MAX_MB = IMPORT_MAX_BYTES / 1024 / 1024;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireImporter(request, context);
  const entities = importableEntities(actor);
  const params = searchParams(request);
  // The history shows the kinds of import this person may make, filtered in SQL before paging.
  const list = parseListQuery(params, { sorts: ["newest"] as const, defaultSort: "newest", perDefault: 20 });
  const page = pageWindow(await countBatches(context.db, [...entities]), list.page, list.per);
  const batches =
    page.total === 0 ? [] : await listBatches(context.db, page.per, { offset: page.offset, entities: [...entities] });
  const chosen = params.get("entity");
  return json({
    entities,
    chosen: isImportEntity(chosen) && entities.includes(chosen) ? chosen : entities[0],
    page,
    batches: batches.map((b) => ({ ...b, created_at: b.created_at.toISOString() })),
  });
}

type Errors = Partial<Record<"entity" | "file", string>>;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireImporter(request, context);
  const t = getTranslator(request, actor);
  const refuse = (errors: Errors, status = 400) => json({ errors }, { status });
  let form: FormData;
  try {
    // One file and two short fields: reading stops at a second file or past the size limit.
    form = await readMultipartForm(request, {
      maxBodyBytes: IMPORT_MAX_BYTES + 64 * 1024,
      maxFileBytes: IMPORT_MAX_BYTES,
      maxFiles: 1,
      maxParts: 8,
    });
  } catch (e) {
    if (e instanceof MultipartLimitError) {
      const tooLarge = e.reason === "body" || e.reason === "file";
      return refuse({ file: tooLarge ? t("import.error.tooLarge", { mb: MAX_MB }) : t("import.error.form") }, e.status);
    }
    if (e instanceof Response) throw e;
    // A garbled or truncated body, or a file name the parser cannot split (`;`, `=`): the client's fault.
    throw json({ message: "The form could not be read. Reload the page and try again." }, { status: 400 });
  }
  await assertCsrf(request, context, form);
  const entity = form.get("entity");
  if (!isImportEntity(entity)) return refuse({ entity: t("import.error.entity") });
  if (!importableEntities(actor).includes(entity)) throw new Response("Forbidden", { status: 403 });
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return refuse({ file: t("import.error.noFile") });
  try {
    // The file is read and checked on an export thread (decision 037): a 10,000-row file no longer holds the loop.
    const pool = exportPool(context.config);
    const id = await dryRun(
      context.db,
      {
        entity,
        fileName: file.name.slice(0, 200) || "file",
        bytes: new Uint8Array(await file.arrayBuffer()),
        actorId: actor.id,
        now: new Date(),
      },
      (job) => pool.check(job),
    );
    return redirect(`/import/batch?id=${id}`);
  } catch (e) {
    if (e instanceof ImportFileError) return refuse({ file: t(e.code, e.vars) }, 422);
    throw e;
  }
}

export default function ImportPage() {
  const { entities, chosen, batches, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Errors = result?.errors ?? {};
  const t = useT();
  return (
    <div className="page">
      <h1>{t("import.title")}</h1>
      <p className="lede">{t("import.lead")}</p>

      <section aria-labelledby="templates-heading">
        <h2 id="templates-heading">{t("import.templates.title")}</h2>
        <p>{t("import.templates.lead")}</p>
        <ul>
          {entities.map((e) => (
            <li key={e}>
              <strong>{t(`import.entity.${e}`)}</strong> — {t(`import.key.${e}`)}{" "}
              <a href={`/import/template?entity=${e}&format=xlsx`} download>
                {t("import.templates.xlsx", { entity: t(`import.entity.${e}`) })}
              </a>
              {" · "}
              <a href={`/import/template?entity=${e}&format=csv`} download>
                {t("import.templates.csv", { entity: t(`import.entity.${e}`) })}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t("import.upload.title")}</h2>
        <Form method="post" encType="multipart/form-data" className="form-card" noValidate>
          <CsrfInput />
          <div className="fields">
            <div className="field">
              <label htmlFor="import-entity">{t("import.entity.label")}</label>
              <select
                id="import-entity"
                name="entity"
                defaultValue={chosen}
                aria-invalid={errors.entity ? true : undefined}
                aria-describedby={errors.entity ? "import-entity-error" : undefined}
              >
                {entities.map((e) => (
                  <option key={e} value={e}>
                    {t(`import.entity.${e}`)}
                  </option>
                ))}
              </select>
              {errors.entity ? (
                <p className="field-error" id="import-entity-error">
                  {errors.entity}
                </p>
              ) : null}
            </div>
            <div className="field field-wide">
              <label htmlFor="import-file">{t("import.upload.file", { mb: MAX_MB })}</label>
              <input
                id="import-file"
                type="file"
                name="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                aria-invalid={errors.file ? true : undefined}
                aria-describedby={errors.file ? "import-file-error" : undefined}
              />
              {errors.file ? (
                <p className="field-error" id="import-file-error" role="alert">
                  {errors.file}
                </p>
              ) : null}
            </div>
          </div>
          <div className="actions">
            <SubmitButton busyLabel={t("import.upload.busy")}>{t("import.upload.submit")}</SubmitButton>
          </div>
        </Form>
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t("import.history.title")}</h2>
        {batches.length === 0 ? (
          <p className="empty">{t("import.history.empty")}</p>
        ) : (
          <>
            <ListRange window={page} />
            <div className="table-scroll" role="region" aria-labelledby="history-heading" tabIndex={0}>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("import.history.when")}</th>
                    <th scope="col">{t("import.history.entity")}</th>
                    <th scope="col">{t("import.history.file")}</th>
                    <th scope="col">{t("import.history.by")}</th>
                    <th scope="col">{t("import.history.status")}</th>
                    <th scope="col">{t("import.history.result")}</th>
                    <th scope="col">{t("import.history.problems")}</th>
                  </tr>
                </thead>
                <tbody>
                  {batches.map((b) => (
                    <tr key={b.id}>
                      <td>
                        <time dateTime={b.created_at}>
                          {t.date(b.created_at)} {b.created_at.slice(11, 16)}
                        </time>
                      </td>
                      <td>{t(`import.entity.${b.entity}`)}</td>
                      <td>
                        <Link to={`/import/batch?id=${b.id}`}>{b.file_name}</Link>
                      </td>
                      <td>{b.by_name}</td>
                      <td>{t(`import.status.${b.status}`)}</td>
                      <td>
                        {b.status === "invalid"
                          ? "—"
                          : `${t.number(b.created)} / ${t.number(b.updated)} / ${t.number(b.unchanged)}`}
                      </td>
                      <td>{t.number(b.problem_count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager window={page} label={t("import.history.pages")} />
          </>
        )}
      </section>
    </div>
  );
}
