import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { Client, DEMO, securityApp, signedIn, type SecurityApp } from "../security/support";

/**
 * Issue 14's "every word in the reader's language" and its bugs, against the running app over
 * HTTP with the demo data: template data (stage and criterion names) in Spanish and French, the
 * not-found page inside the app's shell, the verification queue's refusal as an alert, and an
 * institution's forecast the same whoever looks.
 */

const started = securityApp();
let s: SecurityApp;

beforeAll(async () => {
  s = await started.start();
});
afterAll(async () => {
  await started.stop();
});

/** What a reader sees: the page without its scripts (the page's catalogue travels in one). */
const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<!-- -->/g, "");

async function page(c: Client, path: string, status = 200): Promise<string> {
  const res = await c.get(path);
  expect(res.status, path).toBe(status);
  return visible(await res.text());
}

async function speaking(email: string, locale: string): Promise<Client> {
  const c = await signedIn(s.url, email);
  expect((await c.post("/language", { locale, redirectTo: "/institutions" })).status).toBe(302);
  return c;
}

const ENGLISH_STAGES = /\b(Training of Trainers|Cost recovery|Independent delivery|Engaged)\b/;

describe("template data in the reader's language", () => {
  it("shows an institution's stages and gate criteria in Spanish", async () => {
    const admin = await speaking(DEMO.admin, "es");
    const inst = await s.db
      .selectFrom("institutions")
      .select("id")
      .where("name", "=", DEMO_STORY_INSTITUTION)
      .executeTakeFirstOrThrow();
    const html = await page(admin, `/institutions/${inst.id}`);
    expect(html).toContain("Formación de formadores");
    expect(html).toContain("Recuperación de costos");
    expect(html).not.toMatch(ENGLISH_STAGES);
    expect(html).not.toContain("Umbral para Certification");
  });

  it("draws the portfolio and the analytics with French stage names", async () => {
    const manager = await speaking(DEMO.manager, "fr");
    for (const path of ["/portfolio", "/analytics", "/institutions"]) {
      const html = await page(manager, path);
      expect(html, path).toContain("Recouvrement des coûts");
      expect(html, path).not.toMatch(ENGLISH_STAGES);
    }
  });

  it("gives the notices the workflow stored with an English stage name in the reader's language", async () => {
    const admin = await speaking(DEMO.admin, "es");
    const inst = await s.db
      .selectFrom("institutions")
      .select("id")
      .where("name", "=", DEMO_STORY_INSTITUTION)
      .executeTakeFirstOrThrow();
    // As the pathway workflow stores it: the stage's name as the template had it, in English.
    await s.db
      .insertInto("notifications")
      .values({
        id: randomUUID(),
        institution_id: inst.id,
        kind: "gate_met",
        audience: "ilo",
        message: "The gate to Certification is met and waits for ILO sign-off.",
        message_key: "notice.gateMet",
        message_params: JSON.stringify({ stage: "Certification" }),
        created_at: new Date(),
      })
      .execute();
    const html = await page(admin, "/notifications?per=200");
    expect(html).toContain("Se cumple el umbral para Certificación");
    expect(html).not.toMatch(/(para|a|de) (Training of Trainers|Certification|Cost recovery|Independent delivery)\b/);
  });
});

describe("the not-found page", () => {
  it("answers 404 inside the app's shell, with the menu, in the reader's language", async () => {
    const officer = await speaking(DEMO.officer, "es");
    const html = await page(officer, "/no-such-page", 404);
    expect(html).toContain('<html lang="es"');
    expect(html).toContain("<h1>No encontrado</h1>");
    expect(html).toContain('aria-label="Principal"');
    expect(html).toContain(">Cerrar sesión<");
    // A form posted to no such address is a 404 too, not a 405.
    expect((await officer.post("/no-such-page", {})).status).toBe(404);
  });

  it("answers 404 to a visitor, in the browser's language, without the signed-in menu", async () => {
    const res = await new Client(s.url).get("/nowhere/at/all", { "Accept-Language": "fr" });
    expect(res.status).toBe(404);
    const html = visible(await res.text());
    expect(html).toContain("<h1>Introuvable</h1>");
    expect(html).not.toContain('aria-label="Principale"');
  });
});

describe("the verification queue", () => {
  it("shows 'tick at least one report' as an alert next to the button, not in the success banner", async () => {
    const officer = await speaking(DEMO.officer, "en");
    const res = await officer.post("/verify", { intent: "approve" });
    expect(res.status).toBe(400);
    const html = visible(await res.text());
    expect(html).toMatch(/<p class="field-error" role="alert" id="verify-error"[^>]*>Tick at least one report to approve<\/p>/);
    expect(html).toContain('aria-describedby="verify-error"');
    expect(html).not.toMatch(/role="status"[^>]*>[^<]*Tick at least one/);
  });
});

describe("an institution's forecast", () => {
  it("is the same for its reporter and for a programme manager", async () => {
    const reporter = await speaking(DEMO.reporter, "en");
    const manager = await speaking(DEMO.manager, "en");
    const me = await s.db
      .selectFrom("users")
      .select("institution_id")
      .where("email", "=", DEMO.reporter)
      .executeTakeFirstOrThrow();
    const path = `/institutions/${me.institution_id}?_data=${encodeURIComponent("routes/institutions.$id._index")}`;
    const forecastOf = async (c: Client) => {
      const res = await c.get(path);
      expect(res.status).toBe(200);
      return ((await res.json()) as { forecast: unknown }).forecast;
    };
    const seenByReporter = await forecastOf(reporter);
    expect(seenByReporter).toBeTruthy();
    expect(await forecastOf(manager)).toEqual(seenByReporter);
  });
});
