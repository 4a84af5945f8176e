import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "../../app/routes/verify";
import { parseConfig } from "../../app/platform/config";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";

/**
 * A bulk approval that leaves some reports unverified says so in an error alert of its own,
 * not in the green "verified" banner. Reports outside the officer's queue are refused before
 * any workflow is asked, so this needs no Temporal.
 */

const NEVER_TEMPORAL = new Proxy(
  {},
  {
    get(_t, prop) {
      throw new Error(`Asked Temporal for ${String(prop)}: nothing here should reach a workflow`);
    },
  },
);

let handle: TestDb;
let db: Kysely<Database>;
let officer: TestSession;

function context() {
  return {
    db,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
}

beforeAll(async () => {
  handle = await createTestDb("postgres");
  db = handle.db;
  officer = await signInAs(db, "ilo_officer", { countries: ["GH"] });
});
afterAll(async () => {
  await handle?.close();
});

async function approve(ids: string[]) {
  const body = new URLSearchParams([["intent", "approve"], ...ids.map((id) => ["reportId", id])]);
  const request = await asSession(
    new Request("http://test/verify", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    }),
    officer,
  );
  return (await action({ request, params: {}, context: context() })) as Response;
}

describe("bulk approval on /verify", () => {
  it("puts the reasons a report was not verified in an error, not in the success notice", async () => {
    const res = await approve([randomUUID(), randomUUID()]);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/verify");
    const flash = (res.headers.get("Set-Cookie") ?? "").split(";")[0];
    const page = await loader({
      request: new Request("http://test/verify", { headers: { Cookie: `${officer.cookie}; ${flash}` } }),
      params: {},
      context: context(),
    });
    const data = await page.json();
    expect(data.notVerified).toHaveLength(2);
    for (const line of data.notVerified) expect(line).toMatch(/^Not verified — /);
    // Nothing was verified, so there is no green banner at all, and certainly no reason in it.
    expect(data.notice ?? "").not.toMatch(/Not verified/);
    expect(data.notice).toBeNull();
  });

  it("shows no error when there is nothing to report", async () => {
    const page = await loader({
      request: new Request("http://test/verify", { headers: { Cookie: officer.cookie } }),
      params: {},
      context: context(),
    });
    expect((await page.json()).notVerified).toEqual([]);
  });
});
