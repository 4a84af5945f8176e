import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { givenCsrf } from "../utils/access.server";
import { csrfMatches, endSession, getSession } from "../utils/auth.server";

export const loader = () => redirect("/institutions");

export async function action({ request, context }: ActionFunctionArgs) {
  // A live session ends only by its own form (with its CSRF token): another site cannot sign people out.
  const session = await getSession(request, context);
  if (session && !csrfMatches(session.csrfToken, await givenCsrf(request)))
    throw new Response("This form has expired. Reload the page and try again.", { status: 403 });
  const cleared = await endSession(request, context);
  return redirect("/login?notice=You+are+signed+out.", { headers: { "Set-Cookie": cleared } });
}
