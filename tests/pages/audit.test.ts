import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../app/routes/admin.audit";
import { changedFields } from "../../app/components/audit-changes";
import { appendAudit } from "../../db/queries/audit";
import { parseConfig } from "../../app/platform/config";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";

/** The audit log page on a real PostgreSQL: readable changes, filters in the address, pages in SQL. */

let handle: TestDb;
let db: Kysely<Database>;
let admin: TestSession;
let officer: TestSession;

function context() {
  return { db, config: parseConfig({}), temporalUiUrl: null, clientIp: "127.0.0.1" } as unknown as AppLoadContext;
}

type Data = Awaited<ReturnType<Awaited<ReturnType<typeof loader>>["json"]>>;

async function audit(query: string, cookie = admin.cookie): Promise<{ status: number; data: Data }> {
  try {
    const res = await loader({
      request: new Request(`http://test/admin/audit${query}`, { headers: { Cookie: cookie } }),
      params: {},
      context: context(),
    });
    return { status: res.status, data: await res.json() };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, data: null as unknown as Data };
    throw e;
  }
}

beforeAll(async () => {
  handle = await createTestDb("postgres");
  db = handle.db;
  admin = await signInAs(db, "ilo_admin");
  officer = await signInAs(db, "ilo_officer");
  // 60 report verifications by "ana" over 60 days of June–July 2026, and 5 plan edits by "ben".
  for (let n = 0; n < 60; n++)
    await appendAudit(db, {
      actor: "ana@example.org",
      action: "report.verified",
      entityType: "milestone_report",
      entityId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      before: { status: "submitted", note: "ok" },
      after: { status: "verified", note: "ok" },
      at: new Date(Date.UTC(2026, 5, 1 + n, 12)),
    });
  for (let n = 0; n < 5; n++)
    await appendAudit(db, {
      actor: "ben@example.org",
      action: "plan.updated",
      entityType: "handover_plan",
      entityId: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      before: null,
      after: { title: "Handover", owner: "ben" },
      at: new Date(Date.UTC(2026, 7, 1 + n, 12)),
    });
});
afterAll(async () => {
  await handle?.close();
});

describe("changed fields", () => {
  it("lists only the fields that differ, with before and after", () => {
    expect(changedFields({ status: "submitted", note: "ok" }, { status: "verified", note: "ok" })).toEqual([
      { field: "status", before: "submitted", after: "verified" },
    ]);
    expect(changedFields(null, { a: 1 })).toEqual([{ field: "a", before: null, after: "1" }]);
    expect(changedFields({ a: [1] }, {})).toEqual([{ field: "a", before: "[1]", after: null }]);
    expect(changedFields(null, null)).toEqual([]);
    expect(changedFields({ long: "x".repeat(500) }, {})[0].before!.length).toBeLessThanOrEqual(80);
  });
});

describe("the audit page", () => {
  it("is for administrators only", async () => {
    expect((await audit("", officer.cookie)).status).toBe(403);
  });

  it("shows each entry's changes as fields, not raw JSON", async () => {
    const { data } = await audit("?actor=ana@example.org&per=10");
    expect(data.rows[0]).toMatchObject({
      actor: "ana@example.org",
      action: "report.verified",
      changes: [{ field: "status", before: "submitted", after: "verified" }],
    });
    expect(data.rows[0].raw).toContain('"note"');
  });

  it("pages in SQL with a total, newest first", async () => {
    const p1 = (await audit("?actor=ana@example.org&per=25")).data;
    expect(p1.page).toMatchObject({ page: 1, per: 25, pages: 3, total: 60, from: 1, to: 25 });
    expect(p1.rows[0].occurredAt.slice(0, 10)).toBe("2026-07-30");
    const p3 = (await audit("?actor=ana@example.org&per=25&page=3")).data;
    expect(p3.rows).toHaveLength(10);
    expect(p3.rows[9].occurredAt.slice(0, 10)).toBe("2026-06-01");
  });

  it("filters by actor, by kind of action and by an inclusive date range", async () => {
    expect((await audit("?actor=ben@example.org")).data.page.total).toBe(5);
    expect((await audit("?action=plan")).data.page.total).toBe(5);
    expect((await audit("?action=plan.updated")).data.page.total).toBe(5);
    expect((await audit("?action=pla")).data.page.total).toBe(0);
    const { data } = await audit("?action=report&from=2026-06-10&to=2026-06-12");
    expect(data.page.total).toBe(3);
    expect(data.kinds).toEqual(expect.arrayContaining(["plan", "report"]));
    expect(data.rows.map((r) => r.occurredAt.slice(0, 10))).toEqual(["2026-06-12", "2026-06-11", "2026-06-10"]);
  });

  it("ignores a date that is not a day instead of failing", async () => {
    const { status, data } = await audit("?actor=ben@example.org&from=2026-02-31&to=yesterday");
    expect(status).toBe(200);
    expect(data.filter.from).toBeUndefined();
    expect(data.filter.to).toBeUndefined();
    expect(data.page.total).toBe(5);
  });
});
