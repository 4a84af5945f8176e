import type { AppLoadContext } from "@remix-run/node";
import { unreadCountFor } from "../../db/queries/notifications";
import { ROLE_LABELS } from "./access.server";
import { getSession } from "./auth.server";

/** Who is signed in, for the header: name, role, scope, unread notifications and the CSRF token. */
export async function loadHeader(request: Request, context: AppLoadContext) {
  const session = await getSession(request, context);
  if (!session) return { user: null, csrfToken: "" };
  const a = session.actor;
  const unread = await unreadCountFor(context.db, { userId: a.id, role: a.role, institutionId: a.institutionId, countries: a.countries });
  let scope = "";
  if (a.role === "institution_reporter" && a.institutionId) {
    const inst = await context.db.selectFrom("institutions").select("name").where("id", "=", a.institutionId).executeTakeFirst();
    scope = inst?.name ?? "";
  } else if (a.role === "ilo_officer" && a.countries !== "all") scope = a.countries.join(", ");
  return {
    user: {
      name: a.name,
      role: a.role,
      roleLabel: ROLE_LABELS[a.role],
      scope,
      unread,
      canVerify: a.role === "ilo_admin" || a.role === "ilo_officer",
    },
    csrfToken: session.csrfToken,
  };
}
