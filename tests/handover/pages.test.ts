import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as compare from "../../app/routes/institutions.$id.plans.$planId.compare";
import * as csv from "../../app/routes/institutions.$id.plans.$planId.export[.csv]";
import * as planPage from "../../app/routes/institutions.$id.plans.$planId._index";
import * as editPage from "../../app/routes/institutions.$id.plans.$planId.edit";
import * as plans from "../../app/routes/institutions.$id.plans._index";
import { asSession, signInAs, type TestSession } from "../support/session";
import { makeInstitution } from "../support/temporal";
import { BASE, call, get, post, startHarness, type WebHarness } from "../web/harness";

/**
 * The handover plan pages' loaders and actions against a real database and a real Temporal dev
 * server with the app's worker: creating a plan, refusing bad input, copying a scenario,
 * comparing, exporting CSV, the approval buttons, and who may see what.
 */

let h: WebHarness;
let ctx: AppLoadContext;
let ghana: string;
let other: string;

beforeAll(async () => {
  h = await startHarness();
  ctx = h.context;
  ghana = await makeInstitution(h.db.db, { countryCode: "GH" });
  other = await makeInstitution(h.db.db, { countryCode: "VN" });
});
afterAll(async () => {
  await h?.stop();
});

/** A valid "New plan" form: two years in GHS at 15.5 to the dollar (the worked example of app/domain/handover.test.ts). */
function planFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: "Handover to the national productivity institute",
    currency: "GHS",
    unitsPerUsd: "15.5",
    exitYear: "2027",
    varianceThresholdPp: "10",
    "years.0.year": "2026",
    "years.0.lines.0.module": "M1",
    "years.0.lines.0.cycles": "4",
    "years.0.lines.0.enterprises": "18",
    "years.0.lines.0.unitCost": "8,000.00",
    "years.0.lines.1.module": "M2",
    "years.0.lines.1.cycles": "2",
    "years.0.lines.1.enterprises": "9",
    "years.0.lines.1.unitCost": "6000",
    "years.0.lines.2.module": "",
    "years.0.funding.enterprise_fee": "11000",
    "years.0.funding.government": "5000",
    "years.0.funding.ilo": "24000",
    "years.1.year": "2027",
    "years.1.lines.0.module": "M1",
    "years.1.lines.0.cycles": "6",
    "years.1.lines.0.enterprises": "27",
    "years.1.lines.0.unitCost": "8000",
    "years.1.funding.enterprise_fee": "18000",
    "years.1.funding.government": "6000",
    "years.1.funding.sponsor": "4000",
    "years.1.funding.ilo": "20000",
    "years.2.year": "",
    ...overrides,
  };
}

async function as(s: TestSession, r: Request) {
  return asSession(r, s);
}

async function createPlan(institutionId = ghana, session?: TestSession): Promise<string> {
  let req = post(`/institutions/${institutionId}/plans`, planFields());
  if (session) req = await as(session, req);
  const res = await call(plans.action, req, { id: institutionId }, ctx);
  expect(res.status).toBe(302);
  const location = res.headers.get("Location")!;
  return new URL(location, BASE).pathname.split("/").pop()!;
}

function countPlans() {
  return h.db.db
    .selectFrom("handover_plans")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

const planPath = (planId: string, institutionId = ghana) => `/institutions/${institutionId}/plans/${planId}`;

describe("creating a plan", () => {
  it("stores the plan and its years, audited, and the plan page shows share, gap and the year each floor is met", async () => {
    const planId = await createPlan();
    const row = await h.db.db.selectFrom("handover_plans").selectAll().where("id", "=", planId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      institution_id: ghana,
      currency: "GHS",
      exit_year: 2027,
      status: "draft",
      created_by: "Test ILO administrator",
    });
    // 15.5 GHS per USD is stored exactly as 2/31 USD per GHS.
    expect([Number(row.usd_rate_num), Number(row.usd_rate_den)]).toEqual([2, 31]);
    const audit = await h.db.db.selectFrom("audit_log").select("action").where("entity_id", "=", planId).execute();
    expect(audit.map((a) => a.action)).toEqual(["handover_plan.created"]);

    const data = await (await call(planPage.loader, get(planPath(planId)), { id: ghana, planId }, ctx)).json();
    expect(data.rows.map((r: Record<string, unknown>) => [r.year, r.cost, r.nonIloShare, r.gap])).toEqual([
      [2026, "44,000.00", "36.36%", "4,000.00"],
      [2027, "48,000.00", "58.33%", "0.00"],
    ]);
    expect(data.floors.map((f: Record<string, unknown>) => [f.stageKey, f.firstYear])).toEqual([
      ["cost_recovery", 2027],
      ["independent", null],
    ]);
    expect(data.actuals).toHaveLength(8); // every quarter of 2026 and 2027
    expect(data.steps).toMatchObject({ submit: true, review: false, copy: true });

    const list = await (await call(plans.loader, get(`/institutions/${ghana}/plans`), { id: ghana }, ctx)).json();
    expect(list.plans.map((p: { id: string }) => p.id)).toContain(planId);
  });

  it("refuses bad input with 400, errors next to each field, and writes nothing", async () => {
    const before = await countPlans();
    const res = await call(
      plans.action,
      post(
        `/institutions/${ghana}/plans`,
        planFields({
          name: " ",
          currency: "cedi",
          unitsPerUsd: "0",
          "years.0.lines.0.cycles": "four",
          "years.0.lines.1.module": "M9",
          "years.0.funding.government": "5k",
          "years.1.year": "2031",
        }),
      ),
      { id: ghana },
      ctx,
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual({
      name: "Give the plan a name",
      currency: "A three-letter currency code, e.g. GHS",
      unitsPerUsd: "How many units of the currency buy one US dollar, e.g. 15.5",
      "years.0.lines.0.cycles": "Cycles: a whole number",
      "years.0.lines.1.module": "Choose a module",
      "years.0.funding.government": "An amount like 1500 or 1500.50",
      "years.1.year": "After the ILO's exit year",
    });
    // What was typed comes back, to show again.
    expect(body.values["years.0.lines.0.cycles"]).toBe("four");
    expect(await countPlans()).toBe(before);
  });

  it("lets a reporter create their own institution's plan, and forbids a viewer", async () => {
    const reporter = await signInAs(h.db.db, "institution_reporter", { institutionId: ghana });
    await createPlan(ghana, reporter);
    const viewer = await signInAs(h.db.db, "viewer");
    const res = await call(
      plans.action,
      await as(viewer, post(`/institutions/${ghana}/plans`, planFields())),
      { id: ghana },
      ctx,
    );
    expect(res.status).toBe(403);
  });
});

describe("scenarios, comparison and CSV", () => {
  it("copies a plan as a scenario and compares the two side by side", async () => {
    const planId = await createPlan();
    const res = await call(planPage.action, post(planPath(planId), { intent: "copy" }), { id: ghana, planId }, ctx);
    expect(res.status).toBe(302);
    const copyId = new URL(res.headers.get("Location")!, BASE).pathname.split("/").pop()!;
    expect(copyId).not.toBe(planId);
    const copy = await h.db.db.selectFrom("handover_plans").selectAll().where("id", "=", copyId).executeTakeFirstOrThrow();
    expect(copy).toMatchObject({
      scenario_of: planId,
      status: "draft",
      name: "Handover to the national productivity institute (scenario)",
    });
    const years = await h.db.db
      .selectFrom("handover_plan_years")
      .select("year")
      .where("plan_id", "=", copyId)
      .orderBy("year")
      .execute();
    expect(years.map((y) => y.year)).toEqual([2026, 2027]);

    const data = await (
      await call(compare.loader, get(`${planPath(planId)}/compare?with=${copyId}`), { id: ghana, planId }, ctx)
    ).json();
    expect(data.years).toEqual([2026, 2027]);
    expect(data.left.id).toBe(planId);
    expect(data.right.id).toBe(copyId);
    expect(data.right.rows[0].nonIloShare).toBe("36.36%");
    // A fresh copy funds every source the same: nothing is marked as differing.
    expect(data.funding).toHaveLength(6);
    expect(data.funding.some((f: { differs: boolean }) => f.differs)).toBe(false);
  });

  it("downloads the plan's table as CSV", async () => {
    const planId = await createPlan();
    const res = await call(csv.loader, get(`${planPath(planId)}/export.csv`), { id: ghana, planId }, ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      'attachment; filename="Handover-to-the-national-productivity-institute.csv"',
    );
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe(
      "Year,Cycles,Enterprises,Cost (GHS),Enterprise fees (GHS),Institution's own funds (GHS),Government (GHS),Sponsors and lead buyers (GHS),Other donors (GHS),ILO (GHS),Funded (GHS),Non-ILO share of cost (%),Funding gap (GHS)",
    );
    expect(lines[1]).toBe("2026,6,27,44000.00,11000.00,0.00,5000.00,0.00,0.00,24000.00,40000.00,36.36,4000.00");
    expect(lines[2]).toBe("2027,6,27,48000.00,18000.00,0.00,6000.00,4000.00,0.00,20000.00,48000.00,58.33,0.00");
    expect(lines).toContain("Cost recovery,50,2027");
    expect(lines).toContain("Independent delivery,90,not within the plan");
  });
});

describe("who sees what", () => {
  it("gives a reporter of another institution a 404 on every plan page, and writes nothing", async () => {
    const planId = await createPlan();
    const stranger = await signInAs(h.db.db, "institution_reporter", { institutionId: other });
    const before = await countPlans();
    const p = { id: ghana, planId };
    expect((await call(plans.loader, await as(stranger, get(`/institutions/${ghana}/plans`)), { id: ghana }, ctx)).status).toBe(
      404,
    );
    expect(
      (await call(plans.action, await as(stranger, post(`/institutions/${ghana}/plans`, planFields())), { id: ghana }, ctx))
        .status,
    ).toBe(404);
    expect((await call(planPage.loader, await as(stranger, get(planPath(planId))), p, ctx)).status).toBe(404);
    expect((await call(planPage.action, await as(stranger, post(planPath(planId), { intent: "copy" })), p, ctx)).status).toBe(
      404,
    );
    expect((await call(csv.loader, await as(stranger, get(`${planPath(planId)}/export.csv`)), p, ctx)).status).toBe(404);
    // A plan of one institution under another institution's address is not found either.
    expect((await call(planPage.loader, get(planPath(planId, other)), { id: other, planId }, ctx)).status).toBe(404);
    expect(await countPlans()).toBe(before);
  });
});

describe("approval from the plan page", () => {
  it("submit by the reporter, approve by the officer in the country, activate, close; refusals mapped to 403, 400 and 409", async () => {
    const reporter = await signInAs(h.db.db, "institution_reporter", { institutionId: ghana });
    const officer = await signInAs(h.db.db, "ilo_officer", { countries: ["GH"] });
    const farOfficer = await signInAs(h.db.db, "ilo_officer", { countries: ["VN"] });
    const planId = await createPlan(ghana, reporter);
    const p = { id: ghana, planId };
    const status = async () =>
      (await h.db.db.selectFrom("handover_plans").select("status").where("id", "=", planId).executeTakeFirstOrThrow()).status;

    // An officer cannot submit; approving a draft is out of order.
    expect((await call(planPage.action, await as(officer, post(planPath(planId), { intent: "submit" })), p, ctx)).status).toBe(
      403,
    );
    const early = await call(planPage.action, await as(officer, post(planPath(planId), { intent: "approve" })), p, ctx);
    expect(early.status).toBe(409);
    expect((await early.json()).error).toBe("This step cannot be taken now: the plan’s status is “Draft”.");

    const submitted = await call(planPage.action, await as(reporter, post(planPath(planId), { intent: "submit" })), p, ctx);
    expect(submitted.status).toBe(302);
    expect(await status()).toBe("submitted");

    // Reviews: not by the reporter, not by an officer of another country, not a return without comment.
    expect((await call(planPage.action, await as(reporter, post(planPath(planId), { intent: "approve" })), p, ctx)).status).toBe(
      403,
    );
    expect(
      (await call(planPage.action, await as(farOfficer, post(planPath(planId), { intent: "approve" })), p, ctx)).status,
    ).toBe(403);
    expect(
      (await call(planPage.action, await as(officer, post(planPath(planId), { intent: "return", comment: "" })), p, ctx)).status,
    ).toBe(400);

    const officerView = await (await call(planPage.loader, await as(officer, get(planPath(planId))), p, ctx)).json();
    expect(officerView.steps).toMatchObject({ review: true, submit: false });
    const approved = await call(
      planPage.action,
      await as(officer, post(planPath(planId), { intent: "approve", comment: "Well argued" })),
      p,
      ctx,
    );
    expect(approved.status).toBe(302);
    expect(await status()).toBe("approved");
    // A second click on Approve is answered 409 and changes nothing.
    const again = await call(
      planPage.action,
      await as(officer, post(planPath(planId), { intent: "approve", comment: "" })),
      p,
      ctx,
    );
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe("This step cannot be taken now: the plan’s status is “Approved”.");

    // Activated by the manager and closed at handover by the officer; closing twice is refused, not a 500.
    const manager = await signInAs(h.db.db, "programme_manager");
    expect((await call(planPage.action, await as(manager, post(planPath(planId), { intent: "activate" })), p, ctx)).status).toBe(
      302,
    );
    expect(await status()).toBe("active");
    expect(
      (await call(planPage.action, await as(officer, post(planPath(planId), { intent: "close", note: "MoU signed" })), p, ctx))
        .status,
    ).toBe(302);
    expect(await status()).toBe("closed");
    expect(
      (await call(planPage.action, await as(officer, post(planPath(planId), { intent: "close", note: "" })), p, ctx)).status,
    ).toBe(409);

    const audit = await h.db.db
      .selectFrom("audit_log")
      .select(["action", "actor"])
      .where("entity_id", "=", planId)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => `${a.action} by ${a.actor}`)).toEqual([
      "handover_plan.created by Test institution_reporter",
      "handover_plan.submitted by Test institution_reporter",
      "handover_plan.approved by Test ilo_officer",
      "handover_plan.active by Test programme_manager",
      "handover_plan.closed by Test ilo_officer",
    ]);
  });
});

describe("changing a plan", () => {
  it("lets the reporter change a returned plan from the filled-in form, but not a submitted one", async () => {
    const reporter = await signInAs(h.db.db, "institution_reporter", { institutionId: ghana });
    const officer = await signInAs(h.db.db, "ilo_officer", { countries: ["GH"] });
    const planId = await createPlan(ghana, reporter);
    const p = { id: ghana, planId };
    const path = `${planPath(planId)}/edit`;

    expect((await call(planPage.action, await as(reporter, post(planPath(planId), { intent: "submit" })), p, ctx)).status).toBe(
      302,
    );
    // Submitted: no changes until the ILO returns it.
    expect((await call(editPage.loader, await as(reporter, get(path)), p, ctx)).status).toBe(409);
    expect((await call(editPage.action, await as(reporter, post(path, planFields())), p, ctx)).status).toBe(409);
    const returned = await call(
      planPage.action,
      await as(officer, post(planPath(planId), { intent: "return", comment: "Raise fees in 2027" })),
      p,
      ctx,
    );
    expect(returned.status).toBe(302);

    const form = await (await call(editPage.loader, await as(reporter, get(path)), p, ctx)).json();
    expect(form.values).toMatchObject({
      unitsPerUsd: "15.5",
      "years.0.lines.0.unitCost": "8000.00",
      "years.1.funding.ilo": "20000.00",
    });
    expect(
      (
        await call(
          editPage.action,
          await as(reporter, post(path, { ...form.values, "years.1.funding.enterprise_fee": "lots" })),
          p,
          ctx,
        )
      ).status,
    ).toBe(400);
    const saved = await call(
      editPage.action,
      await as(
        reporter,
        post(path, { ...form.values, "years.1.funding.enterprise_fee": "26000", "years.1.funding.ilo": "12000" }),
      ),
      p,
      ctx,
    );
    expect(saved.status).toBe(302);

    const data = await (await call(planPage.loader, await as(reporter, get(planPath(planId))), p, ctx)).json();
    // 2027: 36,000 of 48,000 non-ILO = 75 %, gap still 0.
    expect(data.rows[1]).toMatchObject({ year: 2027, nonIloShare: "75%", gap: "0.00" });
    expect(data.plan).toMatchObject({ status: "returned", reviewComment: "Raise fees in 2027" });
    expect(data.steps).toMatchObject({ submit: true, edit: true });
    const audit = await h.db.db.selectFrom("audit_log").select("action").where("entity_id", "=", planId).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual([
      "handover_plan.created",
      "handover_plan.submitted",
      "handover_plan.returned",
      "handover_plan.edited",
    ]);
  });
});
