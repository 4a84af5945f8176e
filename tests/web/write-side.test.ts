import type { AppLoadContext } from "@remix-run/node";
import { Client, Connection } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as newInstitution from "../../app/routes/institutions.new";
import * as reportForm from "../../app/routes/institutions.$id.report";
import * as reportPage from "../../app/routes/institutions.$id.reports.$reportId";
import * as signOff from "../../app/routes/institutions.$id.sign-off";
import * as slip from "../../app/routes/institutions.$id.slip";
import { freePort } from "../../app/server/temporal-dev";
import { loadPathwayView } from "../../app/features/pathway/pathway-view.server";
import refusals from "../../app/i18n/messages/refusals";
import { pathwayWorkflowId } from "../../workflows/shared";
import { call, get, noticeOf, post, startHarness, type WebHarness } from "./harness";

let h: WebHarness;
let ctx: AppLoadContext;

beforeAll(async () => {
  h = await startHarness();
  ctx = h.context;
});
afterAll(async () => {
  await h?.stop();
});

const ACTOR = "Test ILO administrator"; // the harness signs every request in as this user

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loader/action JSON, read field by field in each test
async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let names = 0;
async function createInstitution(name = `Ghana Employers' Association ${++names}`): Promise<string> {
  const { id } = await json<{ id: string }>(await call(newInstitution.loader, get("/institutions/new"), {}, ctx));
  const res = await call(
    newInstitution.action,
    post("/institutions/new", { id, name, type: "employers_organisation", role: "implementing_partner", countryCode: "GH" }),
    {},
    ctx,
  );
  expect(res.status).toBe(302);
  return id;
}

/** A fresh report id, as the form's loader hands it out. */
async function reportIdFor(institutionId: string, kind: string): Promise<string> {
  const res = await call(
    reportForm.loader,
    get(`/institutions/${institutionId}/report?kind=${kind}`),
    { id: institutionId },
    ctx,
  );
  return (await json<{ reportId: string }>(res)).reportId;
}

function totFields(reportId: string, trainers: [string, "female" | "male"][]) {
  const fields: Record<string, string> = {
    intent: "send",
    reportId,
    kind: "tot_cohort",
    "payload.module": "M1",
    "payload.startedOn": "2025-02-03",
    "payload.endedOn": "2025-02-07",
    "evidence.0.label": "Attendance sheet",
    "evidence.0.reference": "tot-feb-2025.pdf",
    "evidence.1.label": "",
    "evidence.1.reference": "",
  };
  // Blank rows between filled ones, as a form with eight rows sends them.
  trainers.forEach(([name, sex], i) =>
    Object.assign(fields, { [`payload.trainers.${i * 2}.name`]: name, [`payload.trainers.${i * 2}.sex`]: sex }),
  );
  fields[`payload.trainers.${trainers.length * 2 + 1}.name`] = "";
  return fields;
}

const SIX_TRAINERS: [string, "female" | "male"][] = [
  ["Efua Owusu", "female"],
  ["Akosua Darko", "female"],
  ["Kofi Boateng", "male"],
  ["Kwame Asante", "male"],
  ["Yaw Mensah", "male"],
  ["Kojo Addo", "male"],
];

async function sendReport(institutionId: string, fields: Record<string, string>): Promise<Response> {
  return call(
    reportForm.action,
    post(`/institutions/${institutionId}/report?kind=${fields.kind}`, fields),
    { id: institutionId },
    ctx,
  );
}

async function report(institutionId: string, kind: string, payload: Record<string, string>): Promise<string> {
  const reportId = await reportIdFor(institutionId, kind);
  const res = await sendReport(institutionId, { intent: "send", reportId, kind, ...payload });
  expect(res.status, JSON.stringify(res.status === 302 ? null : await res.clone().json())).toBe(302);
  return reportId;
}

async function decide(institutionId: string, reportId: string, decision: string, comment = ""): Promise<Response> {
  return call(
    reportPage.action,
    post(`/institutions/${institutionId}/reports/${reportId}`, { decision, comment }),
    { id: institutionId, reportId },
    ctx,
  );
}

async function reportRows(institutionId: string) {
  return h.db.db.selectFrom("milestone_reports").selectAll().where("institution_id", "=", institutionId).execute();
}

describe("creating an institution", () => {
  it("creates one institution however often the same form is sent, and starts its pathway", async () => {
    const { id } = await json(await call(newInstitution.loader, get("/institutions/new"), {}, ctx));
    const fields = {
      id,
      name: "Association of Ghana Industries",
      type: "industry_association",
      role: "implementing_partner",
      countryCode: "GH",
    };
    const [a, b] = await Promise.all([0, 1].map(() => call(newInstitution.action, post("/institutions/new", fields), {}, ctx)));
    const again = await call(newInstitution.action, post("/institutions/new", fields), {}, ctx);
    for (const res of [a, b, again]) {
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get("Location")!, "http://x").pathname).toBe(`/institutions/${id}`);
    }
    const rows = await h.db.db.selectFrom("institutions").select(["id", "stage_key"]).where("name", "=", fields.name).execute();
    expect(rows).toEqual([{ id, stage_key: "engaged" }]);
    const description = await ctx.temporal.workflow.getHandle(pathwayWorkflowId(id)).describe();
    expect(description.status.name).toBe("RUNNING");
  });

  it("says when the name is taken in that country, next to the name", async () => {
    await createInstitution("National Board for Small Scale Industries");
    const { id } = await json(await call(newInstitution.loader, get("/institutions/new"), {}, ctx));
    const res = await call(
      newInstitution.action,
      post("/institutions/new", {
        id,
        name: "National Board for Small Scale Industries",
        type: "government_training",
        role: "sponsor",
        countryCode: "GH",
      }),
      {},
      ctx,
    );
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.errors).toEqual({ name: "An institution with this name already exists in Ghana" });
    expect(body.values.role).toBe("sponsor");
  });

  it("answers 400 with an error per field and creates nothing", async () => {
    const { id } = await json(await call(newInstitution.loader, get("/institutions/new"), {}, ctx));
    const res = await call(
      newInstitution.action,
      post("/institutions/new", { id, name: " ", type: "club", role: "", countryCode: "XX" }),
      {},
      ctx,
    );
    expect(res.status).toBe(400);
    expect(Object.keys((await json(res)).errors).sort()).toEqual(["countryCode", "name", "role", "type"]);
    expect(await h.db.db.selectFrom("institutions").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });
});

describe("reporting a milestone", () => {
  it("turns a valid ToT form into one submitted report", async () => {
    const institutionId = await createInstitution();
    const reportId = await reportIdFor(institutionId, "tot_cohort");
    const res = await sendReport(institutionId, totFields(reportId, SIX_TRAINERS));
    expect(res.status).toBe(302);
    expect(noticeOf(res)).toMatch(/^Report sent: ToT cohort completed/);
    const rows = await reportRows(institutionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: reportId, kind: "tot_cohort", status: "submitted", submitted_by: ACTOR });
    expect((rows[0].payload as { trainers: unknown[] }).trainers).toHaveLength(6);
    expect(rows[0].evidence).toEqual([{ label: "Attendance sheet", reference: "tot-feb-2025.pdf" }]);
  });

  it("keeps one report when the same form arrives twice at once and once more later", async () => {
    const institutionId = await createInstitution();
    const fields = totFields(await reportIdFor(institutionId, "tot_cohort"), SIX_TRAINERS);
    const responses = await Promise.all([sendReport(institutionId, fields), sendReport(institutionId, fields)]);
    responses.push(await sendReport(institutionId, fields));
    expect(responses.map((r) => r.status)).toEqual([302, 302, 302]);
    expect(await reportRows(institutionId)).toHaveLength(1);
  });

  it("answers 400 with each error next to its field, keeps what was typed and sends nothing", async () => {
    const institutionId = await createInstitution();
    const reportId = await reportIdFor(institutionId, "training_cycle");
    const res = await sendReport(institutionId, {
      intent: "send",
      reportId,
      kind: "training_cycle",
      "payload.module": "M1",
      "payload.enterpriseName": "Kumasi Shoes",
      "payload.enterpriseSize": "small",
      "payload.startedOn": "2025-01-10",
      "payload.endedOn": "2025-04-02",
      "payload.visits": "3",
      "payload.cost": "2000.50",
      "payload.funding.enterprise_fee": "500",
      "payload.funding.ilo": "1000",
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.errors).toEqual({ "payload.funding": "The funding split must add up to the cost" });
    expect(body.values["payload.cost"]).toBe("2000.50");
    expect(body.values.reportId).toBe(reportId);

    const tot = totFields(await reportIdFor(institutionId, "tot_cohort"), [["Efua Owusu", "female"]]);
    tot["payload.trainers.2.name"] = "Kofi";
    const res2 = await sendReport(institutionId, tot);
    expect(res2.status).toBe(400);
    expect((await json(res2)).errors).toEqual({ "payload.trainers.2.sex": "Choose female or male" });
    expect(await reportRows(institutionId)).toHaveLength(0);
  });

  it("refuses a trainer of another institution and a module that does not exist", async () => {
    const institutionId = await createInstitution();
    const reportId = await reportIdFor(institutionId, "trainer_certified");
    const res = await sendReport(institutionId, {
      intent: "send",
      reportId,
      kind: "trainer_certified",
      "payload.trainerId": crypto.randomUUID(),
      "payload.module": "M9",
      "payload.certifiedOn": "2025-03-01",
    });
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual({
      "payload.module": "Choose one of the SCORE modules",
      "payload.trainerId": "Choose one of this institution's trainers",
    });
  });

  it("previews the effect on the next gate without sending anything", async () => {
    const institutionId = await createInstitution();
    const loaded = await json(
      await call(reportForm.loader, get(`/institutions/${institutionId}/report?kind=tot_cohort`), { id: institutionId }, ctx),
    );
    expect(loaded.nextGate.criteria.find((c: { key: string }) => c.key === "trained").value).toBe(0);
    const res = await sendReport(institutionId, { ...totFields(loaded.reportId, SIX_TRAINERS), intent: "preview" });
    expect(res.status).toBe(200);
    const { preview } = await json(res);
    expect(preview.stageKey).toBe("tot");
    expect(preview.criteria.find((c: { key: string }) => c.key === "trained")).toMatchObject({ value: 6, met: true });
    expect(preview.criteria.find((c: { key: string }) => c.key === "women")).toMatchObject({ value: 33.3, met: true });
    expect(await reportRows(institutionId)).toHaveLength(0);
  });

  it("adds blank trainer rows without losing what was typed", async () => {
    const institutionId = await createInstitution();
    const fields = { ...totFields(await reportIdFor(institutionId, "tot_cohort"), SIX_TRAINERS), intent: "more-trainers" };
    const body = await json(await sendReport(institutionId, fields));
    expect(body.trainerRows).toBe(22); // 14 rows sent (blanks between names) + 8
    expect(body.values["payload.trainers.10.name"]).toBe("Kojo Addo");
    expect(await reportRows(institutionId)).toHaveLength(0);
  });
});

describe("deciding on a report", () => {
  it("verifying changes the institution's next gate in the database", async () => {
    const institutionId = await createInstitution();
    const reportId = await report(institutionId, "mou_signed", { "payload.signedOn": "2024-11-30" });
    const mou = async () => (await loadPathwayView(h.db.db, institutionId))!.nextGate!.criteria.find((c) => c.key === "mou")!;
    expect((await mou()).met).toBe(false);

    const res = await decide(institutionId, reportId, "verify", "Signed copy seen");
    expect(res.status).toBe(302);
    expect(noticeOf(res)).toBe("Report verified: MoU signed.");
    expect(await mou()).toMatchObject({ met: true, basis: "MoU signed 2024-11-30" });
    const [row] = await reportRows(institutionId);
    expect(row).toMatchObject({ status: "verified", decided_by: ACTOR, decision_comment: "Signed copy seen" });

    const page = await json(
      await call(
        reportPage.loader,
        get(`/institutions/${institutionId}/reports/${reportId}`),
        { id: institutionId, reportId },
        ctx,
      ),
    );
    expect(page.report).toMatchObject({ status: "verified", decidedBy: ACTOR, comment: "Signed copy seen" });
    expect(page.canDecide).toBe(false);
  });

  it("treats a double click as one decision and a late second decision as a notice", async () => {
    const institutionId = await createInstitution();
    const reportId = await report(institutionId, "score_in_portfolio", { "payload.listedOn": "2025-01-15" });
    const clicks = await Promise.all([decide(institutionId, reportId, "verify"), decide(institutionId, reportId, "verify")]);
    expect(clicks.map((r) => r.status)).toEqual([302, 302]);
    const late = await decide(institutionId, reportId, "reject", "Not a real listing");
    expect(late.status).toBe(302);
    expect(noticeOf(late)).toBe(`This report had already been verified by ${ACTOR}; nothing more was changed.`);
    const audit = await h.db.db.selectFrom("audit_log").select("action").where("entity_id", "=", reportId).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["report.submitted", "report.verified"]);
  });

  it("asks why when a report is returned or rejected", async () => {
    const institutionId = await createInstitution();
    const reportId = await report(institutionId, "business_plan_adopted", { "payload.adoptedOn": "2025-01-15" });
    const returned = await decide(institutionId, reportId, "return", "  ");
    expect(returned.status).toBe(400);
    expect((await json(returned)).errors).toEqual({ comment: "Say what the institution should revise" });
    const rejected = await decide(institutionId, reportId, "reject");
    expect((await json(rejected)).errors).toEqual({ comment: "Give the reason for rejecting the report" });
    expect((await reportRows(institutionId))[0].status).toBe("submitted");

    const ok = await decide(institutionId, reportId, "return", "Attach the board minutes");
    expect(noticeOf(ok)).toBe("Report returned for revision: Business plan adopted.");
  });
});

describe("signing off a stage", () => {
  it("moves the stage once; the same sign-off again answers 409 and changes nothing", async () => {
    const institutionId = await createInstitution();
    const ids = [
      await report(institutionId, "mou_signed", { "payload.signedOn": "2024-11-30" }),
      await report(institutionId, "score_in_portfolio", { "payload.listedOn": "2025-01-15" }),
    ];
    const tot = totFields(await reportIdFor(institutionId, "tot_cohort"), SIX_TRAINERS);
    expect((await sendReport(institutionId, tot)).status).toBe(302);
    ids.push(tot.reportId);
    for (const reportId of ids) expect((await decide(institutionId, reportId, "verify")).status).toBe(302);

    const form = { fromStage: "engaged", note: "Strong start" };
    const first = await call(signOff.action, post(`/institutions/${institutionId}/sign-off`, form), { id: institutionId }, ctx);
    expect(first.status).toBe(302);
    expect(noticeOf(first)).toMatch(/has reached Training of Trainers\.$/);

    const transitions = () =>
      h.db.db
        .selectFrom("stage_transitions")
        .select(["from_stage", "to_stage", "kind", "decided_by", "reason"])
        .where("institution_id", "=", institutionId)
        .where("kind", "=", "advance")
        .execute();
    expect(await transitions()).toEqual([
      { from_stage: "engaged", to_stage: "tot", kind: "advance", decided_by: ACTOR, reason: "Strong start" },
    ]);
    const inst = await h.db.db
      .selectFrom("institutions")
      .select("stage_key")
      .where("id", "=", institutionId)
      .executeTakeFirstOrThrow();
    expect(inst.stage_key).toBe("tot");

    const second = await call(signOff.action, post(`/institutions/${institutionId}/sign-off`, form), { id: institutionId }, ctx);
    expect(second.status).toBe(409);
    expect(await json(second)).toEqual({ message: refusals.en["refusal.WRONG_STAGE"].replace("{stage}", "engaged") });
    expect(await transitions()).toHaveLength(1);
  });

  it("answers 409 when the gate is not met, and when no slip back waits", async () => {
    const institutionId = await createInstitution();
    const res = await call(
      signOff.action,
      post(`/institutions/${institutionId}/sign-off`, { fromStage: "engaged", note: "" }),
      { id: institutionId },
      ctx,
    );
    expect(res.status).toBe(409);
    expect((await json(res)).message).toBe(refusals.en["refusal.GATE_NOT_MET"]);
    // The same refusal, in the reader's language: the page renders the code, it does not repeat the workflow's words.
    const inSpanish = post(`/institutions/${institutionId}/sign-off`, { fromStage: "engaged", note: "" });
    inSpanish.headers.set("Accept-Language", "es");
    const refusedEs = await call(signOff.action, inSpanish, { id: institutionId }, ctx);
    expect(refusedEs.status).toBe(409);
    expect((await json(refusedEs)).message).toBe(refusals.es["refusal.GATE_NOT_MET"]);
    const noSlip = await call(
      slip.action,
      post(`/institutions/${institutionId}/slip`, { decision: "confirm", reason: "" }),
      { id: institutionId },
      ctx,
    );
    expect(noSlip.status).toBe(409);
    expect((await json(noSlip)).message).toBe(refusals.en["refusal.NO_SLIP"]);
  });

  it("sends a GET back to the institution page", async () => {
    const institutionId = await createInstitution();
    for (const route of [signOff, slip]) {
      const res = await call(route.loader, get(`/institutions/${institutionId}/x`), { id: institutionId }, ctx);
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`/institutions/${institutionId}`);
    }
  });
});

describe("addresses that lead nowhere", () => {
  it("answers 404 for a malformed or unknown id, before touching anything", async () => {
    const known = await createInstitution();
    const reportId = await report(known, "mou_signed", { "payload.signedOn": "2024-11-30" });
    const unknown = crypto.randomUUID();
    const cases: { handler: Parameters<typeof call>[0]; params: Record<string, string> }[] = [
      { handler: reportForm.loader, params: { id: "not-a-uuid" } },
      { handler: reportForm.action, params: { id: "not-a-uuid" } },
      { handler: reportForm.loader, params: { id: unknown } },
      { handler: reportForm.action, params: { id: unknown } },
      { handler: reportPage.loader, params: { id: known, reportId: "42" } },
      { handler: reportPage.loader, params: { id: unknown, reportId } },
      { handler: reportPage.action, params: { id: known, reportId: unknown } },
      { handler: signOff.action, params: { id: "../etc" } },
      { handler: signOff.loader, params: { id: unknown } },
      { handler: slip.action, params: { id: unknown } },
    ];
    for (const c of cases) {
      const res = await call(
        c.handler,
        post("/x", { fromStage: "engaged", decision: "verify", kind: "mou_signed" }),
        c.params,
        ctx,
      );
      expect(res.status, JSON.stringify(c.params)).toBe(404);
    }
    // A report is found only under its own institution.
    const other = await createInstitution();
    const res = await call(reportPage.loader, get("/x"), { id: other, reportId }, ctx);
    expect(res.status).toBe(404);
  });
});

describe("when the workflow service is unreachable", () => {
  it("answers 503 with a calm message and writes nothing", async () => {
    const institutionId = await createInstitution();
    // No retries, so the refusal is immediate; nothing listens on this port.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    const down = { ...ctx, temporal: new Client({ connection }) } as AppLoadContext;
    try {
      const fields = totFields(await reportIdFor(institutionId, "tot_cohort"), SIX_TRAINERS);
      const res = await call(
        reportForm.action,
        post(`/institutions/${institutionId}/report`, fields),
        { id: institutionId },
        down,
      );
      expect(res.status).toBe(503);
      expect((await json(res)).formError).toBe(refusals.en["refusal.UNAVAILABLE"]);
      const signed = await call(signOff.action, post("/x", { fromStage: "engaged" }), { id: institutionId }, down);
      expect(signed.status).toBe(503);
      expect(await reportRows(institutionId)).toHaveLength(0);
    } finally {
      await connection.close();
    }
  });
});
