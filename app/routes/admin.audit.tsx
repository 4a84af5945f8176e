import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAllowed } from "~/platform/guard.server";
import { countAudit, listActionKinds, listAuditPage, type AuditFilter } from "../../db/queries/audit";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import { queryInt, searchParams } from "~/platform/request-body.server";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { ListRange, Pager } from "~/components/ListControls";
import { ScrollTable } from "~/components/ScrollTable";
import { changedFields } from "~/components/audit-changes";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.audit.title");

const MAX_FIELD = 200;

/** A YYYY-MM-DD day in the address, or undefined when empty or not a real day (then no bound). */
function day(raw: string | null): string | undefined {
  const s = raw?.trim() ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? undefined : s;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAllowed(request, context, "administer");
  const search = searchParams(request);
  const list = parseListQuery(search, { sorts: ["when"] as const, defaultSort: "when", defaultDir: { when: "desc" } });
  const text = (k: string) => search.get(k)?.trim().slice(0, MAX_FIELD) || undefined;
  const filter = {
    actor: text("actor"),
    action: text("action"),
    entity: text("entity"),
    from: day(search.get("from")),
    to: day(search.get("to")),
  };
  const query: AuditFilter = {
    actor: filter.actor,
    action: filter.action,
    entityId: filter.entity,
    from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
    // "To" is inclusive: everything before the start of the next day.
    to: filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) : undefined,
    // Links from before numbered pages (?before=<id>) still open, and a malformed one is a 400.
    beforeId: queryInt(search, "before", 1, Number.MAX_SAFE_INTEGER),
  };
  const [total, kinds] = await Promise.all([countAudit(context.db, query), listActionKinds(context.db)]);
  const page = pageWindow(total, list.page, list.per);
  const rows = await listAuditPage(context.db, { ...query, offset: page.offset, limit: page.per });
  return json({
    filter,
    kinds,
    page,
    rows: rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at.toISOString(),
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      institutionId: r.institution_id,
      changes: changedFields(r.before, r.after),
      raw: r.before === null && r.after === null ? null : JSON.stringify({ before: r.before, after: r.after }, null, 1),
    })),
  });
}

export default function AuditLog() {
  const t = useT();
  const { rows, filter, kinds, page } = useLoaderData<typeof loader>();
  const kindChoice = filter.action && !kinds.includes(filter.action) ? [...kinds, filter.action] : kinds;
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
          <select name="action" defaultValue={filter.action ?? ""}>
            <option value="">{t("admin.audit.allKinds")}</option>
            {kindChoice.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("admin.audit.record")} <input name="entity" defaultValue={filter.entity ?? ""} />
        </label>
        <label>
          {t("admin.audit.from")} <input type="date" name="from" defaultValue={filter.from ?? ""} />
        </label>
        <label>
          {t("admin.audit.to")} <input type="date" name="to" defaultValue={filter.to ?? ""} />
        </label>
        <button type="submit">{t("admin.audit.filter")}</button>
      </Form>
      <ListRange window={page} />
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
              <th scope="col">{t("admin.audit.changes")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.occurredAt}>{t.dateTime(r.occurredAt)}</time>
                </td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td>
                  {r.entityType}{" "}
                  {r.institutionId ? (
                    <Link to={`/institutions/${r.institutionId}`}>{r.entityId.slice(0, 8)}</Link>
                  ) : (
                    r.entityId.slice(0, 8)
                  )}
                </td>
                <td>
                  {r.changes.length === 0 ? (
                    <span className="muted">{t("admin.audit.noChanges")}</span>
                  ) : (
                    <ul className="audit-changes">
                      {r.changes.map((c) => (
                        <li key={c.field}>
                          {c.field ? <strong>{c.field}: </strong> : null}
                          {c.before === null ? (
                            <span className="muted">{t("admin.audit.unset")}</span>
                          ) : (
                            <del>{readable(t, c.before)}</del>
                          )}{" "}
                          <span aria-hidden="true">→</span>
                          <span className="visually-hidden">{t("admin.audit.becomes")}</span>{" "}
                          {c.after === null ? (
                            <span className="muted">{t("admin.audit.unset")}</span>
                          ) : (
                            <ins>{readable(t, c.after)}</ins>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  {r.raw ? (
                    <details>
                      <summary>{t("admin.audit.raw")}</summary>
                      <pre className="json">{r.raw}</pre>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      <Pager window={page} />
    </div>
  );
}

/** A value as a person reads it: dates and moments inside it in the reader's date format (the raw record keeps ISO). */
function readable(t: Translator, value: string): string {
  return value.replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, (iso) =>
    iso.length > 10 ? t.dateTime(iso.replace(" ", "T")) : t.date(iso),
  );
}
