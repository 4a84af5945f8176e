import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTemplates } from "../../db/queries/portfolio";
import { DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import { createDraft, publishDraft, saveDraft } from "../../db/queries/templates";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The list pages read every template on each request; a published one is checked and put in the
 * reader's language once per process, a draft every time (its content can still change).
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
  it("keeps a published template per language, and reads a draft's edits at once", async () => {
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
    const before = (await listTemplates(handle.db)).get(draft.id)!;
    const edited = structuredClone(before.definition);
    edited.stages[0]!.description = "Edited while a draft";
    await saveDraft(handle.db, draft.id, edited, "an edit", "test", now);
    expect((await listTemplates(handle.db)).get(draft.id)!.definition.stages[0]!.description).toBe("Edited while a draft");

    await publishDraft(handle.db, draft.id, "test", now);
    const published = (await listTemplates(handle.db)).get(draft.id)!;
    expect(published.definition.stages[0]!.description).toBe("Edited while a draft");
    expect((await listTemplates(handle.db)).get(draft.id)).toBe(published);
  });
});
