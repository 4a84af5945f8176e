import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAllowed } from "~/platform/guard.server";
import { countMail, pageMail } from "../../db/queries/mail";
import { ListRange, Pager } from "~/components/ListControls";
import { ScrollTable } from "~/components/ScrollTable";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { searchParams } from "~/platform/request-body.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "outbox.title");

/** Every e-mail the app wrote, newest first, paged in SQL: administrators only (decision 025). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAllowed(request, context, "administer");
  const list = parseListQuery(searchParams(request), { sorts: ["newest"] as const, defaultSort: "newest", perDefault: 20 });
  const page = pageWindow(await countMail(context.db), list.page, list.per);
  const rows = page.total === 0 ? [] : await pageMail(context.db, page.per, page.offset);
  return json({
    page,
    rows: rows.map((m) => ({ ...m, created_at: m.created_at.toISOString(), sent_at: m.sent_at?.toISOString() ?? null })),
  });
}

export default function Outbox() {
  const t = useT();
  const { rows, page } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("outbox.title")}</h1>
      <p className="lede">{t("outbox.lede")}</p>
      {rows.length === 0 ? (
        <p className="empty">{t("outbox.empty")}</p>
      ) : (
        <>
          <ListRange window={page} />
          <ScrollTable label={t("outbox.caption")}>
            <caption className="visually-hidden">{t("outbox.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("outbox.when")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td>
                    <time dateTime={m.created_at}>{`${t.date(m.created_at)} ${m.created_at.slice(11, 16)} UTC`}</time>
                  </td>
                  <td>{m.to_address}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre className="mail-body">{m.body_text}</pre>
                    </details>
                  </td>
                  <td>{t(`outbox.status.${m.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <Pager window={page} />
        </>
      )}
    </div>
  );
}
