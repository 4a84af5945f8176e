/**
 * Every access decision the server makes goes through here, so accounts and roles (a later
 * capability) change one file. Until sign-in exists, every request acts as the demo ILO
 * administrator.
 */

export type Role = "ilo_admin" | "ilo_officer" | "programme_manager" | "institution_reporter" | "viewer";

export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** For institution reporters: the one institution they act for. */
  institutionId: string | null;
  /** For ILO officers: the countries assigned to them. */
  countries: string[] | "all";
}

export type Action = "view" | "report" | "decide" | "sign_off" | "create_institution";

const DEMO_ACTOR: Actor = {
  id: "demo-admin",
  name: "Demo ILO administrator",
  role: "ilo_admin",
  institutionId: null,
  countries: "all",
};

export async function requireActor(_request: Request): Promise<Actor> {
  return DEMO_ACTOR;
}

export function can(actor: Actor, action: Action, institution?: { id: string; country_code: string }): boolean {
  const inCountry = (code: string | undefined) => actor.countries === "all" || (!!code && actor.countries.includes(code));
  switch (actor.role) {
    case "ilo_admin":
      return true;
    case "ilo_officer":
      return institution ? inCountry(institution.country_code) : action !== "create_institution" || actor.countries === "all";
    case "programme_manager":
    case "viewer":
      return action === "view";
    case "institution_reporter":
      return !!institution && institution.id === actor.institutionId && (action === "view" || action === "report");
  }
}

/** Throws 404 when the institution is not visible to the actor, 403 when it is but the action is not allowed. */
export function assertCan(actor: Actor, action: Action, institution?: { id: string; country_code: string }): void {
  if (institution && !can(actor, "view", institution)) throw new Response("Not found", { status: 404 });
  if (!can(actor, action, institution)) throw new Response("Forbidden", { status: 403 });
}
