import type { AppLoadContext } from "@remix-run/node";
import { getInstitutionName } from "../../db/queries/institutions";
import { keyOf, readModel } from "../../db/queries/read-model";
import { workCounts, type QueueScope } from "../../db/queries/work-queues";
import { ROLE_LABELS } from "./access.server";
import { getSession } from "./auth.server";
import { listScope, menuFor, scopeOf, type Action, type Actor } from "./policy";
import { CATALOG_SCRIPTS } from "../i18n/catalog-script.server";
import { resolveLocale } from "../i18n/server";

/**
 * Who is signed in, for the header: name, role, scope, unread notifications and the CSRF token;
 * and the page's language with the address of its catalogue script (decision 034): the messages
 * themselves are not in the loader's data.
 */
export async function loadHeader(request: Request, context: AppLoadContext) {
  const session = await getSession(request, context);
  const locale = resolveLocale(request, session?.actor);
  const i18n = { locale, script: CATALOG_SCRIPTS[locale].path };
  if (!session) return { user: null, csrfToken: "", i18n };
  const a = session.actor;
  // One statement, kept with the aggregates (decision 042): unread notifications and every work
  // queue's count, computed again after any change to what they count. The page's loader shares
  // the request's read-model check, so a page whose counts are kept asks nothing more for them.
  const inbox = { userId: a.id, role: a.role, institutionId: a.institutionId, countries: a.countries };
  const queues = workQueueScopes(a);
  const rm = await readModel(context.db);
  const counts = await rm.cached(keyOf("workCounts", inbox, queues), () => workCounts(context.db, inbox, queues));
  const unread = counts.unread;
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
      queues: { signOff: counts.signOff, verify: counts.verify, plans: counts.plans, returned: counts.returned },
      menu: menuFor(a),
    },
    csrfToken: session.csrfToken,
    i18n,
  };
}

function queueScope(a: Actor, action: Action): QueueScope | null {
  return scopeOf(a, action) ? listScope(a, action) : null;
}

/** Each work queue narrowed by the policy row of the action it leads to (decision 025). */
export function workQueueScopes(a: Actor) {
  return {
    signOff: queueScope(a, "sign_off"),
    verify: queueScope(a, "verify_queue"),
    plans: queueScope(a, "plan_review"),
    // "Returned to us": only for those who fix their own institution's reports.
    returned: scopeOf(a, "read_inbox") === "own" ? listScope(a, "read_inbox") : null,
  };
}
