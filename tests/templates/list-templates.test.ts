import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTemplates } from "../../db/queries/portfolio";
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import { createDraft, publishDraft, retireVersion, saveDraft } from "../../db/queries/templates";
import { getTemplate } from "../../db/queries/institutions";
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
});
