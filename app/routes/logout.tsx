import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { givenCsrf } from "../platform/access.server";
import { csrfMatches, endSession, getSession } from "../platform/auth.server";
import { getTranslator } from "~/i18n/server";
import { readForm } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const loader = () => redirect("/institutions");

export async function action({ request, context }: ActionFunctionArgs) {
  // A live session ends only by its own form (with its CSRF token): another site cannot sign people out.
  const session = await getSession(request, context);
  if (session && !csrfMatches(session.csrfToken, await givenCsrf(request)))
    throw new Response("This form has expired. Reload the page and try again.", { status: 403 });
  await readForm(request);
  // Said in the language the user worked in; the language cookie keeps the sign-in page in it.
  const t = getTranslator(request, session?.actor);
  const cleared = await endSession(request, context);
  return redirectWithNotice(request, context, "/login", t("auth.signedOut"), { headers: { "Set-Cookie": cleared } });
}
