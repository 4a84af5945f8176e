import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { requireActor, type Actor } from "~/utils/access.server";
import { listNotificationsFor, markReadFor } from "../../db/queries/notifications";

export const meta: MetaFunction = () => [{ title: "Notifications · Pathways" }];

export const scopeOf = (a: Actor) => ({ userId: a.id, role: a.role, institutionId: a.institutionId, countries: a.countries });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const items = await listNotificationsFor(context.db, scopeOf(actor));
  return json({
    items: items.map((n) => ({ ...n, created_at: n.created_at.toISOString(), read: n.read_at !== null })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const form = await request.formData();
  const ids = form.getAll("id").map(String);
  await markReadFor(context.db, scopeOf(actor), form.get("intent") === "all" ? "all" : ids, new Date());
  return redirect("/notifications");
}

const KIND_LABELS: Record<string, string> = {
  reminder: "Reminder",
  escalation: "Escalation",
  gate_met: "Gate met",
  slip_flagged: "Slip back flagged",
  returned: "Report returned",
  signed_off: "Stage change",
  handover_variance: "Handover plan variance",
};

export default function Notifications() {
  const { items } = useLoaderData<typeof loader>();
  const unread = items.filter((n) => !n.read).length;
  return (
    <div className="page">
      <h1>Notifications</h1>
      {items.length === 0 ? (
        <p className="empty">No notifications yet. Returned reports, sign-offs, reminders and escalations appear here.</p>
      ) : (
        <>
          {unread > 0 ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="all">Mark all {unread} as read</button>
            </Form>
          ) : null}
          <ul className="notifications">
            {items.map((n) => (
              <li key={n.id} className={n.read ? "read" : "unread"}>
                <span className="tag">{KIND_LABELS[n.kind] ?? n.kind}</span>
                {n.read ? null : <span className="visually-hidden">Unread: </span>}
                <Link to={`/institutions/${n.institution_id}`}>{n.institution_name}</Link> — {n.message}
                <time dateTime={n.created_at} className="muted"> {n.created_at.slice(0, 16).replace("T", " ")} UTC</time>
                {n.read ? null : (
                  <Form method="post" className="inline">
                    <CsrfInput />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="link">Mark read</button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
