import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAllowed } from "~/platform/guard.server";
import { scopeOf } from "~/platform/policy";
import { countReturnedReports, listReturnedReports } from "../../db/queries/reports";
import { ListRange, Pager } from "~/components/ListControls";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { searchParams } from "~/platform/request-body.server";
import { reportKindName } from "~/i18n/labels";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "inbox.title");

/** Reports an ILO officer sent back: what to fix, and a way to fix it and send it again. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "read_inbox");
  const scope = scopeOf(actor, "read_inbox") === "own" ? actor.institutionId : null;
  const list = parseListQuery(searchParams(request), { sorts: ["newest"] as const, defaultSort: "newest", perDefault: 20 });
  const page = pageWindow(await countReturnedReports(context.db, scope), list.page, list.per);
  const returned = page.total === 0 ? [] : await listReturnedReports(context.db, scope, { limit: page.per, offset: page.offset });
  return json({
    page,
    returned: returned.map((r) => ({
      ...r,
      decided_at: r.decided_at?.toISOString() ?? null,
    })),
  });
}

export default function Inbox() {
  const t = useT();
  const { returned, page } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("inbox.title")}</h1>
      <p className="lede">{t("inbox.lede")}</p>
      {returned.length === 0 ? (
        <p className="empty">{t("inbox.empty")}</p>
      ) : (
        <>
          <ListRange window={page} />
          <ul className="inbox">
            {returned.map((r) => (
              <li key={r.id} className="panel panel-warn">
                <h2>
                  {reportKindName(t, r.kind)} <span className="muted">— {r.institution_name}</span>
                </h2>
                <p>
                  {t("inbox.returnedBy", { name: r.decided_by ?? "" })}
                  {r.decided_at ? (
                    <>
                      {" "}
                      <time dateTime={r.decided_at}>{t("inbox.on", { date: t.date(r.decided_at) })}</time>
                    </>
                  ) : null}
                  :
                </p>
                <blockquote>{r.decision_comment}</blockquote>
                <p>
                  <Link
                    className="button button-primary"
                    to={`/institutions/${r.institution_id}/report?kind=${r.kind}&resubmit=${r.id}`}
                  >
                    {t("inbox.fix")}
                  </Link>{" "}
                  <Link to={`/institutions/${r.institution_id}/reports/${r.id}`}>{t("inbox.see")}</Link>
                </p>
              </li>
            ))}
          </ul>
          <Pager window={page} />
        </>
      )}
    </div>
  );
}
