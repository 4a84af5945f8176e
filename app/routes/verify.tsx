import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TableLink } from "~/components/TableLink";
import { useFocusResult } from "~/components/useFocusResult";
import { z } from "zod";
import { reportKindName } from "~/i18n/labels";
import { localise } from "~/i18n/localise";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { can } from "~/platform/access.server";
import { requireAllowed } from "~/platform/guard.server";
import { CsrfInput } from "~/components/CsrfInput";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { countVerificationQueue, pageVerificationQueue, QUEUE_SORTS, queuedReportsByIds } from "../../db/queries/reports";
import { ListRange, Pager, SearchBox, SortHeader } from "~/components/ListControls";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { decideReportUpdate } from "~/features/pathway/pathway-messages.server";
import { readForm, searchParams } from "~/platform/request-body.server";
import { readFlash, setFlash } from "~/platform/flash.server";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "verify.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "verify_queue");
  const list = parseListQuery(searchParams(request), { sorts: QUEUE_SORTS, defaultSort: "waiting" });
  const total = await countVerificationQueue(context.db, actor.countries, list.q || undefined);
  const page = pageWindow(total, list.page, list.per);
  const reports =
    total === 0
      ? []
      : await pageVerificationQueue(context.db, actor.countries, {
          q: list.q || undefined,
          sort: list.sort,
          dir: list.dir,
          limit: page.per,
          offset: page.offset,
        });
  const now = Date.now();
  const { flash, headers } = readFlash(request, context);
  return json(
    {
      notice: flash.notice,
      // Reports a bulk approval left unverified, one reason a line: shown as an error, not as success.
      notVerified: flash.error ? flash.error.split("\n") : [],
      list: { sort: list.sort, dir: list.dir, q: list.q },
      page,
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
    },
    { headers },
  );
}

// Built when used, so the browser bundle of this page need not carry zod.
const BulkSchema = () =>
  z.object({ intent: z.literal("approve"), reportIds: z.array(z.uuid()).min(1, "Tick at least one report to approve") });

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireAllowed(request, context, "verify_queue");
  const form = await readForm(request);
  const parsed = BulkSchema().safeParse({ intent: form.get("intent"), reportIds: form.getAll("reportId") });
  const t = getTranslator(request, actor);
  // A refusal is an error next to the button (400), never a line in the success banner.
  if (!parsed.success) return json({ error: localise(t, parsed.error.issues[0].message) }, { status: 400 });
  // Only the ticked reports are read, and only where they are in this officer's queue.
  const queue = await queuedReportsByIds(context.db, actor.countries, parsed.data.reportIds);
  let approved = 0;
  const skipped: string[] = [];
  for (const reportId of parsed.data.reportIds) {
    const row = queue.find((r) => r.id === reportId);
    // Only reports in this officer's queue: an id from elsewhere is skipped, never acted on.
    if (!row || !can(actor, "decide", { id: row.institution_id, country_code: row.country_code })) {
      skipped.push(t("verify.outside"));
      continue;
    }
    const outcome = await sendPathwayUpdate(context, row.institution_id, (h) =>
      h.executeUpdate(decideReportUpdate, {
        args: [{ reportId, decision: "verify", comment: "", decidedBy: actor.name }],
        updateId: `decide-${reportId}-verify`,
      }),
    );
    if (outcome.ok) approved++;
    else skipped.push(`${row.institution_name}: ${render(t, outcome.message)}`);
  }
  // What worked goes in the success banner; what did not, in an error alert of its own.
  const flash = setFlash(request, context, {
    notice: approved > 0 || skipped.length === 0 ? t.plural("verify.verified", approved) : null,
    error: skipped.map((why) => t("verify.notVerified", { why })).join("\n") || null,
  });
  return redirect("/verify", { headers: { "Set-Cookie": flash } });
}

export default function VerificationQueue() {
  const t = useT();
  const { reports, notice, notVerified, list, page } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const error = useActionData<typeof action>()?.error;
  // When some reports were not verified, focus goes to that alert rather than the success line.
  const noticeRef = useFocusResult<HTMLParagraphElement>(notVerified.length > 0 ? null : notice);
  const notVerifiedRef = useFocusResult<HTMLDivElement>(notVerified.join("\n"));
  const errorRef = useFocusResult<HTMLParagraphElement>(error);
  return (
    <div className="page">
      <h1>{t("verify.title")}</h1>
      <p className="lede">{t("verify.lede")}</p>
      {notice ? (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef}>
          {localise(t, notice)}
        </p>
      ) : null}
      {notVerified.length > 0 ? (
        <div className="notice notice-bad" role="alert" tabIndex={-1} ref={notVerifiedRef}>
          <ul>
            {notVerified.map((line, i) => (
              <li key={i}>{localise(t, line)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {page.total > 0 || list.q ? (
        <SearchBox
          q={list.q}
          label={t("verify.search")}
          keep={[
            ["sort", list.sort],
            ["dir", list.dir],
          ]}
        />
      ) : null}
      {reports.length === 0 ? (
        list.q ? (
          <div className="empty-state">
            <p>{t("verify.noMatch", { q: list.q })}</p>
            <p>
              <Link to="/verify">{t("list.clear")}</Link>
            </p>
          </div>
        ) : (
          <p className="empty">{t("verify.empty")}</p>
        )
      ) : (
        <Form method="post">
          <ListRange window={page} />
          <CsrfInput />
          <ScrollTable label={t("verify.caption")} className="data">
            <caption className="visually-hidden">{t("verify.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t("verify.select")}</span>
                </th>
                <th scope="col">{t("verify.report")}</th>
                <SortHeader column="institution" sort={list.sort} dir={list.dir}>
                  {t("verify.institution")}
                </SortHeader>
                <th scope="col">{t("verify.sentBy")}</th>
                <SortHeader column="waiting" sort={list.sort} dir={list.dir}>
                  {t("verify.waiting")}
                </SortHeader>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="reportId"
                      value={r.id}
                      id={`pick-${r.id}`}
                      aria-label={t("verify.selectOne", { report: reportKindName(t, r.kind), institution: r.institutionName })}
                    />
                  </td>
                  <td>
                    <TableLink to={`/institutions/${r.institutionId}/reports/${r.id}`}>{reportKindName(t, r.kind)}</TableLink>
                    {r.revision > 1 ? <span className="tag">{t("verify.resubmitted")}</span> : null}
                  </td>
                  <td>
                    {r.institutionName} <span className="muted">({r.country})</span>
                  </td>
                  <td>{r.submittedBy}</td>
                  <td>
                    {t.plural("format.days", r.waitingDays)}
                    {r.escalated ? <span className="tag warn">{t("verify.escalated")}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager window={page} />
          <p className="hint">{t("verify.hint")}</p>
          {error ? (
            <p className="field-error" role="alert" id="verify-error" tabIndex={-1} ref={errorRef}>
              {error}
            </p>
          ) : null}
          <button
            type="submit"
            name="intent"
            value="approve"
            disabled={busy}
            aria-describedby={error ? "verify-error" : undefined}
          >
            {busy ? t("verify.busy") : t("verify.button")}
          </button>
        </Form>
      )}
    </div>
  );
}
