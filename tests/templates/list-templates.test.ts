import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTemplates } from "../../db/queries/portfolio";
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import { createDraft, publishDraft, retireVersion, saveDraft } from "../../db/queries/templates";
import { getTemplate } from "../../db/queries/institutions";
import { randomUUID } from "node:crypto";
import { loadPortfolio } from "../../app/features/portfolio/portfolio.server";
import { loadPortfolioGraph } from "../../app/features/portfolio/load.server";
import type { Actor } from "../../app/platform/access.server";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The list pages read the templates in use on each request: a published or retired version is
 * checked and put in the reader's language once per process; a draft is not listed until it is
 * published (no institution runs on it, and its stages are not the programme's yet).
 */

let handle: TestDb;
beforeAll(async () => {
  handle = await createTestDb("pglite");
  await seedDemoData(handle.db, new Date());
});
afterAll(async () => {
  await handle?.close();
});

describe("listTemplates", () => {
  it("keeps a published template per language, and lists a draft only once published, with its edits", async () => {
    const first = await listTemplates(handle.db, "fr");
    const again = await listTemplates(handle.db, "fr");
    const english = await listTemplates(handle.db, "en");
    expect(again.get(DEFAULT_TEMPLATE_V2_ID)).toBe(first.get(DEFAULT_TEMPLATE_V2_ID));
    expect(english.get(DEFAULT_TEMPLATE_V2_ID)).not.toBe(first.get(DEFAULT_TEMPLATE_V2_ID));
    expect(english.get(DEFAULT_TEMPLATE_V2_ID)!.definition.stages[0]!.name).not.toBe(
      first.get(DEFAULT_TEMPLATE_V2_ID)!.definition.stages[0]!.name,
    );

    const now = new Date();
    const draft = await createDraft(handle.db, { fromId: DEFAULT_TEMPLATE_V2_ID, actor: "test", now });
    expect((await listTemplates(handle.db)).has(draft.id)).toBe(false);
    const edited = structuredClone((await listTemplates(handle.db)).get(DEFAULT_TEMPLATE_V2_ID)!.definition);
    edited.stages[0]!.description = "Edited while a draft";
    await saveDraft(handle.db, draft.id, edited, "an edit", "test", now);
    const listed = await listTemplates(handle.db);
    expect(listed.has(draft.id)).toBe(false);
    expect([...listed.keys()]).toEqual([DEFAULT_TEMPLATE_V2_ID, DEFAULT_TEMPLATE_ID]);

    await publishDraft(handle.db, draft.id, "test", now);
    const published = (await listTemplates(handle.db)).get(draft.id)!;
    expect(published.definition.stages[0]!.description).toBe("Edited while a draft");
    expect((await listTemplates(handle.db)).get(draft.id)).toBe(published);
  });

  it("still lists a retired version, and keeps it parsed for the institutions that run on it", async () => {
    const before = await listTemplates(handle.db);
    await retireVersion(handle.db, DEFAULT_TEMPLATE_V2_ID, "test", new Date());
    const after = await listTemplates(handle.db);
    expect(after.get(DEFAULT_TEMPLATE_V2_ID)).toBe(before.get(DEFAULT_TEMPLATE_V2_ID));
    const read = await getTemplate(handle.db, DEFAULT_TEMPLATE_V2_ID);
    expect(read.definition.stages.length).toBeGreaterThan(0);
    expect(await getTemplate(handle.db, DEFAULT_TEMPLATE_V2_ID)).toBe(read);
  });

  it("still draws an institution that a change by hand in SQL put on a draft, instead of failing the page", async () => {
    const draft = await createDraft(handle.db, { fromId: DEFAULT_TEMPLATE_V2_ID, actor: "test", now: new Date() });
    const inst = await handle.db
      .selectFrom("institutions")
      .select(["id", "name", "stage_key"])
      .orderBy("name")
      .executeTakeFirstOrThrow();
    await handle.db.updateTable("institutions").set({ template_id: draft.id }).where("id", "=", inst.id).execute();
    const manager: Actor = {
      id: randomUUID(),
      name: "m",
      email: "m@t.test",
      role: "programme_manager",
      institutionId: null,
      countries: "all",
    };

    const list = await loadPortfolio(handle.db, manager, new URLSearchParams({ q: inst.name }), new Date(), "fr");
    expect(list.institutions.map((i) => i.id)).toEqual([inst.id]);
    const graph = await loadPortfolioGraph(handle.db, manager, new URLSearchParams({ stage: inst.stage_key }), new Date(), "fr");
    expect(graph.institutions.map((i) => i.id)).toContain(inst.id);
    // The draft is still not one of the programme's templates.
    expect((await listTemplates(handle.db)).has(draft.id)).toBe(false);
  });
});
