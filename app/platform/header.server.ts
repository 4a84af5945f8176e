import type { AppLoadContext } from "@remix-run/node";
import { getInstitutionName } from "../../db/queries/institutions";
import { unreadCountFor } from "../../db/queries/notifications";
import { ROLE_LABELS } from "./access.server";
import { getSession } from "./auth.server";
import { menuFor } from "./policy";
import { CATALOGS } from "../i18n/catalog";
import { resolveLocale } from "../i18n/server";

/**
 * Who is signed in, for the header: name, role, scope, unread notifications and the CSRF token;
 * and the page's language with its messages (that language's catalogue only).
 */
export async function loadHeader(request: Request, context: AppLoadContext) {
  const session = await getSession(request, context);
  const locale = resolveLocale(request, session?.actor);
  const i18n = { locale, messages: CATALOGS[locale] };
  if (!session) return { user: null, csrfToken: "", i18n };
  const a = session.actor;
  const unread = await unreadCountFor(context.db, {
    userId: a.id,
    role: a.role,
    institutionId: a.institutionId,
    countries: a.countries,
  });
  let scope = "";
  if (a.role === "institution_reporter" && a.institutionId) {
    scope = (await getInstitutionName(context.db, a.institutionId)) ?? "";
  } else if (a.role === "ilo_officer" && a.countries !== "all") scope = a.countries.join(", ");
  return {
    user: {
      name: a.name,
      role: a.role,
      roleLabel: ROLE_LABELS[a.role],
      scope,
      unread,
      menu: menuFor(a),
    },
    csrfToken: session.csrfToken,
    i18n,
  };
}
