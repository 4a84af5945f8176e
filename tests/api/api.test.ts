import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../app/platform/auth.server";
import { ensureSchemathesis } from "../../app/server/schemathesis";
import { newTokenSecret } from "../../app/features/api/tokens.server";
import { insertApiToken, setCountryPublished, setIndicatorPublished } from "../../db/queries/api";
import { Client, DEMO, securityApp, type SecurityApp } from "../security/support";

/**
 * The API against the real app (Temporal, worker, PostgreSQL, demo data): a report sent with a
 * reporter's token, verified with an officer's, shown on the institution's page and hidden from
 * another institution's reporter; tokens made on the account page, revoked; schemathesis over the
 * OpenAPI document with tokens of several roles; the public results page.
 */

const run = promisify(execFile);
const started = securityApp({ API_RATE_PER_MINUTE: "100000" });
let s: SecurityApp;
const tokens: Record<string, string> = {};
let A: { id: string; country: string };

async function tokenFor(email: string): Promise<string> {
  const user = await s.db.selectFrom("users").select(["id", "email"]).where("email", "=", email).executeTakeFirstOrThrow();
  const token = newTokenSecret();
  const now = new Date();
  await insertApiToken(
    s.db,
    {
      id: randomUUID(),
      userId: user.id,
      name: "test",
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      at: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    },
    user.email,
  );
  return token;
}

function api(path: string, token: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.body) headers.set("Content-Type", "application/json");
  return fetch(`${s.url}/api/v1${path}`, { ...init, headers });
}

beforeAll(async () => {
  s = await started.start();
  for (const [role, email] of Object.entries(DEMO)) tokens[role] = await tokenFor(email);
  A = await s.db
    .selectFrom("users as u")
    .innerJoin("institutions as i", "i.id", "u.institution_id")
    .select(["i.id", "i.country_code as country"])
    .where("u.email", "=", DEMO.reporter)
    .executeTakeFirstOrThrow();
}, 180_000);

afterAll(async () => {
  await started.stop();
});

// Before the write path's refusals: a refused 200 KB body resets the client's pooled connection.
describe("tokens on the account page", () => {
  it("are shown once, work as their user, and stop working when revoked", async () => {
    const browser = new Client(s.url);
    await browser.signIn(DEMO.viewer);
    const made = await browser.post("/account/tokens", { intent: "create", name: "Power BI", days: "30" });
    expect(made.status).toBe(200);
    const token = /pwy_[A-Za-z0-9_-]{43}/.exec(await made.text())?.[0];
    expect(token).toBeTruthy();
    expect((await api("/institutions", token!)).status).toBe(200);
    // Not stored as itself.
    const stored = await s.db
      .selectFrom("api_tokens")
      .select(["id", "token_hash"])
      .where("name", "=", "Power BI")
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token!));
    const page = await (await browser.get("/account/tokens")).text();
    expect(page).not.toContain(token!);
    expect((await browser.post("/account/tokens", { intent: "revoke", tokenId: stored.id })).status).toBe(302);
    expect((await api("/institutions", token!)).status).toBe(401);
    // A viewer's token reads but does not decide.
    expect(
      (
        await api(`/reports/${randomUUID()}/decision`, tokens.viewer, {
          method: "POST",
          body: JSON.stringify({ decision: "verify" }),
        })
      ).status,
    ).toBe(404);
  });
});

describe("the API's write path", () => {
  const reportId = randomUUID();
  const body = JSON.stringify({
    reportId,
    kind: "enterprise_reached",
    payload: { name: "Api Marker Enterprise", size: "small", sector: "Textiles", workersFemale: 14, workersMale: 6 },
  });

  it("a reporter's token submits a report; the same report id again changes nothing", async () => {
    const first = await api(`/institutions/${A.id}/reports`, tokens.reporter, { method: "POST", body });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ id: reportId, status: "submitted", institutionId: A.id });
    const again = await api(`/institutions/${A.id}/reports`, tokens.reporter, { method: "POST", body });
    expect(again.status).toBe(200);
    const n = await s.db.selectFrom("milestone_reports").select("id").where("id", "=", reportId).execute();
    expect(n).toHaveLength(1);
  });

  it("another institution's reporter gets 404 for the report and the institution, and cannot send to it", async () => {
    for (const p of [`/reports/${reportId}`, `/institutions/${A.id}`, `/institutions/${A.id}/reports`]) {
      const res = await api(p, tokens.reporter2);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
      expect(await res.text()).not.toContain("Api Marker Enterprise");
    }
    const list = await (await api("/institutions", tokens.reporter2)).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(A.id);
    const sent = await api(`/institutions/${A.id}/reports`, tokens.reporter2, {
      method: "POST",
      body: body.replace(reportId, randomUUID()),
    });
    expect(sent.status).toBe(404);
  });

  it("a reporter may not decide; an officer's token verifies it; the institution page shows it verified", async () => {
    const decision = JSON.stringify({ decision: "verify" });
    expect((await api(`/reports/${reportId}/decision`, tokens.reporter, { method: "POST", body: decision })).status).toBe(403);
    const res = await api(`/reports/${reportId}/decision`, tokens.officer, { method: "POST", body: decision });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: reportId, status: "verified" });
    const audit = await s.db.selectFrom("audit_log").select("action").where("action", "=", "api.decideReport").execute();
    expect(audit.length).toBeGreaterThan(0);

    const browser = new Client(s.url);
    expect((await browser.signIn(DEMO.reporter)).status).toBe(302);
    const page = await browser.get(`/institutions/${A.id}/reports/${reportId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Api Marker Enterprise");
    expect(html).toMatch(/Verified/);
  });

  it("refuses what it cannot read: no token, a bad token, a form body, a huge body, control characters", async () => {
    expect((await api("/institutions", null)).status).toBe(401);
    expect((await api("/institutions", "pwy_" + "x".repeat(43))).status).toBe(401);
    const form = await fetch(`${s.url}/api/v1/institutions/${A.id}/reports`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens.reporter}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=b",
    });
    expect(form.status).toBe(415);
    const huge = await api(`/institutions/${A.id}/reports`, tokens.reporter, {
      method: "POST",
      body: `"${"x".repeat(200_000)}"`,
    });
    expect(huge.status).toBe(413);
    const nul = await api(`/institutions/${A.id}/reports`, tokens.reporter, {
      method: "POST",
      body: body.replace("Api Marker Enterprise", "Api\\u0000Marker").replace(reportId, randomUUID()),
    });
    expect(nul.status).toBe(400);
  });
});

describe("schemathesis against the OpenAPI document", () => {
  for (const role of ["reporter", "officer", "viewer", "admin"] as const) {
    it(`finds no server error and no response outside the schema with a ${role}'s token`, async () => {
      const bin = await ensureSchemathesis();
      const result = await run(
        bin,
        [
          "run",
          `${s.url}/api/v1/openapi.json`,
          "--url",
          `${s.url}/api/v1`,
          "-H",
          `Authorization: Bearer ${tokens[role]}`,
          "--checks",
          "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
          "--max-examples",
          "8",
          "--max-time",
          "45",
          "--workers",
          "1",
          "--phases",
          "examples,coverage,fuzzing",
          "--no-color",
        ],
        { maxBuffer: 32 * 1024 * 1024, timeout: 240_000 },
      ).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({
          code: e.code ?? 1,
          out: `${e.stdout ?? ""}${e.stderr ?? ""}`,
        }),
      );
      expect(result.code, result.out.slice(-6000)).toBe(0);
    }, 300_000);
  }
});

describe("the public results page", () => {
  // A fresh request: a keep-alive socket the server closed after an earlier refusal (413) is
  // met with ECONNRESET once, which any client retries.
  const get = (url: string) => fetch(url).catch(() => fetch(url));
  it("is 404 for a country not published, and renders with a CSV once an administrator publishes it", async () => {
    expect((await get(`${s.url}/results/${A.country}`)).status).toBe(404);
    expect((await get(`${s.url}/results/ZZ`)).status).toBe(404);
    await setCountryPublished(s.db, A.country, true, "test", new Date());
    await setIndicatorPublished(s.db, "institutions_embedding", true, "test", new Date());
    const res = await get(`${s.url}/results/${A.country}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const html = await res.text();
    expect(html).toContain("<svg");
    expect(html).not.toContain("Api Marker Enterprise");
    const csv = await get(`${s.url}/results/${A.country}/results.csv`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toMatch(/^section,measure,total,women,men/);
  });
});
