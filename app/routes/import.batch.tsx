import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import type { Problem } from "~/features/import/rules/columns";
import { problemMessage } from "~/features/import/rules/describe";
import type { ImportEntityName } from "~/features/import/rules/index";
import { useT } from "~/i18n/react";
import type { Actor } from "~/platform/access.server";
import { importableEntities, requireImporter } from "~/features/import/import-access.server";
import { jobProgress, STALE_MS, startImportJob } from "~/features/import/import.server";
import { startPathways, tellHistoryImported, tellRecordsChanged } from "~/features/pathway/pathway.server";
import { formValues } from "~/features/reports/report-form";
import { getBatch, previousImportOf } from "../../db/queries/imports";
import { readForm } from "~/platform/request-body.server";

export const meta: MetaFunction = () => [{ title: "Import · Pathways" }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The batch the request names, if the actor may import its kind of data; 404 otherwise. */
async function batchFor(actor: Actor, context: LoaderFunctionArgs["context"], id: string | null) {
  const batch = id && UUID.test(id) ? await getBatch(context.db, id) : undefined;
  if (!batch || !importableEntities(actor).includes(batch.entity as ImportEntityName))
    throw new Response("Not found", { status: 404 });
  return { batch };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireImporter(request, context);
  const { batch } = await batchFor(actor, context, new URL(request.url).searchParams.get("id"));
  const progress = jobProgress(batch.id) ?? null;
  const stale =
    batch.status === "running" && !progress && !!batch.started_at && Date.now() - batch.started_at.getTime() > STALE_MS;
  const previous = await previousImportOf(context.db, batch.entity as ImportEntityName, batch.sha256, batch.id);
  return json({
    batch: {
      ...batch,
      problems: batch.problems as Problem[],
      created_at: batch.created_at.toISOString(),
      finished_at: batch.finished_at?.toISOString() ?? null,
      started_at: undefined,
    },
    running: !!progress || (batch.status === "running" && !stale),
    progress,
    stale,
    previousAt: previous?.finished_at?.toISOString() ?? null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireImporter(request, context);
  const values = formValues(await readForm(request));
  const { batch } = await batchFor(actor, context, values.id ?? null);
  if (values.intent !== "import") throw new Response("Unknown action", { status: 400 });
  // Not awaited: the import runs in the background while the page shows its progress.
  void startImportJob(context.db, batch.id, {
    actor: { id: actor.id, name: actor.name },
    now: () => new Date(),
    startPathways: (ids, onProgress) => startPathways(context.temporal, context.config.TEMPORAL_TASK_QUEUE, ids, { onProgress }),
    recordsChanged: (ids, onProgress) =>
      tellRecordsChanged(context.temporal, context.config.TEMPORAL_TASK_QUEUE, ids, `import-${batch.id}`, onProgress),
    historyImported: (ids, onProgress) =>
      tellHistoryImported(context.temporal, context.config.TEMPORAL_TASK_QUEUE, ids, `import-${batch.id}`, onProgress),
  });
  return redirect(`/import/batch?id=${batch.id}`);
}

function Progress({ progress }: { progress: { phase: string; done: number; total: number } | null }) {
  const t = useT();
  const revalidator = useRevalidator();
  // With JavaScript the page asks again every second; without it, the refresh below does.
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <div role="status" aria-live="polite" className="progress-panel">
      <noscript>
        <meta httpEquiv="refresh" content="3" />
      </noscript>
      <p>{t("import.progress.waiting")}</p>
      {progress && progress.phase === "writing" ? (
        <>
          <progress max={progress.total} value={progress.done} aria-label={t("import.status.running")} />
          <p>{t.plural("import.progress.writing", progress.total, { done: t.number(progress.done) })}</p>
        </>
      ) : progress && progress.phase === "pathways" ? (
        <>
          <progress max={progress.total} value={progress.done} aria-label={t("import.status.running")} />
          <p>{t("import.progress.pathways", { done: t.number(progress.done), total: t.number(progress.total) })}</p>
        </>
      ) : (
        <p>{t("import.progress.checking")}</p>
      )}
      <p>
        <a href="">{t("import.progress.check")}</a>
      </p>
    </div>
  );
}

export default function ImportBatch() {
  const { batch, running, progress, stale, previousAt } = useLoaderData<typeof loader>();
  const t = useT();
  const status = stale ? "interrupted" : running ? "running" : batch.status;
  const canImport = (batch.status === "checked" || stale) && !running;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/import">{t("import.title")}</Link>
      </p>
      <h1>{t("import.batch.title", { file: batch.file_name })}</h1>
      <p className="lede">
        {t.plural("import.batch.meta", batch.rows, {
          entity: t(`import.entity.${batch.entity}`),
          by: batch.by_name,
          date: t.date(batch.created_at),
        })}
      </p>
      <p>
        <strong>{t(`import.status.${status}`)}</strong>
      </p>
      <p className="muted">
        {t("import.batch.sha")}: <code>{batch.sha256}</code>
      </p>
      {previousAt && batch.status !== "done" ? (
        <p className="notice">{t("import.batch.sameFile", { date: t.date(previousAt) })}</p>
      ) : null}

      {batch.status !== "invalid" ? (
        <section aria-labelledby="counts-heading">
          <h2 id="counts-heading">{t("import.counts.title")}</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("import.counts.create")}</th>
                <th scope="col">{t("import.counts.update")}</th>
                <th scope="col">{t("import.counts.unchanged")}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{t.number(batch.created)}</td>
                <td>{t.number(batch.updated)}</td>
                <td>{t.number(batch.unchanged)}</td>
              </tr>
            </tbody>
          </table>
        </section>
      ) : null}

      {running ? <Progress progress={progress} /> : null}
      {stale ? <p className="notice">{t("import.result.interrupted")}</p> : null}

      {canImport ? (
        <Form method="post" className="form-card">
          <CsrfInput />
          <input type="hidden" name="id" value={batch.id} />
          {batch.status === "checked" ? <p>{t("import.dryRun.ok")}</p> : null}
          <p>{t("import.confirm.note")}</p>
          <div className="actions">
            <SubmitButton value="import" busyLabel={t("import.confirm.busy")}>
              {t.plural("import.confirm", batch.rows, { rows: t.number(batch.rows) })}
            </SubmitButton>
          </div>
        </Form>
      ) : null}

      {batch.status === "done" && !running ? (
        <div role="status" className="notice">
          <p>
            {t("import.result.done", {
              created: t.number(batch.created),
              updated: t.number(batch.updated),
              unchanged: t.number(batch.unchanged),
            })}
          </p>
          {batch.entity === "trainers" || batch.entity === "training_cycles" ? <p>{t("import.result.records")}</p> : null}
          {batch.error ? <p>{t(batch.error)}</p> : null}
        </div>
      ) : null}
      {batch.status === "failed" && !running && !stale ? (
        <div role="alert" className="error-summary">
          <p>{t(batch.error ?? "import.error.failed")}</p>
        </div>
      ) : null}

      {batch.status === "invalid" ? (
        <section aria-labelledby="problems-heading">
          <h2 id="problems-heading">{t("import.problems.title")}</h2>
          <p role="alert">{t.plural("import.problems.count", batch.problem_count)}</p>
          {batch.problems.length < batch.problem_count ? (
            <p>{t("import.problems.shown", { shown: t.number(batch.problems.length) })}</p>
          ) : null}
          <div className="table-scroll" role="region" aria-labelledby="problems-heading" tabIndex={0}>
            <table className="data problems">
              <thead>
                <tr>
                  <th scope="col">{t("import.problems.row")}</th>
                  <th scope="col">{t("import.problems.column")}</th>
                  <th scope="col">{t("import.problems.message")}</th>
                </tr>
              </thead>
              <tbody>
                {batch.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>
                      <code>{p.column}</code>
                    </td>
                    <td>{problemMessage(p, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <p>
        <Link to={`/import?entity=${batch.entity}`}>{t("import.again")}</Link>
      </p>
    </div>
  );
}
