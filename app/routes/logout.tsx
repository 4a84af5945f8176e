import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "../utils/auth.server";

export const loader = () => redirect("/institutions");

export async function action({ request, context }: ActionFunctionArgs) {
  const cleared = await endSession(request, context);
  return redirect("/login?notice=You+are+signed+out.", { headers: { "Set-Cookie": cleared } });
}
