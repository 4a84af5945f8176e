import { sql } from "kysely";
import { createHash, randomUUID } from "node:crypto";
import vm from "node:vm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGS } from "../../app/i18n/catalog";
import { TEST_POSTGRES_URL } from "../support/db";
import { Client, DEMO, count, securityApp, signedIn, type SecurityApp } from "./support";

/**
 * Every response carries the browser-side protections: a Content-Security-Policy whose script
 * nonce is new for each response and is the one on the page's script tags, no framing, no
 * referrer leaks, no sniffing, no device features; HSTS only behind TLS.
 */

const started = securityApp();
let s: SecurityApp;
let officer: Client;

beforeAll(async () => {
  s = await started.start();
  officer = await signedIn(s.url, DEMO.officer);
});
afterAll(async () => {
  await started.stop();
});

function expectProtected(res: Response, where: string) {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(res.headers.get("X-Frame-Options"), where).toBe("DENY");
  expect(res.headers.get("X-Content-Type-Options"), where).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy"), where).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("Permissions-Policy"), where).toContain("camera=()");
}

describe("security headers", () => {
  it("are on every page, signed in or not, and on errors, redirects, exports and assets", async () => {
    const anonymous = new Client(s.url);
    const first = await s.db.selectFrom("institutions").select("id").executeTakeFirstOrThrow();
    for (const [c, p] of [
      [anonymous, "/login"],
      [anonymous, "/institutions"],
      [officer, "/institutions"],
      [officer, `/institutions/${first.id}`],
      [officer, "/portfolio"],
      [officer, "/analytics"],
      [officer, "/analytics.csv"],
      [officer, "/plans"],
      [officer, "/no-such-page"],
      [anonymous, "/favicon.ico"],
    ] as const) {
      const res = await c.get(p);
      await res.arrayBuffer();
      expectProtected(res, `${p} (${res.status})`);
    }
  });

  it("give each page a fresh nonce, the one its script tags carry", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await officer.get("/institutions");
      const html = await res.text();
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get("Content-Security-Policy") ?? "")![1];
      nonces.push(nonce);
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("answer each page as one whole document in standards mode (the doctype first), in UTF-8", async () => {
    const res = await officer.get("/institutions");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const bytes = Buffer.from(await res.arrayBuffer());
    const html = bytes.toString("utf8");
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    // The caption's dash ("Institutions 1–25 of 25") arrives as its three UTF-8 bytes.
    expect(html).toMatch(/Institutions 1–\d+ of \d+/);
    expect(bytes.includes(Buffer.from([0xe2, 0x80, 0x93]))).toBe(true);
  });

  it("ask for HTTPS only when the request came over TLS", async () => {
    const plain = await fetch(`${s.url}/login`);
    await plain.arrayBuffer();
    expect(plain.headers.get("Strict-Transport-Security")).toBeNull();
    const proxied = await fetch(`${s.url}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    await proxied.arrayBuffer();
    expect(proxied.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
  });
});

describe("notices and redirects", () => {
  it("a link cannot put its own text in the success banner", async () => {
    const anonymous = new Client(s.url);
    const text = "Your account is locked. Call +1 555 0100 to unlock it";
    const login = await (await anonymous.get(`/login?notice=${encodeURIComponent(text)}`)).text();
    expect(login).not.toContain("Call +1 555 0100");
    expect(login).not.toContain('role="status">');
    const first = await s.db.selectFrom("institutions").select("id").executeTakeFirstOrThrow();
    const page = await (await officer.get(`/institutions/${first.id}?notice=${encodeURIComponent(text)}&error=x`)).text();
    expect(page).not.toContain("Call +1 555 0100");
  });

  it("a notice set by an action is shown once on the next page", async () => {
    const c = await signedIn(s.url, DEMO.viewer);
    const out = await c.post("/logout", {});
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toBe("/login");
    const flash = out.headers
      .getSetCookie()
      .find((h) => h.startsWith("pathways_flash="))!
      .split(";")[0];
    const once = await fetch(`${s.url}/login`, { headers: { Cookie: flash } });
    expect(await once.text()).toContain('role="status">You are signed out.</p>');
    expect(once.headers.getSetCookie().some((h) => /^pathways_flash=;.*Max-Age=0/.test(h))).toBe(true);
    expect(await (await fetch(`${s.url}/login`)).text()).not.toContain('role="status">');
  });

  it("the language picker and the sign-in form only send people to paths on this site", async () => {
    const anonymous = new Client(s.url);
    for (const target of ["/\\evil.example", "//evil.example", "https://evil.example/", "/\t/evil.example"]) {
      const res = await anonymous.post("/language", { locale: "en", redirectTo: target }, { csrf: null });
      expect(res.status, target).toBe(302);
      expect(res.headers.get("Location"), target).toBe("/");
    }
    const ok = await anonymous.post("/language", { locale: "en", redirectTo: "/portfolio?country=GH" }, { csrf: null });
    expect(ok.headers.get("Location")).toBe("/portfolio?country=GH");
    const signIn = await new Client(s.url).signIn(DEMO.viewer, undefined, {});
    expect(signIn.headers.get("Location")).toBe("/institutions");
  });
});

describe("officers act only in their countries", () => {
  it("an officer cannot create an institution in a country not assigned to them; in their own they can", async () => {
    const me = await s.db.selectFrom("users").select("countries").where("email", "=", DEMO.officer).executeTakeFirstOrThrow();
    const abroad = await s.db
      .selectFrom("countries")
      .select("code")
      .where("code", "not in", me.countries)
      .executeTakeFirstOrThrow();
    const form = (countryCode: string) => ({
      id: randomUUID(),
      name: `Test institute ${countryCode}`,
      countryCode,
      type: "government_training",
      role: "national_coordinator",
    });
    const outside = form(abroad.code);
    const refused = await officer.post("/institutions/new", outside);
    expect(refused.status).toBe(400);
    expect(await count(s.db, "institutions", (q) => q.where("id", "=", outside.id))).toBe(0);
    const inside = form(me.countries[0]);
    const created = await officer.post("/institutions/new", inside);
    expect(created.status).toBe(302);
    expect(await count(s.db, "institutions", (q) => q.where("id", "=", inside.id))).toBe(1);
  });
});

describe("the database going away", () => {
  it("requests whose connection is ended answer 503 (never 500), and the server carries on", async () => {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(s.db);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    const statuses: number[] = [];
    // Failed pages and data requests, with the request id the server sent and what the user saw.
    const failed: { kind: string; id: string | null; body: string }[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const batch = await Promise.all(
          Array.from({ length: 8 }, (_, i) => {
            const [kind, path] = i % 2 ? ["data", "/institutions?_data=root"] : ["page", "/institutions"];
            return officer.get(path).then(async (r) => {
              const body = await r.text();
              if (r.status >= 500) failed.push({ kind, id: r.headers.get("X-Request-Id"), body });
              return r.status;
            });
          }),
        );
        statuses.push(...batch);
      }
    })();
    try {
      for (let i = 0; i < 15; i++) {
        await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and application_name = ''",
          [rows[0].name],
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      stop = true;
      await load;
      await admin.end();
    }
    expect(statuses.filter((x) => x !== 200 && x !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    expect(s.app.output()).not.toMatch(/exited|Unhandled 'error' event/);
    // What the user is shown names the request, as the log does; no stack, no server path.
    expect(failed.filter((f) => f.kind === "data" || f.body.includes("<html")).length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.id).toMatch(/^[0-9a-f-]{36}$/);
      if (f.kind === "page" && f.body.includes("<html"))
        expect(f.body).toContain(`<code data-request-reference="">${f.id}</code>`);
      if (f.kind === "data") expect(f.body).toContain(`reference ${f.id}`);
      expect(f.body).not.toMatch(/node_modules|\/work\/|at .+\.tsx?:\d+/);
    }
    const after = await officer.get("/institutions");
    await after.arrayBuffer();
    expect(after.status).toBe(200);
  });

  it("reports sent while busy connections are ended: each acknowledged one is stored once, and one sent again is stored once", async () => {
    const reporter = await signedIn(s.url, DEMO.reporter);
    const { institution_id: institutionId } = await s.db
      .selectFrom("users")
      .select("institution_id")
      .where("email", "=", DEMO.reporter)
      .executeTakeFirstOrThrow();
    const form = (reportId: string, i: number) => ({
      intent: "send",
      reportId,
      kind: "enterprise_reached",
      "payload.name": `Failover Enterprise ${i}`,
      "payload.size": "small",
      "payload.sector": "Logistics",
      "payload.workersFemale": "4",
      "payload.workersMale": "5",
    });
    const sendReport = async (reportId: string, i: number) => {
      const res = await reporter.post(`/institutions/${institutionId}/report?kind=enterprise_reached`, form(reportId, i));
      await res.arrayBuffer();
      return res.status;
    };
    const ids: string[] = [];
    const first = new Map<string, number>();

    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(s.db);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    let stop = false;
    // Ends every connection of the app's database (web and worker alike) every 120 ms while reports are sent.
    const killer = (async () => {
      while (!stop) {
        await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and application_name = ''",
          [rows[0].name],
        );
        await new Promise((r) => setTimeout(r, 120));
      }
    })();
    try {
      // Batches of four, at least 24 reports, until the ending has hit a request in flight (at most 200).
      while (ids.length < 200 && (ids.length < 24 || ![...first.values()].includes(503))) {
        const batch = Array.from({ length: 4 }, () => randomUUID());
        ids.push(...batch);
        await Promise.all(batch.map(async (id) => first.set(id, await sendReport(id, ids.indexOf(id)))));
      }
    } finally {
      stop = true;
      await killer;
      await admin.end();
    }
    // Acknowledged (a redirect to the institution) or refused as unavailable; nothing else.
    expect([...first.values()].filter((x) => x !== 302 && x !== 503)).toEqual([]);
    // The ending did hit requests in flight (a run where it hit none would prove nothing).
    expect([...first.values()]).toContain(503);
    expect(s.app.output()).not.toMatch(/exited|Unhandled 'error' event/);

    const stored = async (id: string) =>
      Number((await reader.query<{ n: string }>("select count(*) as n from milestone_reports where id = $1", [id])).rows[0].n);
    // Read with a connection of its own that the killing above did not touch.
    const dbUrl = new URL(TEST_POSTGRES_URL);
    dbUrl.pathname = `/${rows[0].name}`;
    const reader = new pg.Client({ connectionString: dbUrl.toString(), application_name: "pathways-test-reader" });
    await reader.connect();
    // Every acknowledged report is there, once.
    for (const [id, status] of first) if (status === 302) expect(await stored(id), id).toBe(1);

    // Sending every report again, as a user would after a 503: each ends up stored exactly once.
    for (const [i, id] of ids.entries()) expect(await sendReport(id, i)).toBe(302);
    for (const id of ids) expect(await stored(id), id).toBe(1);
    // …and one submission event each in the pathway: no report was counted twice.
    const events = await reader.query<{ n: string }>(
      "select count(*) as n from milestone_reports where id = any($1::uuid[]) and status = 'submitted'",
      [ids],
    );
    expect(Number(events.rows[0].n)).toBe(ids.length);
    await reader.end();
  });
});

describe("the language's words, in a script cached for good (decision 034)", () => {
  it("a page names its catalogue script and carries no catalogue; the script holds the whole catalogue, named by its hash", async () => {
    const anonymous = new Client(s.url);
    const page = await anonymous.get("/login", { "Accept-Language": "es" });
    const html = await page.text();
    const tag = /<script defer="" nonce="([^"]+)" src="(\/i18n\/es\.([0-9a-f]{12})\.js)" data-catalogue="">/.exec(html);
    expect(tag, "the catalogue script tag").not.toBeNull();
    const [, nonce, src, version] = tag!;
    expect(page.headers.get("Content-Security-Policy")).toContain(`'nonce-${nonce}'`);
    // Words of pages other than this one are not in it (they were, in the root loader's data).
    for (const key of ["verify.title", "admin.audit.title", "indicators.title"])
      expect(html).not.toContain(JSON.stringify(CATALOGS.es[key]));
    expect(html).not.toContain('"messages":{');

    const script = await anonymous.get(src);
    expect(script.status).toBe(200);
    expect(script.headers.get("Content-Type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const body = await script.text();
    expect(createHash("sha256").update(body).digest("hex").slice(0, 12)).toBe(version);
    const sandbox: { window: { __pathwaysCatalog?: { locale: string; messages: Record<string, string> } } } = { window: {} };
    vm.runInNewContext(body, sandbox);
    expect(sandbox.window.__pathwaysCatalog?.locale).toBe("es");
    expect(sandbox.window.__pathwaysCatalog?.messages).toEqual(CATALOGS.es);

    // Another language, another address; an old version gets today's words, not kept.
    const en = /src="(\/i18n\/en\.[0-9a-f]{12}\.js)"/.exec(
      await (await anonymous.get("/login", { "Accept-Language": "en" })).text(),
    );
    expect(en?.[1]).toBeDefined();
    expect(en![1]).not.toBe(src);
    const old = await anonymous.get("/i18n/es.000000000000.js");
    expect(old.status).toBe(200);
    expect(old.headers.get("Cache-Control")).toBe("no-cache");
    expect(await old.text()).toBe(body);
    for (const bad of ["/i18n/de.000000000000.js", "/i18n/es.js", "/i18n/es.0000.js", "/i18n/%2e%2e%2fetc"])
      expect((await anonymous.get(bad)).status, bad).toBe(404);
  });
});

describe("the route manifest, in a script cached for good (decision 049)", () => {
  it("a page imports the build's manifest script and inlines no part of it; the script names every route", async () => {
    const html = await (await officer.get("/institutions")).text();
    // Lazy route discovery inlined a partial manifest in each page, found by matching the
    // address again; the manifest is now one file per build, kept by the browser.
    expect(html).not.toContain("__remixManifest =");
    const preload = /<link rel="modulepreload" href="(\/build\/manifest-[0-9A-F]{8}\.js)"\/>/.exec(html);
    expect(preload, "the manifest's modulepreload link").not.toBeNull();
    const src = preload![1];
    expect(html).toContain(`import ${JSON.stringify(src)};`);

    const script = await officer.get(src);
    expect(script.status).toBe(200);
    expect(script.headers.get("Content-Type")).toBe("application/javascript; charset=UTF-8");
    expect(script.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const sandbox: { window: { __remixManifest?: { url: string; routes: Record<string, { path?: string }> } } } = {
      window: {},
    };
    vm.runInNewContext(await script.text(), sandbox);
    const manifest = sandbox.window.__remixManifest;
    expect(manifest?.url).toBe(src);
    // Routes this page does not show are there too: a link to them needs no request first.
    for (const id of ["root", "routes/institutions._index", "routes/verify", "routes/admin.audit", "routes/logframe._index"])
      expect(Object.keys(manifest?.routes ?? {}), id).toContain(id);
  });
});
