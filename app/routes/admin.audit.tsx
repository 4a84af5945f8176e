import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { assertCan, requireActor } from "~/utils/access.server";
import { listAuditPage } from "../../db/queries/audit";

export const meta: MetaFunction = () => [{ title: "Audit log · Pathways" }];

const PAGE_SIZE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "administer");
  const url = new URL(request.url);
  const filter = {
    actor: url.searchParams.get("actor")?.trim() || undefined,
    action: url.searchParams.get("action")?.trim() || undefined,
    entityId: url.searchParams.get("entity")?.trim() || undefined,
    before: Number(url.searchParams.get("before")) || undefined,
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
  const { rows, filter, olderFrom } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Audit log</h1>
      <p className="lede">Every change, who made it and when, with the record before and after. The log cannot be edited.</p>
      <Form method="get" className="filters">
        <label>Who <input name="actor" defaultValue={filter.actor ?? ""} /></label>
        <label>Action <input name="action" defaultValue={filter.action ?? ""} placeholder="e.g. report.verified" /></label>
        <label>Record id <input name="entity" defaultValue={filter.entityId ?? ""} /></label>
        <button type="submit">Filter</button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">No entries match. <Link to="/admin/audit">Show all</Link></p>
      ) : (
        <table className="data audit">
          <caption className="visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Record</th><th scope="col">Before</th><th scope="col">After</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td><time dateTime={r.occurred_at}>{r.occurred_at.slice(0, 19).replace("T", " ")}</time></td>
                <td>{r.actor}</td>
                <td>{r.action}</td>
                <td>
                  {r.entity_type} {r.institution_id ? <Link to={`/institutions/${r.institution_id}`}>{r.entity_id.slice(0, 8)}</Link> : r.entity_id.slice(0, 8)}
                </td>
                <td><Json value={r.before} /></td>
                <td><Json value={r.after} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {olderFrom ? (
        <p>
          <Link to={`?${new URLSearchParams({ ...(filter.actor ? { actor: filter.actor } : {}), ...(filter.action ? { action: filter.action } : {}), ...(filter.entityId ? { entity: filter.entityId } : {}), before: String(olderFrom) })}`}>Older entries</Link>
        </p>
      ) : null}
    </div>
  );
}
