import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { reportKindLabel } from "~/domain/report-kinds";
import { requireActor } from "~/utils/access.server";
import { listReturnedReports } from "../../db/queries/reports";

export const meta: MetaFunction = () => [{ title: "Inbox · Pathways" }];

/** Reports an ILO officer sent back: what to fix, and a way to fix it and send it again. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  if (actor.role === "viewer") throw new Response("Forbidden", { status: 403 });
  const scope = actor.role === "institution_reporter" ? actor.institutionId : null;
  const returned = await listReturnedReports(context.db, scope);
  return json({
    returned: returned.map((r) => ({
      ...r,
      decided_at: r.decided_at?.toISOString() ?? null,
      label: reportKindLabel(r.kind),
    })),
  });
}

export default function Inbox() {
  const { returned } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Inbox</h1>
      <p className="lede">Reports returned for revision. Fix what the officer asked for and send them again: they keep their history.</p>
      {returned.length === 0 ? (
        <p className="empty">Nothing to fix. Returned reports appear here with the officer's comment.</p>
      ) : (
        <ul className="inbox">
          {returned.map((r) => (
            <li key={r.id} className="panel panel-warn">
              <h2>
                {r.label} <span className="muted">— {r.institution_name}</span>
              </h2>
              <p>
                Returned by {r.decided_by}
                {r.decided_at ? <> on <time dateTime={r.decided_at}>{r.decided_at.slice(0, 10)}</time></> : null}:
              </p>
              <blockquote>{r.decision_comment}</blockquote>
              <p>
                <Link className="button button-primary" to={`/institutions/${r.institution_id}/report?kind=${r.kind}&resubmit=${r.id}`}>
                  Fix and send again
                </Link>{" "}
                <Link to={`/institutions/${r.institution_id}/reports/${r.id}`}>See the report and its history</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
