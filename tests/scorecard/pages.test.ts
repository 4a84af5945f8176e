import { Client as TemporalClient, Connection } from "@temporalio/client";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPathwayRecords } from "../../db/queries/institutions";
import { pathwayWorkflowId } from "../../workflows/shared";
import { DEMO, count, hiddenValue, securityApp, signedIn, type Client, type SecurityApp } from "../security/support";
import { acceptedUpdateIds, historyEvents } from "../support/temporal";
import { assessment, assessmentForm } from "./support";
import { TEMPORAL_CONNECT_TIMEOUT } from "../support/temporal-connect";

/**
 * The assessment page and its form over HTTP against the real app (Temporal dev server, worker,
 * PostgreSQL, demo data): who may record which assessment, errors next to the fields with a 400
 * and nothing written, and one record however often a form is sent.
 */

const started = securityApp();
let s: SecurityApp;
let reporter: Client;
let officer: Client;
let viewer: Client;
let manager: Client;
let temporal: TemporalClient;
let connection: Connection;
let A: { id: string; name: string };
let B: { id: string };
let elsewhere: { id: string; name: string };

beforeAll(async () => {
  s = await started.start();
  [reporter, officer, viewer, manager] = await Promise.all(
    [DEMO.reporter, DEMO.officer, DEMO.viewer, DEMO.manager].map((e) => signedIn(s.url, e)),
  );
  const institutionOf = (email: string) =>
    s.db
      .selectFrom("users as u")
      .innerJoin("institutions as i", "i.id", "u.institution_id")
      .select(["i.id", "i.name", "i.country_code"])
      .where("u.email", "=", email)
      .executeTakeFirstOrThrow();
  A = await institutionOf(DEMO.reporter);
  B = await institutionOf(DEMO.reporter2);
  const officerCountries = (
    await s.db.selectFrom("users").select("countries").where("email", "=", DEMO.officer).executeTakeFirstOrThrow()
  ).countries;
  elsewhere = await s.db
    .selectFrom("institutions")
    .select(["id", "name"])
    .where("country_code", "not in", officerCountries)
    .orderBy("name")
    .limit(1)
    .executeTakeFirstOrThrow();
  connection = await Connection.connect({ address: s.app.temporalAddress, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
  temporal = new TemporalClient({ connection });
});
afterAll(async () => {
  await connection?.close();
  await started.stop();
});

/** Dated today, a new assessment is the latest of its kind (the demo data's are older). */
const today = new Date().toISOString().slice(0, 10);
const page = (id: string) => `/institutions/${id}/assessment`;
const assessmentsOf = (institutionId: string) =>
  count(s.db, "readiness_assessments", (q) => q.where("institution_id", "=", institutionId));
const rowsWithId = (id: string) => count(s.db, "readiness_assessments", (q) => q.where("id", "=", id));

/** The form's own id, as a browser tab holds it. */
async function openForm(c: Client, id: string): Promise<string> {
  const res = await c.get(page(id));
  expect(res.status).toBe(200);
  const formId = hiddenValue(await res.text(), "assessmentId");
  expect(formId).toMatch(/^[0-9a-f-]{36}$/);
  return formId!;
}

describe("the institution reporter", () => {
  it("records their institution's self-assessment once, however often the form is sent", async () => {
    const before = await assessmentsOf(A.id);
    const a = {
      ...assessment("self", { technical: 3, institutional: 4, financial: 2 }, today),
      assessmentId: await openForm(reporter, A.id),
    };
    a.scores.strategy.comment = "SCORE is in our three-year plan";
    const first = await reporter.post(page(A.id), assessmentForm(a));
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe(`${page(A.id)}?recorded=new`);
    const second = await reporter.post(page(A.id), assessmentForm(a));
    expect(second.headers.get("Location")).toBe(`${page(A.id)}?recorded=already`);
    // Two tabs at once.
    const [x, y] = await Promise.all([
      reporter.post(page(A.id), assessmentForm(a)),
      reporter.post(page(A.id), assessmentForm(a)),
    ]);
    expect([x.status, y.status]).toEqual([302, 302]);

    expect(await rowsWithId(a.assessmentId)).toBe(1);
    expect(await assessmentsOf(A.id)).toBe(before + 1);
    expect(await count(s.db, "readiness_scores", (q) => q.where("assessment_id", "=", a.assessmentId))).toBe(12);
    expect(await count(s.db, "audit_log", (q) => q.where("entity_id", "=", a.assessmentId))).toBe(1);
    const row = await s.db
      .selectFrom("readiness_assessments")
      .selectAll()
      .where("id", "=", a.assessmentId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: "self", assessed_by: "Kwame Mensah", institution_id: A.id });

    const html = await (await reporter.get(page(A.id))).text();
    expect(html).toContain("SCORE is in our three-year plan");
    expect(html).toContain("Record the institution&#x27;s self-assessment");
  });

  it("records a self-assessment even when the form claims to be the ILO's", async () => {
    const a = {
      ...assessment("self", { technical: 4, institutional: 4, financial: 4 }),
      assessmentId: await openForm(reporter, A.id),
    };
    const res = await reporter.post(page(A.id), { ...assessmentForm(a), kind: "ilo" });
    expect(res.status).toBe(302);
    const row = await s.db
      .selectFrom("readiness_assessments")
      .select("kind")
      .where("id", "=", a.assessmentId)
      .executeTakeFirstOrThrow();
    expect(row.kind).toBe("self");
  });

  it("cannot record anything for another institution: 404, nothing written", async () => {
    const before = await assessmentsOf(B.id);
    const res = await reporter.post(
      page(B.id),
      assessmentForm(assessment("self", { technical: 4, institutional: 4, financial: 4 })),
    );
    expect(res.status).toBe(404);
    expect((await reporter.get(page(B.id))).status).toBe(404);
    expect(await assessmentsOf(B.id)).toBe(before);
  });

  it("gets a 400 with the error next to each wrong field, and nothing is written", async () => {
    const before = await assessmentsOf(A.id);
    const a = {
      ...assessment("self", { technical: 3, institutional: 3, financial: 3 }),
      assessmentId: await openForm(reporter, A.id),
    };
    const fields = assessmentForm(a);
    delete fields["score.kpi_collection"];
    fields["score.strategy"] = "7";
    fields["comment.funding_diversity"] = "x".repeat(1001);
    const res = await reporter.post(page(A.id), fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const field of ["score-kpi_collection", "score-strategy", "comment-funding_diversity"]) {
      // The field points at its error, and the error is on the page.
      expect(html).toMatch(new RegExp(`aria-describedby="f-${field}-error"`));
      expect(html).toContain(`id="f-${field}-error"`);
    }
    expect(html).toContain("Choose a score from 1 to 4.");
    expect(html).toContain("Keep the comment to 1000 characters or fewer.");
    // What was typed is kept, and the same form id, so the corrected form is still one assessment.
    expect(hiddenValue(html, "assessmentId")).toBe(a.assessmentId);
    expect(await rowsWithId(a.assessmentId)).toBe(0);
    expect(await assessmentsOf(A.id)).toBe(before);
  });

  it("cannot link another institution's evidence file", async () => {
    const file = await s.db
      .insertInto("evidence_files")
      .values({
        id: randomUUID(),
        institution_id: B.id,
        report_id: randomUUID(),
        file_name: "b-only.pdf",
        content_type: "application/pdf",
        size_bytes: 4,
        sha256: "x",
        uploaded_by: "B",
        created_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const a = {
      ...assessment("self", { technical: 3, institutional: 3, financial: 3 }),
      assessmentId: await openForm(reporter, A.id),
    };
    const res = await reporter.post(page(A.id), { ...assessmentForm(a), "evidence.trainer_pool": file.id });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Choose evidence from this institution&#x27;s verified reports.");
    expect(html).not.toContain("b-only.pdf");
    expect(await rowsWithId(a.assessmentId)).toBe(0);
  });
});

describe("ILO officers and read-only roles", () => {
  it("an officer of the institution's country records the ILO assessment; the gate records read it and the pathway is told once", async () => {
    const a = {
      ...assessment("ilo", { technical: 2, institutional: 3, financial: 1 }, today),
      assessmentId: await openForm(officer, A.id),
    };
    const [x, y] = await Promise.all([officer.post(page(A.id), assessmentForm(a)), officer.post(page(A.id), assessmentForm(a))]);
    expect([x.status, y.status]).toEqual([302, 302]);
    expect(await rowsWithId(a.assessmentId)).toBe(1);
    const row = await s.db
      .selectFrom("readiness_assessments")
      .select(["kind", "assessed_by"])
      .where("id", "=", a.assessmentId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: "ilo", assessed_by: "Lucía Fernández" });

    // Dated today, it is the latest ILO assessment: the records the gates read carry its means.
    expect((await loadPathwayRecords(s.db, A.id)).readiness).toEqual({
      assessedOn: today,
      means: { technical: 2, institutional: 3, financial: 1 },
    });

    const events = await historyEvents(temporal.workflow.getHandle(pathwayWorkflowId(A.id)));
    expect(acceptedUpdateIds(events).filter((id) => id === `assessment-${a.assessmentId}`)).toHaveLength(1);
  });

  it("an officer of another country reads the page but cannot record: 403, nothing written", async () => {
    const res = await officer.get(page(elsewhere.id));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('name="assessmentId"');
    expect(html).toContain("You can read the assessments.");
    const before = await assessmentsOf(elsewhere.id);
    const post = await officer.post(
      page(elsewhere.id),
      assessmentForm(assessment("ilo", { technical: 4, institutional: 4, financial: 4 })),
    );
    expect(post.status).toBe(403);
    expect(await assessmentsOf(elsewhere.id)).toBe(before);
  });

  it("viewers and programme managers read only", async () => {
    const before = await assessmentsOf(A.id);
    for (const c of [viewer, manager]) {
      const res = await c.get(page(A.id));
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain('name="assessmentId"');
      const post = await c.post(page(A.id), assessmentForm(assessment("ilo", { technical: 4, institutional: 4, financial: 4 })));
      expect(post.status).toBe(403);
    }
    expect(await assessmentsOf(A.id)).toBe(before);
  });
});
