import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { csrfMatches, getSession, isSecure } from "~/platform/auth.server";
import { givenCsrf } from "~/platform/access.server";
import { isLocale } from "~/i18n/locales";
import { getTranslator, localeCookie } from "~/i18n/server";
import { setUserLocale } from "../../db/queries/users";
import { readForm } from "~/platform/request-body.server";
import { safeRedirect } from "~/platform/flash.server";

/**
 * The language picker posts here. The choice is kept in a cookie (so the sign-in page speaks it
 * too) and, for a signed-in user, on the account, so it follows them to other devices.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  if (session && !csrfMatches(session.csrfToken, await givenCsrf(request))) {
    throw new Response("Your session has expired or the form is stale. Reload the page and try again.", { status: 403 });
  }
  const form = await readForm(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) {
    const t = getTranslator(request, session?.actor);
    return new Response(t("language.invalid"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (session) await setUserLocale(context.db, session.actor.id, locale);
  const back = form.get("redirectTo");
  // Only a path on this site: never an open redirect.
  return redirect(safeRedirect(back, "/"), { headers: { "Set-Cookie": localeCookie(locale, isSecure(request, context)) } });
}

export function loader() {
  return redirect("/");
}
