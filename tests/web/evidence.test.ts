import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as newInstitution from "../../app/routes/institutions.new";
import * as reportForm from "../../app/routes/institutions.$id.report";
import * as evidence from "../../app/routes/evidence.$fileId";
import { getReport } from "../../db/queries/reports";
import { signInAs } from "../support/session";
import { BASE, call, get, post, startHarness, type WebHarness } from "./harness";

let h: WebHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);

async function newInstitutionId(name: string): Promise<string> {
  const { id } = (await (await call(newInstitution.loader, get("/institutions/new"), {}, h.context)).json()) as { id: string };
  const res = await call(
    newInstitution.action,
    post("/institutions/new", { id, name, type: "industry_association", role: "implementing_partner", countryCode: "GH" }),
    {},
    h.context,
  );
  expect(res.status).toBe(302);
  return id;
}

async function mouForm(institutionId: string, files: { name: string; type: string; bytes: Uint8Array }[], sameReportId?: string) {
  const reportId =
    sameReportId ??
    (
      (await (
        await call(
          reportForm.loader,
          get(`/institutions/${institutionId}/report?kind=mou_signed`),
          { id: institutionId },
          h.context,
        )
      ).json()) as { reportId: string }
    ).reportId;
  const form = new FormData();
  form.set("csrf", h.session.csrf);
  form.set("intent", "send");
  form.set("reportId", reportId);
  form.set("kind", "mou_signed");
  form.set("payload.signedOn", "2026-01-15");
  for (const f of files) form.append("evidenceFiles", new File([f.bytes as Uint8Array<ArrayBuffer>], f.name, { type: f.type }));
  const request = new Request(`${BASE}/institutions/${institutionId}/report?kind=mou_signed`, {
    method: "POST",
    body: form,
    headers: { Cookie: h.session.cookie },
  });
  return { reportId, res: await call(reportForm.action, request, { id: institutionId }, h.context) };
}

const evidenceRows = (reportId: string) =>
  h.db.db.selectFrom("evidence_files").select("id").where("report_id", "=", reportId).execute();

describe("evidence files", () => {
  it("stores nothing for a report refused as another institution's", async () => {
    const a = await newInstitutionId("Ho Evidence Owner");
    const b = await newInstitutionId("Ho Evidence Intruder");
    const { reportId, res } = await mouForm(a, [{ name: "a.pdf", type: "application/pdf", bytes: PDF }]);
    expect(res.status).toBe(302);
    const before = await evidenceRows(reportId);
    const other = new TextEncoder().encode("%PDF-1.4\n% another file\n%%EOF\n");
    const cross = await mouForm(b, [{ name: "b.pdf", type: "application/pdf", bytes: other }], reportId);
    expect(cross.res.status).toBe(400);
    expect(await evidenceRows(reportId)).toEqual(before);
    const strays = await h.db.db.selectFrom("evidence_files").select("id").where("institution_id", "=", b).execute();
    expect(strays).toEqual([]);
  });

  it("a verified report takes no new evidence", async () => {
    const id = await newInstitutionId("Keta Verified Association");
    const { reportId, res } = await mouForm(id, [{ name: "mou.pdf", type: "application/pdf", bytes: PDF }]);
    expect(res.status).toBe(302);
    await h.db.db.updateTable("milestone_reports").set({ status: "verified" }).where("id", "=", reportId).execute();
    const before = await evidenceRows(reportId);
    const late = new TextEncoder().encode("%PDF-1.4\n% added later\n%%EOF\n");
    const again = await mouForm(id, [{ name: "late.pdf", type: "application/pdf", bytes: late }], reportId);
    expect(again.res.status).toBe(409);
    expect(await evidenceRows(reportId)).toEqual(before);
  });

  it("stores a PDF outside the database, links it to the report and serves it to those allowed", async () => {
    const id = await newInstitutionId("Tema Evidence Association");
    const { reportId, res } = await mouForm(id, [{ name: "signed-mou.pdf", type: "application/pdf", bytes: PDF }]);
    expect(res.status).toBe(302);
    const report = await getReport(h.db.db, reportId);
    const ref = (report!.evidence as { label: string; reference: string }[]).find((e) => e.reference.startsWith("file:"));
    expect(ref?.label).toBe("signed-mou.pdf");
    const fileId = ref!.reference.slice("file:".length);

    const download = await call(evidence.loader, get(`/evidence/${fileId}`), { fileId }, h.context);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);

    // A reporter of another institution learns nothing, not even that the file exists.
    const otherId = await newInstitutionId("Takoradi Other Association");
    const stranger = await signInAs(h.db.db, "institution_reporter", { institutionId: otherId });
    const refused = await call(
      evidence.loader,
      new Request(`${BASE}/evidence/${fileId}`, { headers: { Cookie: stranger.cookie } }),
      { fileId },
      h.context,
    );
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("signed-mou");
  });

  it("refuses a program renamed to .pdf, next to the field, and writes nothing", async () => {
    const id = await newInstitutionId("Cape Coast Evidence Association");
    const { reportId, res } = await mouForm(id, [{ name: "minutes.pdf", type: "application/pdf", bytes: ELF }]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, string> };
    expect(body.errors.evidenceFiles).toContain("minutes.pdf is not a PDF");
    expect(await getReport(h.db.db, reportId)).toBeUndefined();
    const stored = await h.db.db.selectFrom("evidence_files").select("id").where("report_id", "=", reportId).execute();
    expect(stored).toEqual([]);
  });

  it("refuses a multipart form without the session's CSRF token", async () => {
    const id = await newInstitutionId("Ho Evidence Association");
    const form = new FormData();
    form.set("intent", "send");
    form.set("kind", "mou_signed");
    const res = await call(
      reportForm.action,
      new Request(`${BASE}/institutions/${id}/report?kind=mou_signed`, {
        method: "POST",
        body: form,
        headers: { Cookie: h.session.cookie },
      }),
      { id },
      h.context,
    );
    expect(res.status).toBe(403);
  });
});
