import { describe, expect, it } from "vitest";
import type { Role } from "./roles";
import { allows, assertAllowed, homeOf, menuFor, POLICY, visibleInstitutionIds, type Action, type Actor } from "./policy";

const OWN = { id: "inst-own", country_code: "GH" };
const IN_COUNTRY = { id: "inst-gh", country_code: "GH" };
const ABROAD = { id: "inst-ke", country_code: "KE" };

function actor(role: Role): Actor {
  return {
    id: `u-${role}`,
    name: role,
    email: `${role}@example.org`,
    role,
    institutionId: role === "institution_reporter" ? OWN.id : null,
    countries: role === "ilo_officer" ? ["GH"] : "all",
  };
}

/** Expected answers, written out by hand: [no institution, own, in country, abroad]. */
const EXPECTED: Record<Role, Partial<Record<Action, [boolean, boolean, boolean, boolean]>>> = {
  ilo_admin: {
    view: [true, true, true, true],
    report: [true, true, true, true],
    sign_off: [true, true, true, true],
    administer: [true, true, true, true],
  },
  ilo_officer: {
    view: [true, true, true, true],
    report: [false, true, true, false],
    decide: [false, true, true, false],
    create_institution: [true, true, true, false],
    administer: [false, false, false, false],
    plan_review: [false, true, true, false],
    plan_submit: [false, false, false, false],
  },
  programme_manager: {
    view: [true, true, true, true],
    report: [false, false, false, false],
    plan_submit: [true, true, true, true],
    plan_review: [false, false, false, false],
    create_institution: [false, false, false, false],
  },
  institution_reporter: {
    view: [true, true, false, false],
    report: [false, true, false, false],
    decide: [false, false, false, false],
    plan_edit: [false, true, false, false],
    plan_activate: [false, false, false, false],
  },
  viewer: { view: [true, true, true, true], report: [false, false, false, false], plan_edit: [false, false, false, false] },
};

describe("the access policy", () => {
  it("answers each role and action as written out by hand", () => {
    for (const [role, rows] of Object.entries(EXPECTED) as [Role, Partial<Record<Action, boolean[]>>][])
      for (const [action, expected] of Object.entries(rows) as [Action, boolean[]][]) {
        const a = actor(role);
        const got = [allows(a, action), allows(a, action, OWN), allows(a, action, IN_COUNTRY), allows(a, action, ABROAD)];
        expect(got, `${role} ${action}`).toEqual(expected);
      }
  });

  it("has a row for every action, naming only known roles", () => {
    const roles = new Set(["ilo_admin", "ilo_officer", "programme_manager", "institution_reporter", "viewer"]);
    for (const [action, row] of Object.entries(POLICY))
      for (const role of Object.keys(row)) expect(roles.has(role), `${action}: ${role}`).toBe(true);
  });

  it("hides what an actor may not see (404) and refuses what they see but may not do (403)", () => {
    const status = (f: () => void) => {
      try {
        f();
        return 200;
      } catch (e) {
        return (e as Response).status;
      }
    };
    expect(status(() => assertAllowed(actor("institution_reporter"), "report", IN_COUNTRY))).toBe(404);
    expect(status(() => assertAllowed(actor("viewer"), "report", IN_COUNTRY))).toBe(403);
    expect(status(() => assertAllowed(actor("ilo_officer"), "sign_off", IN_COUNTRY))).toBe(200);
    expect(status(() => assertAllowed(actor("ilo_officer"), "administer"))).toBe(403);
  });

  it("narrows lists to a reporter's own institution", () => {
    expect(visibleInstitutionIds(actor("institution_reporter"))).toEqual([OWN.id]);
    expect(visibleInstitutionIds(actor("ilo_officer"))).toBeNull();
  });

  it("gives the menu the entries each role had", () => {
    expect(menuFor(actor("institution_reporter"))).toEqual({
      handover: false,
      logframe: false,
      verify: false,
      inbox: true,
      import: false,
      queues: false,
      admin: false,
    });
    expect(menuFor(actor("programme_manager"))).toEqual({
      handover: true,
      logframe: true,
      verify: false,
      inbox: false,
      import: true,
      queues: false,
      admin: false,
    });
    expect(menuFor(actor("ilo_officer"))).toEqual({
      handover: true,
      logframe: true,
      verify: true,
      inbox: false,
      import: false,
      queues: true,
      admin: false,
    });
    expect(menuFor(actor("ilo_admin"))).toEqual({
      handover: true,
      logframe: true,
      verify: true,
      inbox: false,
      import: true,
      queues: true,
      admin: true,
    });
    expect(menuFor(actor("viewer"))).toEqual({
      handover: true,
      logframe: true,
      verify: false,
      inbox: false,
      import: false,
      queues: false,
      admin: false,
    });
  });
});

describe("where a user starts", () => {
  it("is the list, but a reporter's own institution for a reporter", () => {
    expect(homeOf({ role: "ilo_officer", institutionId: null })).toBe("/institutions");
    expect(homeOf({ role: "programme_manager", institutionId: null })).toBe("/institutions");
    expect(homeOf({ role: "institution_reporter", institutionId: "i-1" })).toBe("/institutions/i-1");
    // A reporter without an institution has no page of their own: the list (which shows nothing).
    expect(homeOf({ role: "institution_reporter", institutionId: null })).toBe("/institutions");
  });
});
