import { STEP_ROLES, type PlanStepName } from "../domain/handover-steps";
import type { Role } from "./roles";

/**
 * The access policy, in one table: for each action, which roles may take it and over which
 * institutions. Every loader and action asks it (through requireInstitution / requireAllowed in
 * guard.server.ts, or `allows` for what a page offers), and so does the menu.
 *
 * A scope says which institutions a role's permission covers: "all"; "country", those of the
 * countries assigned to the actor (ILO officers); "own", the institution the actor reports for.
 * For an action that is not about one institution (a queue, a list, the logframe) the scope says
 * what the page lists: an officer's verification queue shows their countries only.
 *
 * ILO officers read the whole programme (every institution's page, plans, roll-ups, logframe),
 * as everyone at the ILO does, and act (report, decide, sign off, review, create institutions)
 * only in their countries: every page that reads follows "view", every page that acts follows
 * its own row, so no two pages disagree about what an officer may see.
 */

export interface Actor {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** For institution reporters: the one institution they act for. */
  institutionId: string | null;
  /** For ILO officers: the countries assigned to them. */
  countries: string[] | "all";
  /** The language the user chose (app/i18n/locales.ts); null or absent: the cookie or the browser decides. */
  locale?: string | null;
}

export type Scope = "all" | "country" | "own";

/** Handover plan steps, with "edit" (write a draft or scenario) taken by those who submit. */
export type PlanAction = "edit" | PlanStepName;

/** Actions on one institution: given the institution, its country or id decides. */
export type InstitutionAction = "view" | "report" | "decide" | "sign_off" | `plan_${PlanAction}`;

/** Actions on no institution in particular. */
export type ProgrammeAction =
  | "create_institution"
  | "administer"
  | "verify_queue"
  | "read_inbox"
  | "country_rollup"
  | "logframe_view"
  | "logframe_edit"
  | "import"
  | "import_targets"
  | "temporal_ui";

export type Action = InstitutionAction | ProgrammeAction;

type Row = Partial<Record<Role, Scope>>;

/** A plan step's row, from the roles the handover workflow itself enforces (app/domain/handover-steps.ts). */
function planRow(roles: readonly string[]): Row {
  const row: Row = {};
  for (const role of roles as Role[])
    row[role] = role === "institution_reporter" ? "own" : role === "ilo_officer" ? "country" : "all";
  return row;
}

export const POLICY: Record<Action, Row> = {
  // One institution: its page, its reports, its decisions.
  view: { ilo_admin: "all", ilo_officer: "all", programme_manager: "all", viewer: "all", institution_reporter: "own" },
  report: { ilo_admin: "all", ilo_officer: "country", institution_reporter: "own" },
  decide: { ilo_admin: "all", ilo_officer: "country" },
  sign_off: { ilo_admin: "all", ilo_officer: "country" },
  // Handover plans: seeing them follows "view"; each step, the workflow's roles.
  plan_edit: planRow(STEP_ROLES.submit),
  plan_submit: planRow(STEP_ROLES.submit),
  plan_review: planRow(STEP_ROLES.review),
  plan_activate: planRow(STEP_ROLES.activate),
  plan_close: planRow(STEP_ROLES.close),

  // The programme: lists, queues, administration.
  /** Creating is acting: an officer creates institutions in their own countries (the form checks the country). */
  create_institution: { ilo_admin: "all", ilo_officer: "country" },
  administer: { ilo_admin: "all" },
  verify_queue: { ilo_admin: "all", ilo_officer: "country" },
  /** Reports sent back to fix: a reporter's own, everyone's for the ILO and managers. */
  read_inbox: { ilo_admin: "all", ilo_officer: "all", programme_manager: "all", institution_reporter: "own" },
  /** A country's handover roll-up crosses institutions: not for an institution's reporters. */
  country_rollup: { ilo_admin: "all", ilo_officer: "all", programme_manager: "all", viewer: "all" },
  /** The logframe is the programme's report to donors, across institutions. */
  logframe_view: { ilo_admin: "all", ilo_officer: "all", programme_manager: "all", viewer: "all" },
  logframe_edit: { ilo_admin: "all", programme_manager: "all" },
  /** Every kind of bulk import. */
  import: { ilo_admin: "all" },
  /** Importing logframe targets only. */
  import_targets: { ilo_admin: "all", programme_manager: "all" },
  /** A link to the pathway's workflow in the Temporal Web UI. */
  temporal_ui: { ilo_admin: "all", ilo_officer: "all" },
};

const INSTITUTION_ACTIONS = new Set<Action>([
  "view",
  "report",
  "decide",
  "sign_off",
  "plan_edit",
  "plan_submit",
  "plan_review",
  "plan_activate",
  "plan_close",
]);

type Scoped = { id: string; country_code: string };

/** The scope of an actor's permission for an action, or null when their role may not take it. */
export function scopeOf(actor: Actor, action: Action): Scope | null {
  return POLICY[action][actor.role] ?? null;
}

/**
 * Where a user starts: the institutions list, or for a user who sees one institution only (a
 * reporter) that institution's page, since their list would hold one row.
 */
export function homeOf(actor: Pick<Actor, "role" | "institutionId">): string {
  return POLICY.view[actor.role] === "own" && actor.institutionId ? `/institutions/${actor.institutionId}` : "/institutions";
}

/**
 * Whether the actor may take the action; for an institution action, on that institution. Without
 * an institution, an institution action is allowed only where it covers every institution, but for
 * "view", which then means a list (narrowed by visibleInstitutionIds).
 */
export function allows(actor: Actor, action: Action, institution?: Scoped): boolean {
  const scope = scopeOf(actor, action);
  if (!scope) return false;
  if (!institution) return scope === "all" || action === "view" || !INSTITUTION_ACTIONS.has(action);
  if (scope === "all") return true;
  if (scope === "own") return institution.id === actor.institutionId;
  return seesCountry(actor, institution.country_code);
}

/** Whether a country is within an actor's assigned countries (everyone but officers: all). */
export function seesCountry(actor: Actor, country: string): boolean {
  return actor.countries === "all" || actor.countries.includes(country);
}

/** Throws 404 when the institution is not visible to the actor, 403 when it is but the action is not allowed. */
export function assertAllowed(actor: Actor, action: Action, institution?: Scoped): void {
  if (institution && !allows(actor, "view", institution)) throw new Response("Not found", { status: 404 });
  if (!allows(actor, action, institution)) throw new Response("Forbidden", { status: 403 });
}

/** Narrows a list query: which institutions this actor may see (null: all). */
export function visibleInstitutionIds(actor: Actor): string[] | null {
  return scopeOf(actor, "view") === "own" ? [actor.institutionId!] : null;
}

/**
 * What a list query narrows to for an actor and action, in SQL terms: the institutions ("own"),
 * the countries ("country"), or nothing (null, "all"). An actor whose role may not take the
 * action gets empty lists, so a mistaken call shows nothing rather than everything.
 */
export function listScope(actor: Actor, action: Action): { institutionIds: string[] | null; countries: string[] | null } {
  const scope = scopeOf(actor, action);
  if (scope === "all") return { institutionIds: null, countries: null };
  if (scope === "own") return { institutionIds: actor.institutionId ? [actor.institutionId] : [], countries: null };
  if (scope === "country") return { institutionIds: null, countries: actor.countries === "all" ? null : actor.countries };
  return { institutionIds: [], countries: null };
}

/** The menu's entries, each shown when the policy allows what it leads to. */
export function menuFor(actor: Actor) {
  return {
    handover: allows(actor, "country_rollup"),
    logframe: allows(actor, "logframe_view"),
    verify: allows(actor, "verify_queue"),
    // The inbox link is for those who fix their own institution's returned reports.
    inbox: scopeOf(actor, "read_inbox") === "own",
    import: allows(actor, "import_targets"),
    admin: allows(actor, "administer"),
    // Work queues: for those who sign off, verify or review plans (decision 025).
    queues: allows(actor, "verify_queue"),
  };
}

/** Older names of allows / assertAllowed, still used by pages. */
export const can = allows;
export const assertCan = assertAllowed;
