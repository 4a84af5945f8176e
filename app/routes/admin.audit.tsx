import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAllowed } from "~/platform/guard.server";
import { listAuditPage } from "../../db/queries/audit";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { queryInt, searchParams } from "~/platform/request-body.server";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.audit.title");

const PAGE_SIZE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAllowed(request, context, "administer");
  const search = searchParams(request);
  const filter = {
    actor: search.get("actor")?.trim() || undefined,
    action: search.get("action")?.trim() || undefined,
    entityId: search.get("entity")?.trim() || undefined,
    before: queryInt(search, "before", 1, Number.MAX_SAFE_INTEGER),
  };
  const rows = await listAuditPage(context.db, { ...filter, limit: PAGE_SIZE + 1 });
  return json({
    filter,
    rows: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, occurred_at: r.occurred_at.toISOString() })),
    olderFrom: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
  });
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <pre className="json">{JSON.stringify(value, null, 1)}</pre>;
}

export default function AuditLog() {
  const t = useT();
  const { rows, filter, olderFrom } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("admin.audit.title")}</h1>
      <p className="lede">{t("admin.audit.lede")}</p>
      <Form method="get" className="filters">
        <label>
          {t("admin.audit.who")} <input name="actor" defaultValue={filter.actor ?? ""} />
        </label>
        <label>
          {t("admin.audit.action")}{" "}
          <input name="action" defaultValue={filter.action ?? ""} placeholder={t("admin.audit.actionPlaceholder")} />
        </label>
        <label>
          {t("admin.audit.record")} <input name="entity" defaultValue={filter.entityId ?? ""} />
        </label>
        <button type="submit">{t("admin.audit.filter")}</button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">
          {t("admin.audit.none")} <Link to="/admin/audit">{t("admin.audit.showAll")}</Link>
        </p>
      ) : (
        <ScrollTable label={t("admin.audit.caption")} className="data audit">
          <caption className="visually-hidden">{t("admin.audit.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.audit.when")}</th>
              <th scope="col">{t("admin.audit.who")}</th>
              <th scope="col">{t("admin.audit.action")}</th>
              <th scope="col">{t("admin.audit.recordCol")}</th>
              <th scope="col">{t("admin.audit.before")}</th>
              <th scope="col">{t("admin.audit.after")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.occurred_at}>{r.occurred_at.slice(0, 19).replace("T", " ")}</time>
                </td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td>
                  {r.entity_type}{" "}
                  {r.institution_id ? (
                    <Link to={`/institutions/${r.institution_id}`}>{r.entity_id.slice(0, 8)}</Link>
                  ) : (
                    r.entity_id.slice(0, 8)
                  )}
                </td>
                <td>
                  <Json value={r.before} />
                </td>
                <td>
                  <Json value={r.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {olderFrom ? (
        <p>
          <Link
            to={`?${new URLSearchParams({ ...(filter.actor ? { actor: filter.actor } : {}), ...(filter.action ? { action: filter.action } : {}), ...(filter.entityId ? { entity: filter.entityId } : {}), before: String(olderFrom) })}`}
          >
            {t("admin.audit.older")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
