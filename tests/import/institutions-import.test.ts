import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { createInstitution, currentTemplateFor } from "../../db/queries/institutions";
import { createTestDb, type TestDb } from "../support/db";
import { csvBytes, seedForImport } from "./support";

/**
 * New institutions from a file are written a chunk at a time, each table in one statement: each
 * one still gets exactly its own institution row, start transition and audit entry, as the
 * single-institution form makes them.
 */

let t: TestDb;
let seed: Awaited<ReturnType<typeof seedForImport>>;
let peTemplate: string;

beforeAll(async () => {
  t = await createTestDb("postgres");
  seed = await seedForImport(t.db, 0);
  // Peru has a template of its own: each country starts on its own current template.
  const base = await t.db
    .selectFrom("pathway_templates")
    .selectAll()
    .where("country_code", "is", null)
    .where("status", "=", "published")
    .orderBy("version", "desc")
    .executeTakeFirstOrThrow();
  peTemplate = crypto.randomUUID();
  await t.db
    .insertInto("pathway_templates")
    .values({
      id: peTemplate,
      key: "peru",
      version: 1,
      name: "Peru pathway",
      country_code: "PE",
      definition: JSON.stringify(base.definition),
      status: "published",
      published_by: "test",
      published_at: new Date(),
    })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

const HEADER = ["country", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"];
const ROWS = [
  ["GH", "Accra Skills Centre", "private_provider", "implementing_partner", "2024-03-15", "", "yes"],
  ["PE", "Cusco Centro Empresarial", "employers_organisation", "national_coordinator", "", "2025-02-01", ""],
  ["GH", "Tamale Training Institute", "government_training", "implementing_partner", "", "", "no"],
  ["VN", "Hanoi Industry Association", "industry_association", "sponsor", "2023-11-30", "2024-06-30", "yes"],
  ["PE", "Arequipa Formación", "private_provider", "implementing_partner", "", "", ""],
];

describe("an institutions file in one chunk", () => {
  it("writes each institution, its start transition and its audit entry exactly once, in the file's order", async () => {
    const at = new Date("2026-03-02T10:00:00.000Z");
    const id = await dryRun(t.db, {
      entity: "institutions",
      fileName: "institutions.csv",
      bytes: csvBytes(HEADER, ROWS),
      actorId: seed.admin.id,
      now: at,
    });
    const outcome = await runImport(t.db, id, { actor: seed.admin, now: () => at });
    if (outcome.status !== "done") throw new Error(`import ${outcome.status}`);
    const created = outcome.result.createdInstitutions;
    expect(created).toHaveLength(ROWS.length);

    const made = await t.db.selectFrom("institutions").selectAll().where("import_batch_id", "=", id).execute();
    const byId = new Map(made.map((m) => [m.id, m]));
    expect(made).toHaveLength(ROWS.length);
    // createdInstitutions follows the file's rows.
    expect(created.map((c) => byId.get(c)?.name)).toEqual(ROWS.map((r) => r[1]));

    const templates = {
      GH: await currentTemplateFor(t.db, "GH"),
      PE: await currentTemplateFor(t.db, "PE"),
      VN: await currentTemplateFor(t.db, "VN"),
    };
    expect(templates.PE.id).toBe(peTemplate);
    expect(templates.GH.id).not.toBe(peTemplate);
    const currency = { GH: "GHS", PE: "PEN", VN: "VND" };
    created.forEach((instId, n) => {
      const [country, name, type, role, mou, plan, portfolio] = ROWS[n] as [keyof typeof templates, ...string[]];
      expect(byId.get(instId)).toMatchObject({
        name,
        type,
        role,
        country_code: country,
        currency: currency[country],
        template_id: templates[country].id,
        stage_key: templates[country].definition.stages[0].key,
        status: "active",
        mou_signed_on: mou || null,
        business_plan_adopted_on: plan || null,
        score_in_portfolio: portfolio === "yes",
        slip_flag: null,
        import_batch_id: id,
      });
      expect(new Date(byId.get(instId)!.stage_entered_at).toISOString()).toBe(at.toISOString());
    });

    const transitions = await t.db.selectFrom("stage_transitions").selectAll().where("institution_id", "in", created).execute();
    expect(transitions).toHaveLength(ROWS.length);
    for (const [n, instId] of created.entries()) {
      const mine = transitions.filter((x) => x.institution_id === instId);
      expect(mine).toHaveLength(1);
      const country = ROWS[n][0] as keyof typeof templates;
      expect(mine[0]).toMatchObject({
        id: `start-${instId}`,
        from_stage: null,
        to_stage: templates[country].definition.stages[0].key,
        kind: "start",
        decided_by: seed.admin.name,
        import_batch_id: null,
      });
      expect(new Date(mine[0].occurred_at).toISOString()).toBe(at.toISOString());
    }

    const audit = await t.db.selectFrom("audit_log").selectAll().where("institution_id", "in", created).orderBy("id").execute();
    // One entry each, nothing else on them, and in the file's order.
    expect(audit.map((a) => [a.entity_id, a.action])).toEqual(created.map((c) => [c, "institution.created"]));
    audit.forEach((a, n) => {
      const [country, name, type, role] = ROWS[n] as [keyof typeof templates, ...string[]];
      expect(a).toMatchObject({ actor: seed.admin.name, entity_type: "institution", institution_id: created[n], before: null });
      expect(a.after).toEqual({ name, type, role, country, template: templates[country].id });
      expect(new Date(a.occurred_at).toISOString()).toBe(at.toISOString());
    });
  });

  it("the single-institution form writes the same three records through the same function", async () => {
    const at = new Date("2026-03-03T09:00:00.000Z");
    const instId = crypto.randomUUID();
    const row = await createInstitution(
      t.db,
      { id: instId, name: "Lima Formación Técnica", countryCode: "PE", type: "private_provider", role: "sponsor" },
      "Officer",
      at,
    );
    expect(row).toMatchObject({
      id: instId,
      currency: "PEN",
      template_id: peTemplate,
      import_batch_id: null,
      mou_signed_on: null,
      score_in_portfolio: false,
    });
    const transitions = await t.db.selectFrom("stage_transitions").selectAll().where("institution_id", "=", instId).execute();
    expect(transitions.map((x) => [x.id, x.kind, x.decided_by])).toEqual([[`start-${instId}`, "start", "Officer"]]);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("institution_id", "=", instId).execute();
    expect(audit.map((a) => [a.action, a.actor, a.after])).toEqual([
      [
        "institution.created",
        "Officer",
        { name: "Lima Formación Técnica", type: "private_provider", role: "sponsor", country: "PE", template: peTemplate },
      ],
    ]);
  });
});
