import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApi } from "../../app/features/api/api.server";
import { createToken, newTokenSecret, requireToken } from "../../app/features/api/tokens.server";
import { sha256 } from "../../app/platform/auth.server";
import { parseConfig } from "../../app/platform/config";
import { createDb, type DbHandle } from "../../db/create-db";
import { insertApiToken } from "../../db/queries/api";
import { createUser } from "../../db/queries/users";
import { createTestDb, type TestDb } from "../support/db";

/**
 * Tokens and the API's edge, on PostgreSQL, with no web server: the rate limit is one budget for
 * every web process (this one and another node process, each with its own connection pool), ended
 * windows are cleaned up, every use of a token is audited, and an expired, revoked or disabled
 * user's token is refused with 401.
 */

const run = promisify(execFile);
let testDb: TestDb;
let second: DbHandle;
let userId: string;
const EMAIL = "partner-system@pathways.example";
const LIMIT = 3;

function contextOn(db: TestDb["db"]): AppLoadContext {
  return {
    db,
    config: parseConfig({ API_RATE_PER_MINUTE: String(LIMIT) }),
    temporal: undefined as never,
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  };
}

async function newToken(opts: { expiresAt?: Date; createdAt?: Date } = {}): Promise<{ id: string; token: string }> {
  const token = newTokenSecret();
  const id = randomUUID();
  const at = opts.createdAt ?? new Date();
  await insertApiToken(
    testDb.db,
    {
      id,
      userId,
      name: "partner system",
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      at,
      expiresAt: opts.expiresAt ?? new Date(at.getTime() + 86_400_000),
    },
    EMAIL,
  );
  return { id, token };
}

/** A request for one report nobody has: a use of the token that reaches the operation (404). */
function call(context: AppLoadContext, token: string): Promise<Response> {
  const path = `reports/${randomUUID()}`;
  return handleApi(
    new Request(`http://localhost/api/v1/${path}`, { headers: { Authorization: `Bearer ${token}` } }),
    context,
    path,
  );
}

/** The same requests from another node process (tests/support/api-process.ts): its statuses. */
async function fromAnotherProcess(token: string, requests: number): Promise<{ status: number; retryAfter: string | null }[]> {
  const root = path.resolve(__dirname, "../..");
  const { stdout } = await run(
    process.execPath,
    [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "tests/support/api-process.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: testDb.url,
        TOKEN: token,
        REQUESTS: String(requests),
        API_RATE_PER_MINUTE: String(LIMIT),
      },
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

beforeAll(async () => {
  testDb = await createTestDb("postgres");
  // A second pool on the same database: what a second web process has.
  second = await createDb(testDb.url);
  userId = randomUUID();
  await createUser(
    testDb.db,
    { id: userId, email: EMAIL, name: "Partner System", role: "ilo_admin", passwordHash: "x" },
    "test",
    new Date(),
  );
}, 60_000);

afterAll(async () => {
  await second?.close();
  await testDb?.close();
});

describe("the rate limit", () => {
  it("is one budget for two web processes: past it, either process answers 429", async () => {
    const { token } = await newToken();
    const a = contextOn(testDb.db);
    const b = contextOn(second.db);
    // Kept within one clock minute: the windows are the clock's minutes.
    const seconds = new Date().getUTCSeconds();
    if (seconds > 40) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
    // This process (two pools) and another process: three requests of the three allowed.
    expect((await call(a, token)).status).toBe(404);
    expect((await fromAnotherProcess(token, 1)).map((r) => r.status)).toEqual([404]);
    expect((await call(b, token)).status).toBe(404);
    // The fourth, from either process, is refused.
    const [other] = await fromAnotherProcess(token, 1);
    expect(other.status).toBe(429);
    const retry = Number(other.retryAfter);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const refused = await call(a, token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ status: 429, type: expect.stringMatching(/rate-limited$/) });
  });

  it("starts again in the next minute, and the first request of a window deletes the windows that ended", async () => {
    const { id, token } = await newToken();
    const context = contextOn(testDb.db);
    const request = new Request("http://localhost/api/v1/institutions", { headers: { Authorization: `Bearer ${token}` } });
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
    for (let i = 0; i < LIMIT; i++) await requireToken(request, context, new Date(minute + 1_000));
    await expect(requireToken(request, context, new Date(minute + 2_000))).rejects.toMatchObject({ status: 429 });
    const next = new Date(minute + 60_000 + 500);
    await expect(requireToken(request, context, next)).resolves.toMatchObject({ tokenId: id });
    const windows = await testDb.db.selectFrom("api_rate_windows").select(["token_id", "window_start", "count"]).execute();
    expect(windows.every((w) => w.window_start.getTime() >= minute + 60_000)).toBe(true);
    expect(windows.find((w) => w.token_id === id)).toMatchObject({ count: 1 });
  });
});

describe("every use of a token", () => {
  it("is audited with its user, operation, path and answer; a request refused for the rate limit is not", async () => {
    const { id, token } = await newToken();
    const context = contextOn(testDb.db);
    const seconds = new Date().getUTCSeconds();
    if (seconds > 55) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
    const list = await handleApi(
      new Request("http://localhost/api/v1/institutions?sort=name", { headers: { Authorization: `Bearer ${token}` } }),
      context,
      "institutions",
    );
    expect(list.status).toBe(200);
    expect((await call(context, token)).status).toBe(404);
    const rows = await testDb.db
      .selectFrom("audit_log")
      .select(["actor", "action", "after"])
      .where("entity_type", "=", "api_token")
      .where("entity_id", "=", id)
      .where("action", "like", "api.%")
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      {
        actor: EMAIL,
        action: "api.listInstitutions",
        after: { method: "GET", path: "/api/v1/institutions", query: "?sort=name", status: 200 },
      },
      { actor: EMAIL, action: "api.getReport", after: expect.objectContaining({ method: "GET", status: 404 }) },
    ]);
  });
});

describe("a token that no longer works", () => {
  const status = async (token: string) => (await call(contextOn(testDb.db), token)).status;

  it("is refused with 401 once expired", async () => {
    const createdAt = new Date(Date.now() - 8 * 86_400_000);
    const { token } = await newToken({ createdAt, expiresAt: new Date(Date.now() - 1_000) });
    const res = await call(contextOn(testDb.db), token);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    // And one still live today is refused the moment its expiry passes.
    const live = await newToken({ expiresAt: new Date(Date.now() + 60_000) });
    const request = new Request("http://localhost/api/v1/institutions", { headers: { Authorization: `Bearer ${live.token}` } });
    await expect(requireToken(request, contextOn(testDb.db), new Date(Date.now() + 61_000))).rejects.toMatchObject({
      status: 401,
    });
  });

  it("made for 30 days on the account page, works on its last day and is refused with 401 after it", async () => {
    const made = new Date();
    const user = await testDb.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    const actor = {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      institutionId: null,
      countries: "all" as const,
    };
    const { token, expiresAt } = await createToken(contextOn(testDb.db), actor, "thirty days", 30, made);
    expect(expiresAt.getTime() - made.getTime()).toBe(30 * 86_400_000);
    const request = new Request("http://localhost/api/v1/institutions", { headers: { Authorization: `Bearer ${token}` } });
    const context = contextOn(testDb.db);
    await expect(requireToken(request, context, new Date(expiresAt.getTime() - 60_000))).resolves.toMatchObject({
      actor: { email: EMAIL },
    });
    await expect(requireToken(request, context, new Date(expiresAt.getTime() + 1_000))).rejects.toMatchObject({ status: 401 });
  });

  it("is refused with 401 once revoked, and its refusals are not audited as uses", async () => {
    const { id, token } = await newToken();
    expect(await status(token)).toBe(404);
    await testDb.db.updateTable("api_tokens").set({ revoked_at: new Date() }).where("id", "=", id).execute();
    expect(await status(token)).toBe(401);
    const uses = await testDb.db
      .selectFrom("audit_log")
      .select("id")
      .where("entity_id", "=", id)
      .where("action", "like", "api.%")
      .execute();
    expect(uses).toHaveLength(1);
  });

  it("is refused with 401 once its user is disabled", async () => {
    const { token } = await newToken();
    expect(await status(token)).toBe(404);
    await testDb.db.updateTable("users").set({ status: "disabled" }).where("id", "=", userId).execute();
    try {
      expect(await status(token)).toBe(401);
    } finally {
      await testDb.db.updateTable("users").set({ status: "active" }).where("id", "=", userId).execute();
    }
  });
});
