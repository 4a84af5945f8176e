import type { AppLoadContext } from "@remix-run/node";
import { csrfMatches, getSession, loginRedirect } from "./auth.server";

/**
 * Every access decision the server makes goes through here: who is asking (the session), and
 * whether their role and scope allow the action on this institution.
 */

export type Role = "ilo_admin" | "ilo_officer" | "programme_manager" | "institution_reporter" | "viewer";

export const ROLE_LABELS: Record<Role, string> = {
  ilo_admin: "ILO administrator",
  ilo_officer: "ILO officer",
  programme_manager: "Programme manager",
  institution_reporter: "Institution reporter",
  viewer: "Viewer",
};

export interface Actor {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** For institution reporters: the one institution they act for. */
  institutionId: string | null;
  /** For ILO officers: the countries assigned to them. */
  countries: string[] | "all";
}

export type Action = "view" | "report" | "decide" | "sign_off" | "create_institution" | "administer";

type Scoped = { id: string; country_code: string };

export function can(actor: Actor, action: Action, institution?: Scoped): boolean {
  const inCountry = (code: string) => actor.countries === "all" || actor.countries.includes(code);
  switch (actor.role) {
    case "ilo_admin":
      return true;
    case "ilo_officer":
      if (action === "administer") return false;
      if (action === "view") return true;
      if (action === "create_institution") return true;
      return !!institution && inCountry(institution.country_code);
    case "programme_manager":
    case "viewer":
      return action === "view";
    case "institution_reporter":
      return !!institution && institution.id === actor.institutionId && (action === "view" || action === "report");
  }
}

/** Throws 404 when the institution is not visible to the actor, 403 when it is but the action is not allowed. */
export function assertCan(actor: Actor, action: Action, institution?: Scoped): void {
  if (institution && !can(actor, "view", institution)) throw new Response("Not found", { status: 404 });
  if (!can(actor, action, institution)) throw new Response("Forbidden", { status: 403 });
}

/** Narrows a list query: which institutions this actor may see (null: all). */
export function visibleInstitutionIds(actor: Actor): string[] | null {
  return actor.role === "institution_reporter" ? [actor.institutionId!] : null;
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The signed-in actor, or a redirect to sign in. For a state-changing request it also checks the
 * form's CSRF token against the session's (multipart forms: the route checks after parsing).
 */
export async function requireActor(request: Request, context: AppLoadContext): Promise<Actor> {
  const session = await getSession(request, context);
  if (!session) {
    if (request.method !== "GET" && request.method !== "HEAD") throw new Response("Sign in first", { status: 401 });
    loginRedirect(request);
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    const type = request.headers.get("Content-Type") ?? "";
    const given = type.startsWith(FORM_TYPES[0])
      ? (await request.clone().formData()).get("csrf")
      : request.headers.get("X-CSRF-Token");
    if (!type.startsWith(FORM_TYPES[1]) && !csrfMatches(session.csrfToken, given))
      throw new Response("This form has expired. Reload the page and try again.", { status: 403 });
  }
  return session.actor;
}

/** For multipart forms, after parsing: the same check requireActor makes for plain forms. */
export async function assertCsrf(request: Request, context: AppLoadContext, form: FormData): Promise<void> {
  const session = await getSession(request, context);
  if (!session || !csrfMatches(session.csrfToken, form.get("csrf")))
    throw new Response("This form has expired. Reload the page and try again.", { status: 403 });
}
