import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translatorFor } from "../../app/i18n/server";
import { DEMO_STORY_INSTITUTION } from "../../db/seed";
import { Client, DEMO, securityApp, setCookies, signedIn, type SecurityApp } from "../security/support";

/**
 * Issue 6's languages against the real running app over HTTP: the picker, the choice kept on
 * the account and in a cookie, Accept-Language for visitors, pages and form errors in Spanish
 * and French, numbers, dates and money written the language's way.
 */

const started = securityApp();
let s: SecurityApp;
let base: string;

beforeAll(async () => {
  s = await started.start();
  base = s.url;
});
afterAll(async () => {
  await started.stop();
});

/** What a reader sees: the page without its scripts (the page's catalogue travels in one). */
const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<!-- -->/g, "");

async function page(c: Client, path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await c.get(path, headers);
  expect(res.status, path).toBe(200);
  return visible(await res.text());
}

async function choose(c: Client, locale: string, redirectTo = "/institutions"): Promise<Response> {
  return c.post("/language", { locale, redirectTo });
}

async function localeOf(email: string): Promise<string | null> {
  const row = await s.db.selectFrom("users").select("locale").where("email", "=", email).executeTakeFirstOrThrow();
  return row.locale;
}

async function storyInstitution() {
  return s.db.selectFrom("institutions").selectAll().where("name", "=", DEMO_STORY_INSTITUTION).executeTakeFirstOrThrow();
}

describe("choosing a language", () => {
  it("follows the browser's Accept-Language for a visitor, English otherwise", async () => {
    const anon = new Client(base);
    const es = await page(anon, "/login", { "Accept-Language": "es-PE,es;q=0.9,en;q=0.5" });
    expect(es).toContain('<html lang="es"');
    expect(es).toContain("<h1>Iniciar sesión</h1>");
    expect(es).toContain(">Contraseña</label>");
    const fr = await page(anon, "/login", { "Accept-Language": "de-DE,fr;q=0.8" });
    expect(fr).toContain("<h1>Connexion</h1>");
    const other = await page(anon, "/login", { "Accept-Language": "de-DE,it;q=0.5" });
    expect(other).toContain('<html lang="en"');
    expect(other).toContain("<h1>Sign in</h1>");
  });

  it("keeps the picker's choice in a cookie and on the account, in another browser and after signing out", async () => {
    const officer = await signedIn(base, DEMO.officer);
    const res = await choose(officer, "fr");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/institutions");
    const cookie = setCookies(res).find((c) => c.startsWith("pathways_lang="));
    expect(cookie).toMatch(/^pathways_lang=fr; Path=\/; Max-Age=\d+; SameSite=Lax/);
    expect(await localeOf(DEMO.officer)).toBe("fr");

    // The account's choice wins over the browser's, in this browser and a fresh one.
    expect(await page(officer, "/institutions", { "Accept-Language": "en" })).toContain("<h1>Institutions</h1>");
    expect(await page(officer, "/verify", { "Accept-Language": "en" })).toContain("<h1>File de vérification</h1>");
    const elsewhere = await signedIn(base, DEMO.officer);
    expect(await page(elsewhere, "/analytics", { "Accept-Language": "es" })).toContain("<h1>Analyse des étapes</h1>");

    // Signing out says so in French; the cookie keeps the sign-in page in French; signing in again stays French.
    const out = await officer.post("/logout", {}, { headers: { Cookie: `${officer.headers().Cookie}; pathways_lang=fr` } });
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toBe("/login");
    const flash = out.headers
      .getSetCookie()
      .find((c) => c.startsWith("pathways_flash="))!
      .split(";")[0];
    const login = await page(new Client(base), "/login", { Cookie: `pathways_lang=fr; ${flash}`, "Accept-Language": "en" });
    expect(login).toContain("<h1>Connexion</h1>");
    expect(login).toContain('role="status">Vous êtes déconnecté.</p>');
    const again = await signedIn(base, DEMO.officer);
    expect(await page(again, "/notifications")).toContain("<h1>Notifications</h1>");
    expect(await page(again, "/portfolio")).toContain("<h1>Portefeuille</h1>");
  });

  it("refuses a language it does not speak with 400 and a message, changing nothing", async () => {
    const manager = await signedIn(base, DEMO.manager);
    const before = await localeOf(DEMO.manager);
    const res = await choose(manager, "de");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("Choose one of the languages in the list.");
    expect(setCookies(res).some((c) => c.startsWith("pathways_lang="))).toBe(false);
    expect(await localeOf(DEMO.manager)).toBe(before);

    const visitor = await new Client(base).post("/language", { locale: "xx" }, { headers: { "Accept-Language": "es" } });
    expect(visitor.status).toBe(400);
    expect(await visitor.text()).toBe("Elija uno de los idiomas de la lista.");
  });
});

describe("pages in Spanish and French", () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await signedIn(base, DEMO.admin);
    expect((await choose(admin, "es")).status).toBe(302);
  });

  it("lists the institutions in Spanish, numbers and all", async () => {
    const html = await page(admin, "/institutions");
    expect(html).toContain("<h1>Instituciones</h1>");
    expect(html).toContain('aria-label="Filtrar instituciones"');
    expect(html).toContain(">Todos los países</option>");
    expect(html).toMatch(/<caption id="portfolio-caption">Instituciones 1–\d+ de \d+<\/caption>/);
    expect(html).toContain('aria-sort="ascending"');
    expect(html).not.toContain("Apply filters");
  });

  it("shows an institution's page in Spanish with its dates written the Spanish way", async () => {
    const inst = await storyInstitution();
    const html = await page(admin, `/institutions/${inst.id}`);
    expect(html).toContain(">Informes de hitos</h2>");
    expect(html).toContain(">Historial de etapas</h2>");
    expect(html).toContain(">Formadores</h2>");
    const since = new Intl.DateTimeFormat("es-ES", { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(inst.stage_entered_at),
    );
    expect(html).toContain(`(desde el ${since})`);
    // Template stage names are data as entered; the words around them are Spanish.
    expect(html).toMatch(/Etapa \d+ de \d+:/);
  });

  it("puts a report form's error next to its field, in Spanish", async () => {
    const inst = await storyInstitution();
    const reporter = await signedIn(base, DEMO.reporter);
    expect((await choose(reporter, "es")).status).toBe(302);
    const res = await reporter.post(`/institutions/${inst.id}/report?kind=mou_signed`, {
      reportId: randomUUID(),
      kind: "mou_signed",
      "payload.signedOn": "14/03/2026",
      intent: "send",
    });
    expect(res.status).toBe(400);
    const html = visible(await res.text());
    expect(html).toMatch(
      /<input[^>]*aria-invalid="true"[^>]*aria-describedby="f-payload-signedOn-error"|<input[^>]*id="f-payload-signedOn"[^>]*aria-invalid="true"/,
    );
    expect(html).toContain(
      '<p class="field-error" id="f-payload-signedOn-error">Introduzca una fecha con el formato AAAA-MM-DD</p>',
    );
    expect(html).toContain("Corrija lo siguiente:");
    expect(html).not.toContain("Enter a date as YYYY-MM-DD");
  });

  it("shows the verification queue and the analytics in French", async () => {
    const officer = await signedIn(base, DEMO.officer);
    expect((await choose(officer, "fr")).status).toBe(302);
    const queue = await page(officer, "/verify");
    expect(queue).toContain("<h1>File de vérification</h1>");
    expect(queue).toMatch(/Rapports en attente d’une décision de l’OIT/);
    const analytics = await page(officer, "/analytics");
    expect(analytics).toContain(">Temps dans l’étape</h2>");
    expect(analytics).toContain(">Télécharger le CSV</a>");
    expect(analytics).not.toContain("Download CSV");
  });

  it("writes money, numbers and dates of a report the reader's way", async () => {
    const row = await s.db
      .selectFrom("milestone_reports as r")
      .innerJoin("institutions as i", "i.id", "r.institution_id")
      .select(["r.id", "r.institution_id", "r.payload", "r.submitted_at", "i.currency"])
      .where("r.kind", "=", "training_cycle")
      .orderBy("r.id")
      .executeTakeFirstOrThrow();
    const payload = row.payload as { cost: number; startedOn: string };
    const path = `/institutions/${row.institution_id}/reports/${row.id}`;
    const es = await page(admin, path);
    expect(es).toContain(translatorFor("es").money(payload.cost, row.currency));
    // Spanish groups thousands with a point and writes decimals after a comma.
    expect(translatorFor("es").money(payload.cost, row.currency)).toMatch(/^[A-Z]{3} [\d.]+,\d{2}$/);
    expect(es).toContain(
      new Intl.DateTimeFormat("es-ES", { dateStyle: "medium", timeZone: "UTC" }).format(
        new Date(`${payload.startedOn}T00:00:00Z`),
      ),
    );
    expect(es).toContain('<h2 id="what">Lo que se informó</h2>');

    expect((await choose(admin, "fr")).status).toBe(302);
    const french = await page(admin, path);
    const money = translatorFor("fr").money(payload.cost, row.currency);
    expect(money).toMatch(/^[A-Z]{3} [\d\u202f\u00a0]+,\d{2}$/);
    expect(french).toContain(money);
    expect(french).toContain('<h2 id="what">Ce qui a été signalé</h2>');
  });
});
