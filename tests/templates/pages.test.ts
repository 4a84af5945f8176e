import type { AppLoadContext } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as edit from "../../app/routes/admin.templates.$templateId.edit";
import * as view from "../../app/routes/admin.templates.$templateId._index";
import * as move from "../../app/routes/admin.templates.$templateId.move";
import * as list from "../../app/routes/admin.templates._index";
import { draftFromDefinition, type TemplateDraft } from "../../app/features/templates/template-validation";
import { createInstitution } from "../../db/queries/institutions";
import { getTemplateVersion } from "../../db/queries/templates";
import { DEFAULT_TEMPLATE_V2, DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import { signInAs, type TestSession } from "../support/session";
import { BASE, call, get, post, startHarness, type WebHarness } from "../web/harness";

/**
 * The template pages' loaders and actions against a real database and a real Temporal dev
 * server with a pathway worker, called as Remix calls them, signed in as an ILO administrator
 * unless a test says otherwise.
 */

let h: WebHarness;
let ctx: AppLoadContext;
const json = <T>(res: Response) => res.json() as Promise<T>;

beforeAll(async () => {
  h = await startHarness();
  ctx = h.context;
});
afterAll(() => h?.stop());

type Module = { loader: (a: never) => Promise<unknown>; action?: (a: never) => Promise<unknown> };
const ROUTES: [string, Module, Record<string, string>][] = [
  ["/admin/templates", list as Module, {}],
  [`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}`, view as Module, { templateId: DEFAULT_TEMPLATE_V2_ID }],
  [`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`, edit as Module, { templateId: DEFAULT_TEMPLATE_V2_ID }],
  ["/admin/templates/default@1/move", move as Module, { templateId: "default@1" }],
];

function withCookie(req: Request, s: TestSession): Request {
  req.headers.set("Cookie", s.cookie);
  return req;
}

function draftPost(path: string, draft: TemplateDraft): Request {
  return post(path, { draft: JSON.stringify(draft) });
}

async function definitionOf(id: string) {
  return (await getTemplateVersion(h.db.db, id))!.definition;
}

describe("who may use the template pages", () => {
  it("refuses every template page and action to anyone but an ILO administrator (403)", async () => {
    const sessions = await Promise.all(
      (["ilo_officer", "programme_manager", "viewer"] as const).map((role) => signInAs(h.db.db, role, { countries: ["GH"] })),
    );
    const reporterOf = randomUUID();
    await createInstitution(
      h.db.db,
      { id: reporterOf, name: "La Paz Reporting Centre", type: "private_provider", role: "sponsor", countryCode: "BO" },
      "test",
      new Date(),
    );
    sessions.push(await signInAs(h.db.db, "institution_reporter", { institutionId: reporterOf }));
    const before = await h.db.db.selectFrom("pathway_templates").select(["id", "status", "definition"]).orderBy("id").execute();
    for (const s of sessions) {
      for (const [path, mod, params] of ROUTES) {
        const page = await call(mod.loader as never, withCookie(get(path), s), params, ctx);
        expect({ path, status: page.status }).toEqual({ path, status: 403 });
        if (mod.action) {
          const req = withCookie(
            post(path, { csrf: s.csrf, intent: "publish", draft: "{}", reason: "x", institution: randomUUID() }),
            s,
          );
          const res = await call(mod.action as never, req, params, ctx);
          expect({ path, status: res.status }).toEqual({ path, status: 403 });
        }
      }
    }
    expect(await h.db.db.selectFrom("pathway_templates").select(["id", "status", "definition"]).orderBy("id").execute()).toEqual(
      before,
    );
  });
});

describe("template versions, the editor and moves", () => {
  let ghana: string[];

  beforeAll(async () => {
    // Two running institutions in Ghana on default@1, created as the web app creates them.
    ghana = [];
    for (const name of ["Ghana Employers' Association", "Kumasi Training Institute"]) {
      const id = randomUUID();
      await createInstitution(
        h.db.db,
        { id, name, type: "employers_organisation", role: "implementing_partner", countryCode: "GH" },
        "test",
        new Date(),
      );
      ghana.push(id);
    }
  });

  it("lists each template's versions with how many institutions are on each", async () => {
    const data = await json<{ groups: { key: string; versions: { id: string; status: string; institutions: number }[] }[] }>(
      await call(list.loader, get("/admin/templates"), {}, ctx),
    );
    const def = data.groups.find((g) => g.key === "default")!;
    expect(def.versions.map((v) => [v.id, v.status, v.institutions])).toEqual([
      [DEFAULT_TEMPLATE_V2_ID, "draft", 0],
      ["default@1", "published", 3],
    ]);
  });

  it("refuses a broken draft with 400, names the stage and field, and saves nothing", async () => {
    const draft = draftFromDefinition(DEFAULT_TEMPLATE_V2);
    draft.stages.push({
      id: "n1",
      key: "alumni",
      name: "Alumni network",
      description: "",
      gate: [{ key: "members", label: "Members", metric: "trainers_trained", threshold: 10 }],
    });
    draft.stages[2].gate[0].threshold = "";
    const res = await call(
      edit.action,
      draftPost(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`, draft),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(res.status).toBe(400);
    const body = await json<{ saved: boolean; problems: { field: string; stageId?: string; message: string }[] }>(res);
    expect(body.saved).toBe(false);
    expect(body.problems.map((p) => [p.field, p.message])).toEqual([
      ["stages.n1", "Stage “Alumni network” cannot be reached from “Engaged”: connect it to the stage before it."],
      ["stages.certification.gate.0.threshold", "Stage “Certification”, criterion “Certified trainers”: enter a threshold."],
    ]);
    expect(await definitionOf(DEFAULT_TEMPLATE_V2_ID)).toEqual(DEFAULT_TEMPLATE_V2);
    const saves = await h.db.db.selectFrom("audit_log").select("id").where("action", "=", "template.draft_saved").execute();
    expect(saves).toHaveLength(0);

    const garbage = await call(
      edit.action,
      post(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`, { draft: "{not json" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(garbage.status).toBe(400);
  });

  it("saves a valid draft, publishes it, and then refuses to change it", async () => {
    const draft = draftFromDefinition(DEFAULT_TEMPLATE_V2, "Readiness in every gate");
    draft.stages[1].gate.find((c) => c.key === "readiness")!.threshold = "45";
    const saved = await call(
      edit.action,
      draftPost(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`, draft),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(saved.status).toBe(200);
    expect((await definitionOf(DEFAULT_TEMPLATE_V2_ID)).stages[1].gate.find((c) => c.key === "readiness")?.threshold).toBe(45);

    const published = await call(
      view.action,
      post(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}`, { intent: "publish" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(published.status).toBe(302);
    expect((await getTemplateVersion(h.db.db, DEFAULT_TEMPLATE_V2_ID))?.status).toBe("published");

    const again = await call(
      edit.action,
      draftPost(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`, draft),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(again.status).toBe(409);
    const editPage = await call(
      edit.loader,
      get(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/edit`),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect([editPage.status, editPage.headers.get("Location")]).toEqual([
      302,
      `/admin/templates/${encodeURIComponent(DEFAULT_TEMPLATE_V2_ID)}`,
    ]);
  });

  it("starts a new draft for a country from a published version", async () => {
    const res = await call(
      view.action,
      post("/admin/templates/default@2", { intent: "draft", target: "GH" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect([res.status, res.headers.get("Location")]).toEqual([302, "/admin/templates/gh%401/edit"]);
    expect(await getTemplateVersion(h.db.db, "gh@1")).toMatchObject({
      status: "draft",
      countryCode: "GH",
      key: "gh",
      version: 1,
    });
    const twice = await call(
      view.action,
      post("/admin/templates/default@2", { intent: "draft", target: "GH" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(twice.status).toBe(409);
  });

  it("shows what a move changes, moves the chosen institutions once, and audits each move", async () => {
    const page = await json<{
      moveId: string;
      sources: { templateId: string; changes: { stageKey: string }[] }[];
      candidates: {
        id: string;
        changes: { kind: string; stageKey: string; after: string | null }[];
        before: { met: boolean } | null;
        after: { met: boolean } | null;
      }[];
    }>(
      await call(
        move.loader,
        get(`/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/move`),
        { templateId: DEFAULT_TEMPLATE_V2_ID },
        ctx,
      ),
    );
    const preview = page.candidates.find((c) => c.id === ghana[0])!;
    // At Engaged, the gate that matters is the one to ToT; every gate's changes are listed once per version.
    expect(preview.changes.map((c) => [c.kind, c.stageKey, c.after])).toEqual([["added", "tot", "readiness_score ≥ 45"]]);
    expect(page.sources.find((s) => s.templateId === "default@1")?.changes.map((c) => c.stageKey)).toEqual([
      "tot",
      "certification",
      "cost_recovery",
      "independent",
    ]);
    expect([preview.before?.met, preview.after?.met]).toEqual([false, false]);

    const form = (fields: [string, string][]) => {
      const body = new URLSearchParams(fields);
      return new Request(`${BASE}/admin/templates/${DEFAULT_TEMPLATE_V2_ID}/move`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
    };
    const noReason = await call(
      move.action,
      form([
        ["moveId", page.moveId],
        ["institution", ghana[0]],
        ["reason", " "],
      ]),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(noReason.status).toBe(400);
    expect((await json<{ errors: Record<string, string> }>(noReason)).errors).toEqual({ reason: "Give a reason for the move." });

    const fields: [string, string][] = [
      ["moveId", page.moveId],
      ["institution", ghana[0]],
      ["institution", ghana[1]],
      ["reason", "Readiness assessments begin in Ghana"],
    ];
    const first = await call(move.action, form(fields), { templateId: DEFAULT_TEMPLATE_V2_ID }, ctx);
    expect(first.status).toBe(200);
    expect((await json<{ outcomes: { id: string; kind: string }[] }>(first)).outcomes.map((o) => o.kind)).toEqual([
      "moved",
      "moved",
    ]);

    const retry = await call(move.action, form(fields), { templateId: DEFAULT_TEMPLATE_V2_ID }, ctx);
    expect((await json<{ outcomes: { kind: string }[] }>(retry)).outcomes.map((o) => o.kind)).toEqual(["already", "already"]);

    const rows = await h.db.db.selectFrom("institutions").select("template_id").where("id", "in", ghana).execute();
    // The Bolivian institution of the first test was not chosen and stays where it was.
    expect(await h.db.db.selectFrom("institutions").select("template_id").where("country_code", "=", "BO").execute()).toEqual([
      { template_id: "default@1" },
    ]);
    expect(rows.map((r) => r.template_id)).toEqual([DEFAULT_TEMPLATE_V2_ID, DEFAULT_TEMPLATE_V2_ID]);
    const audits = await h.db.db
      .selectFrom("audit_log")
      .select(["institution_id", "actor"])
      .where("action", "=", "institution.template_moved")
      .execute();
    expect(audits.map((a) => a.institution_id).sort()).toEqual([...ghana].sort());
    expect(await h.db.db.selectFrom("template_moves").select("id").execute()).toHaveLength(2);
  });

  it("retires a version: new institutions start on the latest still published, and no move goes to it", async () => {
    const retired = await call(
      view.action,
      post("/admin/templates/default@2", { intent: "retire" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(retired.status).toBe(302);
    const id = randomUUID();
    await createInstitution(
      h.db.db,
      { id, name: "Tema Training Services", type: "private_provider", role: "sponsor", countryCode: "GH" },
      "test",
      new Date(),
    );
    expect(
      (await h.db.db.selectFrom("institutions").select("template_id").where("id", "=", id).executeTakeFirstOrThrow()).template_id,
    ).toBe("default@1");
    const movePage = await json<{ candidates: unknown[] }>(
      await call(move.loader, get("/admin/templates/default@2/move"), { templateId: DEFAULT_TEMPLATE_V2_ID }, ctx),
    );
    expect(movePage.candidates).toEqual([]);
    // Those already on it stay.
    expect(await h.db.db.selectFrom("institutions").select("template_id").where("id", "in", ghana).execute()).toEqual([
      { template_id: DEFAULT_TEMPLATE_V2_ID },
      { template_id: DEFAULT_TEMPLATE_V2_ID },
    ]);
    const twice = await call(
      view.action,
      post("/admin/templates/default@2", { intent: "retire" }),
      { templateId: DEFAULT_TEMPLATE_V2_ID },
      ctx,
    );
    expect(twice.status).toBe(409);
  });
});
