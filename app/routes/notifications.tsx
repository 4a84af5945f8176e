import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TableLink } from "~/components/TableLink";
import { CsrfInput } from "~/components/CsrfInput";
import { requireActor, type Actor } from "~/platform/access.server";
import {
  countNotificationsFor,
  listNotificationsFor,
  markReadFor,
  NOTIFICATION_KINDS,
  type NotificationFilter,
  type NotificationKind,
} from "../../db/queries/notifications";
import { ListRange, Pager } from "~/components/ListControls";
import { pageWindow, parseListQuery } from "~/platform/list-query";
import { shown, storedMessage } from "~/i18n/render";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import { readForm, searchParams } from "~/platform/request-body.server";
import { resolveLocale } from "~/i18n/server";
import { localiseMessage } from "~/i18n/template-labels";
import { templateWords } from "~/features/templates/templates.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications.title");

export const scopeOf = (a: Actor) => ({ userId: a.id, role: a.role, institutionId: a.institutionId, countries: a.countries });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const params = searchParams(request);
  const list = parseListQuery(params, { sorts: ["newest"] as const, defaultSort: "newest" });
  // Filters in the address (decision 025): unknown values fall back to "all" and "any kind".
  const show = SHOWS.find((v) => v === params.get("show")) ?? "all";
  const kind = NOTIFICATION_KINDS.find((k) => k === params.get("kind")) ?? null;
  const filter: NotificationFilter = { show, kind };
  const counts = await countNotificationsFor(context.db, scopeOf(actor), filter);
  const page = pageWindow(counts.matching, list.page, list.per);
  const items =
    page.total === 0 ? [] : await listNotificationsFor(context.db, scopeOf(actor), page.per, { offset: page.offset, filter });
  // Stage names the workflow stored in a notice, in the reader's language (decision 026).
  const { terms } = await templateWords(context.db, resolveLocale(request, actor));
  return json({
    page,
    unreadOnly: show === "unread",
    filter,
    filtered: show !== "all" || kind !== null,
    unread: counts.unread,
    anyAtAll: counts.total > 0,
    items: items.map((n) => ({
      ...n,
      message_params: localiseMessage(storedMessage(n.message_key, n.message_params), terms)?.params ?? n.message_params,
      created_at: n.created_at.toISOString(),
      resolved_at: n.resolved_at?.toISOString() ?? null,
      read: n.read_at !== null,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const form = await readForm(request);
  const ids = form.getAll("id").map(String);
  await markReadFor(context.db, scopeOf(actor), form.get("intent") === "all" ? "all" : ids, new Date());
  return redirect("/notifications");
}

const SHOWS = ["all", "unread", "open", "resolved"] as const;
const KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS;

/** Date in the reader's language, time of day in UTC (the same on server and browser). */
function when(t: Translator, iso: string) {
  return `${t.date(iso)} ${iso.slice(11, 16)} UTC`;
}

export default function Notifications() {
  const t = useT();
  const { items, page, unread, unreadOnly, anyAtAll, filter, filtered } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("notifications.title")}</h1>
      {anyAtAll ? (
        <nav className="stage-counts" aria-label={t("notifications.show")}>
          <ul>
            <li>
              <Link to="/notifications" aria-current={!unreadOnly ? "true" : undefined}>
                {t("notifications.showAll")}
              </Link>
            </li>
            <li>
              <Link to="/notifications?show=unread" aria-current={unreadOnly ? "true" : undefined}>
                <span className="count">{t.number(unread)}</span> {t("notifications.showUnread")}
              </Link>
            </li>
          </ul>
        </nav>
      ) : null}
      {anyAtAll ? (
        <Form method="get" className="filters" aria-label={t("notifications.filters")}>
          <label>
            {t("notifications.filter.show")}{" "}
            <select name="show" defaultValue={filter.show}>
              {SHOWS.map((v) => (
                <option key={v} value={v}>
                  {t(`notifications.filter.${v}`)}
                </option>
              ))}
            </select>
          </label>{" "}
          <label>
            {t("notifications.filter.kind")}{" "}
            <select name="kind" defaultValue={filter.kind ?? ""}>
              <option value="">{t("notifications.filter.anyKind")}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`notifications.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">{t("notifications.filter.apply")}</button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p className="empty">
          {t(
            unreadOnly && anyAtAll && !filter.kind
              ? "notifications.noneUnread"
              : filtered && anyAtAll
                ? "notifications.noneMatch"
                : "notifications.empty",
          )}
        </p>
      ) : (
        <>
          <ListRange window={page} />
          {unread > 0 ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="all">
                {t.plural("notifications.markAll", unread)}
              </button>
            </Form>
          ) : null}
          <ul className="notifications">
            {items.map((n) => (
              <li key={n.id} className={n.read ? "read" : "unread"}>
                <span className="tag">
                  {t(`notifications.kind.${n.kind}`) === `notifications.kind.${n.kind}`
                    ? n.kind
                    : t(`notifications.kind.${n.kind}`)}
                </span>
                {n.resolved_at ? <span className="tag tag-done">{t("notifications.resolvedTag")}</span> : null}
                {n.read ? null : <span className="visually-hidden">{t("notifications.unread")} </span>}
                <TableLink to={n.link ?? `/institutions/${n.institution_id}`}>{n.institution_name}</TableLink> —{" "}
                {shown(t, storedMessage(n.message_key, n.message_params), n.message)}
                <time dateTime={n.created_at} className="muted">
                  {" "}
                  {when(t, n.created_at)}
                </time>
                {n.read ? null : (
                  <Form method="post" className="inline">
                    <CsrfInput />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="link">
                      {t("notifications.markRead")}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
          <Pager window={page} />
        </>
      )}
    </div>
  );
}
