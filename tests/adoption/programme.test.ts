import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, securityApp, signedIn, type Client, type SecurityApp } from "../security/support";

/**
 * Programme set-up over HTTP (the real app, demo data): an administrator adds and edits phases,
 * an overlap is refused with a field error, every change is audited; countries carry a currency
 * whose ISO 4217 digits are stored; other roles are refused.
 */

const started = securityApp();
let s: SecurityApp;
let admin: Client;
let officer: Client;

beforeAll(async () => {
  s = await started.start();
  admin = await signedIn(s.url, DEMO.admin);
  officer = await signedIn(s.url, DEMO.officer);
});
afterAll(async () => {
  await started.stop();
});

const audit = (action: string) =>
  s.db.selectFrom("audit_log").select(["entity_id", "before", "after", "actor"]).where("action", "=", action).execute();

describe("programme phases", () => {
  it("only an administrator opens the page or changes anything", async () => {
    expect((await officer.get("/admin/programme")).status).toBe(403);
    const res = await officer.post("/admin/programme", {
      intent: "phase-create",
      name: "Sneaky",
      startsOn: "2010-01-01",
      endsOn: "2010-12-31",
    });
    expect(res.status).toBe(403);
    const page = await admin.get("/admin/programme");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Phase IV");
  });

  it("adds a past phase, key made from its name, audited", async () => {
    const res = await admin.post("/admin/programme", {
      intent: "phase-create",
      name: "Phase II (2013–2017)",
      key: "",
      startsOn: "2013-01-01",
      endsOn: "2017-12-31",
    });
    expect(res.status).toBe(302);
    const row = await s.db.selectFrom("programme_phases").selectAll().where("key", "=", "phase-ii-2013-2017").executeTakeFirst();
    expect(row).toMatchObject({ name: "Phase II (2013–2017)", starts_on: "2013-01-01", ends_on: "2017-12-31" });
    const created = await audit("phase.created");
    expect(created).toEqual([expect.objectContaining({ entity_id: "phase-ii-2013-2017", actor: DEMO.admin })]);
  });

  it("refuses a phase overlapping another, with a field error naming it, and changes nothing", async () => {
    const before = await s.db.selectFrom("programme_phases").selectAll().orderBy("key").execute();
    const res = await admin.post("/admin/programme", {
      intent: "phase-create",
      name: "Bridging phase",
      startsOn: "2024-07-01",
      endsOn: "2025-06-30",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<p class="field-error" id="phase-new-startsOn-error">These dates overlap Phase III/);
    expect(html).toContain('aria-invalid="true"');
    // Editing one phase into another is refused the same way; a phase may touch its neighbour's edge only from outside.
    const edit = await admin.post("/admin/programme", {
      intent: "phase-update",
      key: "phase-3",
      name: "Phase III",
      startsOn: "2022-01-01",
      endsOn: "2025-01-01",
    });
    expect(edit.status).toBe(400);
    expect(await edit.text()).toContain("These dates overlap Phase IV");
    expect(await s.db.selectFrom("programme_phases").selectAll().orderBy("key").execute()).toEqual(before);
    expect(await audit("phase.updated")).toEqual([]);
  });

  it("the database refuses an overlap too, whatever writes it", async () => {
    await expect(
      s.db
        .insertInto("programme_phases")
        .values({ key: "sneaky", name: "Sneaky", starts_on: "2016-01-01", ends_on: "2018-01-01" })
        .execute(),
    ).rejects.toMatchObject({ code: "23P01" });
  });

  it("edits a phase's name and dates, audited with what it was", async () => {
    const res = await admin.post("/admin/programme", {
      intent: "phase-update",
      key: "phase-ii-2013-2017",
      name: "Phase II",
      startsOn: "2013-03-01",
      endsOn: "2017-12-31",
    });
    expect(res.status).toBe(302);
    const updated = await audit("phase.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0].before).toMatchObject({ name: "Phase II (2013–2017)", starts_on: "2013-01-01" });
    expect(updated[0].after).toMatchObject({ name: "Phase II", starts_on: "2013-03-01" });
  });

  it("refuses an end before the start and a malformed date", async () => {
    const res = await admin.post("/admin/programme", {
      intent: "phase-create",
      name: "Backwards",
      startsOn: "2019-12-31",
      endsOn: "2019-01-01",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The phase must end on or after the day it starts.");
    const bad = await admin.post("/admin/programme", {
      intent: "phase-create",
      name: "Bad",
      startsOn: "2019-02-30",
      endsOn: "2019-03-01",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter a date as YYYY-MM-DD.");
  });
});

describe("countries and their currency", () => {
  it("stores each currency's ISO 4217 minor units: VND none, USD two, IDR two with none in use", async () => {
    const rows = await s.db
      .selectFrom("currencies")
      .selectAll()
      .where("code", "in", ["VND", "USD", "IDR"])
      .orderBy("code")
      .execute();
    expect(rows).toEqual([
      { code: "IDR", minor_units: 2, digits_in_use: 0 },
      { code: "USD", minor_units: 2, digits_in_use: 2 },
      { code: "VND", minor_units: 0, digits_in_use: 0 },
    ]);
  });

  it("adds a country with a currency new to the programme, audited; its digits come from ISO 4217", async () => {
    const res = await admin.post("/admin/programme", { intent: "country-save", code: "jp", name: "Japan", currency: "JPY" });
    expect(res.status).toBe(302);
    expect(await s.db.selectFrom("countries").selectAll().where("code", "=", "JP").executeTakeFirst()).toEqual({
      code: "JP",
      name: "Japan",
      currency: "JPY",
      results_published: false,
    });
    expect(await s.db.selectFrom("currencies").selectAll().where("code", "=", "JPY").executeTakeFirst()).toEqual({
      code: "JPY",
      minor_units: 0,
      digits_in_use: 0,
    });
    expect(await audit("country.created")).toEqual([expect.objectContaining({ entity_id: "JP" })]);
    const unknown = await admin.post("/admin/programme", {
      intent: "country-save",
      code: "XX",
      name: "Nowhere",
      currency: "ABC",
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Choose a currency from the list.");
  });

  it("refuses to change the currency of a country whose institutions keep amounts in it", async () => {
    const res = await admin.post("/admin/programme", {
      intent: "country-save",
      existing: "VN",
      name: "Viet Nam",
      currency: "USD",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("keep their amounts in VND");
    expect(
      (await s.db.selectFrom("countries").select("currency").where("code", "=", "VN").executeTakeFirstOrThrow()).currency,
    ).toBe("VND");
  });
});

describe("indicator definitions per phase", () => {
  const settingsOf = (key: string) =>
    s.db
      .selectFrom("indicator_phase_settings")
      .select(["embedding_stage", "embedding_portfolio_flag"])
      .where("phase_key", "=", key)
      .executeTakeFirst();

  it("each phase has its own form for the embedding indicator; an officer may not post it", async () => {
    const html = await (await admin.get("/admin/programme")).text();
    expect(html).toContain('<select id="settings-phase-3-embeddingStage" name="embeddingStage"');
    expect(html).toContain('<select id="settings-phase-4-embeddingStage" name="embeddingStage"');
    const res = await officer.post("/admin/programme", { intent: "phase-settings", key: "phase-3", embeddingStage: "tot" });
    expect(res.status).toBe(403);
  });

  it("refuses a definition with neither a stage nor the flag, or a stage the pathway lacks, next to the field; nothing written", async () => {
    const before = await settingsOf("phase-3");
    const neither = await admin.post("/admin/programme", { intent: "phase-settings", key: "phase-3", embeddingStage: "" });
    expect(neither.status).toBe(400);
    const html = await neither.text();
    expect(html).toContain(
      '<p class="field-error" id="settings-phase-3-embeddingStage-error">Choose a stage, the portfolio flag, or both.</p>',
    );
    expect(html).toMatch(/<select id="settings-phase-3-embeddingStage" name="embeddingStage" aria-invalid="true"/);
    const unknown = await admin.post("/admin/programme", {
      intent: "phase-settings",
      key: "phase-3",
      embeddingStage: "accredited",
      embeddingPortfolioFlag: "on",
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Choose one of the pathway&#x27;s stages.");
    const noPhase = await admin.post("/admin/programme", { intent: "phase-settings", key: "phase-99", embeddingStage: "tot" });
    expect(noPhase.status).toBe(404);
    expect(await settingsOf("phase-3")).toEqual(before);
  });

  it("saves one phase's definition, audited with what it was, and leaves the other phase's as it was", async () => {
    const other = await settingsOf("phase-4");
    const res = await admin.post("/admin/programme", {
      intent: "phase-settings",
      key: "phase-3",
      embeddingStage: "certification",
      embeddingPortfolioFlag: "on",
    });
    expect(res.status).toBe(302);
    expect(await settingsOf("phase-3")).toEqual({ embedding_stage: "certification", embedding_portfolio_flag: true });
    expect(await settingsOf("phase-4")).toEqual(other);
    const audited = await s.db
      .selectFrom("audit_log")
      .select(["entity_id", "after"])
      .where("action", "=", "indicator.settings")
      .execute();
    expect(audited).toEqual([{ entity_id: "phase-3", after: { embeddingStage: "certification", embeddingPortfolioFlag: true } }]);
    // The flag alone is a definition too; the page shows what is saved.
    await admin.post("/admin/programme", {
      intent: "phase-settings",
      key: "phase-3",
      embeddingStage: "",
      embeddingPortfolioFlag: "on",
    });
    expect(await settingsOf("phase-3")).toEqual({ embedding_stage: null, embedding_portfolio_flag: true });
  });
});
