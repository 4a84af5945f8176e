import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { reportKindLabel } from "~/domain/report-kinds";
import { can, requireActor, type Actor } from "~/utils/access.server";
import { CsrfInput } from "~/components/CsrfInput";
import { updatePathway } from "~/utils/workflow-errors.server";
import { listVerificationQueue } from "../../db/queries/reports";
import { decideReportUpdate } from "~/utils/pathway-messages.server";

export const meta: MetaFunction = () => [{ title: "Verification queue · Pathways" }];

function requireVerifier(actor: Actor) {
  if (actor.role !== "ilo_admin" && actor.role !== "ilo_officer") throw new Response("Forbidden", { status: 403 });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  requireVerifier(actor);
  const reports = await listVerificationQueue(context.db, actor.countries);
  const now = Date.now();
  return json({
    reports: reports.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      country: r.country_name,
      kind: r.kind,
      revision: r.revision,
      submittedBy: r.submitted_by,
      submittedAt: r.submitted_at.toISOString(),
      waitingDays: Math.floor((now - r.submitted_at.getTime()) / 86_400_000),
      escalated: r.escalated_at !== null,
    })),
  });
}

// Built when used, so the browser bundle of this page need not carry zod.
const BulkSchema = () =>
  z.object({ intent: z.literal("approve"), reportIds: z.array(z.uuid()).min(1, "Tick at least one report to approve") });

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  requireVerifier(actor);
  const form = await request.formData();
  const parsed = BulkSchema().safeParse({ intent: form.get("intent"), reportIds: form.getAll("reportId") });
  if (!parsed.success) return redirect(`/verify?notice=${encodeURIComponent(parsed.error.issues[0].message)}`);
  const queue = await listVerificationQueue(context.db, actor.countries);
  let approved = 0;
  const skipped: string[] = [];
  for (const reportId of parsed.data.reportIds) {
    const row = queue.find((r) => r.id === reportId);
    // Only reports in this officer's queue: an id from elsewhere is skipped, never acted on.
    if (!row || !can(actor, "decide", { id: row.institution_id, country_code: row.country_code })) {
      skipped.push("a report outside your queue");
      continue;
    }
    const outcome = await updatePathway(context, row.institution_id, (h) =>
      h.executeUpdate(decideReportUpdate, {
        args: [{ reportId, decision: "verify", comment: "", decidedBy: actor.name }],
        updateId: `decide-${reportId}-verify`,
      }),
    );
    if (outcome.ok) approved++;
    else skipped.push(`${row.institution_name}: ${outcome.problem.message}`);
  }
  const notice = [`${approved} report${approved === 1 ? "" : "s"} verified.`, ...skipped.map((s) => `Not verified — ${s}.`)].join(" ");
  return redirect(`/verify?notice=${encodeURIComponent(notice)}`);
}

export default function VerificationQueue() {
  const { reports } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page">
      <h1>Verification queue</h1>
      <p className="lede">Reports waiting for an ILO decision in your countries, oldest first.</p>
      {params.get("notice") ? <p className="notice" role="status">{params.get("notice")}</p> : null}
      {reports.length === 0 ? (
        <p className="empty">Nothing is waiting for verification. New reports appear here as institutions send them.</p>
      ) : (
        <Form method="post">
          <CsrfInput />
          <table className="data">
            <caption className="visually-hidden">Reports waiting for verification</caption>
            <thead>
              <tr>
                <th scope="col"><span className="visually-hidden">Select</span></th>
                <th scope="col">Report</th>
                <th scope="col">Institution</th>
                <th scope="col">Sent by</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td><input type="checkbox" name="reportId" value={r.id} id={`pick-${r.id}`} aria-label={`Select ${reportKindLabel(r.kind)} from ${r.institutionName}`} /></td>
                  <td>
                    <Link to={`/institutions/${r.institutionId}/reports/${r.id}`}>{reportKindLabel(r.kind)}</Link>
                    {r.revision > 1 ? <span className="tag">resubmitted</span> : null}
                  </td>
                  <td>{r.institutionName} <span className="muted">({r.country})</span></td>
                  <td>{r.submittedBy}</td>
                  <td>{r.waitingDays} day{r.waitingDays === 1 ? "" : "s"}{r.escalated ? <span className="tag warn">escalated</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">Open a report to return it for revision or reject it with a reason.</p>
          <button type="submit" name="intent" value="approve" disabled={busy}>{busy ? "Verifying…" : "Verify the selected reports"}</button>
        </Form>
      )}
    </div>
  );
}
