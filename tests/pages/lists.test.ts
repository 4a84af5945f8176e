import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MilestoneReport } from "../../app/domain/reports";
import { loader as listLoader } from "../../app/routes/institutions._index";
import { loader as notificationsLoader } from "../../app/routes/notifications";
import { loader as verifyLoader } from "../../app/routes/verify";
import { addNotification } from "../../db/queries/notifications";
import { insertReport } from "../../db/queries/reports";
import { parseConfig } from "../../app/platform/config";
import { createInstitution } from "../../db/queries/institutions";
import { countInstitutionsPerStage, pageInstitutionsWithStatus } from "../../db/queries/pathway-status";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";

/**
 * The institutions list on a real PostgreSQL with 120 institutions: pages, sorts, search,
 * filters and tenancy all answered by SQL, and hostile addresses answered 200 or 400, never 500.
 */

const NEVER_TEMPORAL = new Proxy(
  {},
  {
    get(_t, prop) {
      throw new Error(`The page asked Temporal for ${String(prop)}: pages read the database only`);
    },
  },
);

let handle: TestDb;
let db: Kysely<Database>;
let admin: TestSession;

const DAY = 86_400_000;
const now = Date.now();
const COUNTRIES = ["GH", "CO", "VN", "PE"] as const;
const COUNTRY_NAME: Record<string, string> = { GH: "Ghana", CO: "Colombia", VN: "Viet Nam", PE: "Peru" };
const STAGES = ["engaged", "tot", "certification"] as const;

interface Seeded {
  id: string;
  name: string;
  country: string;
  stage: string;
  enteredDaysAgo: number;
}
const seeded: Seeded[] = [];

function context() {
  return {
    db,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
}

type ListData = Awaited<ReturnType<Awaited<ReturnType<typeof listLoader>>["json"]>>;

/** The loader's answer: its JSON, or the Response it threw (a redirect, a 400: then no data). */
async function list(query: string, cookie = admin.cookie): Promise<{ status: number; location?: string | null; data: ListData }> {
  try {
    const res = await listLoader({
      request: new Request(`http://test/institutions${query}`, { headers: { Cookie: cookie } }),
      params: {},
      context: context(),
    });
    return { status: res.status, data: await res.json() };
  } catch (e) {
    if (e instanceof Response)
      return { status: e.status, location: e.headers.get("Location"), data: null as unknown as ListData };
    throw e;
  }
}

type Row = { id: string; name: string; country: string; stageKey: string; daysInStage: number };
const names = (data: { institutions: Row[] }) => data.institutions.map((i) => i.name);

/** What the list should hold, sorted the way the page promises (locale-aware names, id last). */
const collator = new Intl.Collator("en");
const byCountryThenName = (a: Seeded, b: Seeded) =>
  collator.compare(COUNTRY_NAME[a.country], COUNTRY_NAME[b.country]) ||
  collator.compare(a.name, b.name) ||
  (a.id < b.id ? -1 : 1);

beforeAll(async () => {
  handle = await createTestDb("postgres");
  db = handle.db;
  admin = await signInAs(db, "ilo_admin");
  for (let n = 0; n < 120; n++) {
    const country = COUNTRIES[n % 4];
    const stage = STAGES[n % 3];
    const enteredDaysAgo = 10 + ((n * 37) % 400);
    // Two names carry LIKE's wildcards, to show the search matches them as plain characters.
    const name = n === 7 ? "Centre 50% Skills" : n === 8 ? "Centre_Skills" : `Institution ${String(n).padStart(3, "0")}`;
    const row = await createInstitution(
      db,
      {
        id: randomUUID(),
        name,
        type: n % 2 ? "private_provider" : "employers_organisation",
        role: "implementing_partner",
        countryCode: country,
      },
      "test",
      new Date(now - enteredDaysAgo * DAY),
    );
    await db.updateTable("institutions").set({ stage_key: stage }).where("id", "=", row.id).execute();
    seeded.push({ id: row.id, name, country, stage, enteredDaysAgo });
  }
  // Stored evaluations: five met gates awaiting sign-off (one of them evaluated at another stage,
  // so no longer current), one institution discontinued.
  for (const [k, s] of seeded.slice(0, 5).entries()) {
    const inst = await db.selectFrom("institutions").select(["template_id"]).where("id", "=", s.id).executeTakeFirstOrThrow();
    await db
      .insertInto("institution_status")
      .values({
        institution_id: s.id,
        stage_key: k === 4 ? "independent" : s.stage,
        template_id: inst.template_id,
        criteria_met: 4,
        criteria_total: 4,
        progress: 100,
        awaiting_sign_off: true,
        next_gate: JSON.stringify(null),
        failing_floors: JSON.stringify([]),
        reminder_after_days: 91,
        evaluated_at: new Date(),
      })
      .execute();
  }
  await db.updateTable("institutions").set({ status: "discontinued" }).where("id", "=", seeded[10].id).execute();
});
afterAll(async () => {
  await handle?.close();
});

describe("paging", () => {
  it("shows 50 a page by default, in country then name order, with the total", async () => {
    const { status, data } = await list("");
    expect(status).toBe(200);
    expect(data.page).toMatchObject({ page: 1, per: 50, pages: 3, total: 120, from: 1, to: 50 });
    expect(data.inScopeCount).toBe(120);
    const expected = [...seeded].sort(byCountryThenName).map((s) => s.name);
    expect(names(data)).toEqual(expected.slice(0, 50));
  });

  it("pages 2 and 3 continue where the previous page stopped, and a page past the end shows the last", async () => {
    const expected = [...seeded].sort(byCountryThenName).map((s) => s.name);
    const p2 = (await list("?page=2")).data;
    expect(p2.page).toMatchObject({ page: 2, from: 51, to: 100 });
    expect(names(p2)).toEqual(expected.slice(50, 100));
    const p3 = (await list("?page=3")).data;
    expect(names(p3)).toEqual(expected.slice(100));
    const far = (await list("?page=999")).data;
    expect(far.page).toMatchObject({ page: 3, from: 101, to: 120 });
    expect(names(far)).toEqual(expected.slice(100));
  });

  it("takes a page size within bounds and ignores one outside them", async () => {
    expect((await list("?per=20&page=2")).data.page).toMatchObject({ per: 20, pages: 6, from: 21, to: 40 });
    expect((await list("?per=100000")).data.page.per).toBe(50);
    expect((await list("?per=1")).data.page.per).toBe(50);
  });

  it("every institution appears on exactly one page, whatever the sort", async () => {
    for (const sort of ["name", "country", "stage", "time"]) {
      for (const dir of ["asc", "desc"]) {
        const seen: string[] = [];
        for (let page = 1; page <= 6; page++)
          seen.push(...(await list(`?per=20&sort=${sort}&dir=${dir}&page=${page}`)).data.institutions.map((i: Row) => i.id));
        expect(new Set(seen).size, `${sort} ${dir}`).toBe(120);
      }
    }
  });
});

describe("sorting", () => {
  it("by name, both ways", async () => {
    const all = [...seeded].map((s) => s.name).sort(collator.compare);
    expect(names((await list("?sort=name&per=200")).data)).toEqual(all);
    expect(names((await list("?sort=name&dir=desc&per=200")).data)).toEqual([...all].reverse());
  });

  it("by stage in pathway order, by time in stage longest first", async () => {
    const stageOrder = (await list("?sort=stage&per=200")).data.institutions.map((i: Row) => i.stageKey);
    expect(stageOrder).toEqual([...stageOrder].sort((a, b) => STAGES.indexOf(a as never) - STAGES.indexOf(b as never)));
    expect(stageOrder[0]).toBe("engaged");
    const days = (await list("?sort=time&dir=desc&per=200")).data.institutions.map((i: Row) => i.daysInStage);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    const shortest = (await list("?sort=time&dir=asc&per=200")).data.institutions.map((i: Row) => i.daysInStage);
    expect(shortest).toEqual([...days].reverse());
  });

  it("says what it sorted by, so the headers can mark it", async () => {
    expect((await list("?sort=time")).data.list).toEqual({ sort: "time", dir: "desc", q: "" });
    expect((await list("")).data.list).toEqual({ sort: "country", dir: "asc", q: "" });
  });
});

describe("search and filters", () => {
  it("finds by part of the name or the country, in any case", async () => {
    const one = (await list("?q=institution%2000")).data;
    expect(names(one).sort()).toEqual(
      seeded
        .filter((s) => s.name.startsWith("Institution 00"))
        .map((s) => s.name)
        .sort(),
    );
    const country = (await list("?q=VIET&per=200")).data;
    expect(country.page.total).toBe(30);
    expect(country.institutions.every((i: Row) => i.country === "Viet Nam")).toBe(true);
  });

  it("matches % and _ as themselves", async () => {
    expect(names((await list("?q=%25")).data)).toEqual(["Centre 50% Skills"]);
    expect(names((await list("?q=_")).data)).toEqual(["Centre_Skills"]);
  });

  it("filters by country, stage and flags; counts per stage follow the other filters", async () => {
    const gh = (await list("?country=GH&per=200")).data;
    expect(gh.page.total).toBe(30);
    expect(gh.institutions.every((i: Row) => i.country === "Ghana")).toBe(true);

    const ghTot = (await list("?country=GH&stage=tot&per=200")).data;
    const expected = seeded.filter((s) => s.country === "GH" && s.stage === "tot");
    expect(ghTot.page.total).toBe(expected.length);
    expect(ghTot.stageCounts.find((s) => s.key === "engaged")!.count).toBe(
      seeded.filter((s) => s.country === "GH" && s.stage === "engaged").length,
    );

    // Four stored evaluations still hold; the fifth was made at another stage.
    const awaiting = (await list("?flag=awaiting")).data;
    expect(awaiting.institutions.map((i: Row) => i.id).sort()).toEqual(
      seeded
        .slice(0, 4)
        .map((s) => s.id)
        .sort(),
    );
    expect(awaiting.institutions.every((i) => i.nextGate?.awaitingSignOff)).toBe(true);

    expect((await list("?flag=discontinued")).data.institutions.map((i: Row) => i.id)).toEqual([seeded[10].id]);
  });

  it("an empty result says so, with the search it did not match", async () => {
    const { status, data } = await list("?q=nothing%20like%20this");
    expect(status).toBe(200);
    expect(data.institutions).toEqual([]);
    expect(data.page).toMatchObject({ total: 0, from: 0, to: 0 });
    expect(data.anyInstitutions).toBe(true);
    expect(data.list.q).toBe("nothing like this");
  });
});

describe("tenancy", () => {
  it("a reporter goes straight to their own institution's page", async () => {
    const reporter = await signInAs(db, "institution_reporter", { institutionId: seeded[3].id });
    const res = await list("?page=2&q=Institution", reporter.cookie);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/institutions/${seeded[3].id}`);
  });

  it("an ILO officer reads the whole programme, as the policy's view row says", async () => {
    const officer = await signInAs(db, "ilo_officer", { countries: ["GH"] });
    expect((await list("", officer.cookie)).data.page.total).toBe(120);
  });

  it("a list narrowed to countries or to one institution counts and shows nothing else", async () => {
    const scope = { institutionIds: null, countries: ["GH", "PE"] };
    const counts = await countInstitutionsPerStage(db, { scope });
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(60);
    const page = await pageInstitutionsWithStatus(db, {
      scope,
      q: "Viet",
      sort: "name",
      dir: "asc",
      stageOrder: [...STAGES],
      limit: 50,
      offset: 0,
    });
    expect(page).toEqual([]);
    const own = { institutionIds: [seeded[5].id], countries: null };
    expect([...(await countInstitutionsPerStage(db, { scope: own })).values()]).toEqual([1]);
    const none = { institutionIds: [], countries: null };
    expect((await countInstitutionsPerStage(db, { scope: none })).size).toBe(0);
  });
});

describe("hostile addresses", () => {
  it("answer 200 with defaults, or 400 for characters that cannot be read, never 500", async () => {
    for (const q of [
      "?page=1e309",
      "?page=-1",
      "?page=99999999999999999999",
      "?per=abc",
      "?sort=drop%20table%20institutions",
      "?sort=name;--&dir=sideways",
      "?q=%27;drop%20table%20institutions;--",
      `?q=${"x".repeat(5000)}`,
      "?country=XX&stage=%27;drop&flag=everything&type=bank",
      "?q=%5C",
    ]) {
      const res = await list(q);
      expect(res.status, q).toBe(200);
      expect(res.data.page.page, q).toBeGreaterThanOrEqual(1);
    }
    expect((await list("?q=a%00b")).status).toBe(400);
    expect((await list("?sort=na%00me")).status).toBe(400);
    // And the table is still there.
    expect((await list("")).data.page.total).toBe(120);
  });

  it("a search longer than 100 characters is cut, not refused", async () => {
    const res = await list(`?q=${"y".repeat(300)}`);
    expect(res.data.list.q).toHaveLength(100);
  });
});

/** Calls a loader; its JSON, or the status of the Response it threw. */
async function call<T>(loader: (args: never) => Promise<{ status: number; json(): Promise<T> }>, url: string, cookie: string) {
  try {
    const res = await loader({
      request: new Request(url, { headers: { Cookie: cookie } }),
      params: {},
      context: context(),
    } as never);
    return { status: res.status, data: await res.json() };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, data: null as unknown as T };
    throw e;
  }
}

describe("the verification queue and the notifications page", () => {
  beforeAll(async () => {
    // 45 reports waiting: one for each of the first 45 institutions (GH, CO, VN, PE in turn).
    for (const [k, s] of seeded.slice(0, 45).entries())
      await insertReport(
        db,
        {
          reportId: randomUUID(),
          institutionId: s.id,
          submittedBy: `reporter${k}@test`,
          evidence: [],
          kind: "mou_signed",
          payload: { signedOn: "2026-01-01" },
        } as unknown as MilestoneReport,
        new Date(now - (100 - k) * DAY),
      );
    for (const [k, s] of seeded.slice(0, 30).entries())
      await addNotification(db, {
        id: `test-${k}`,
        institutionId: s.id,
        kind: "reminder",
        audience: "ilo",
        message: `Reminder ${k}`,
        at: new Date(now - k * 60_000),
      });
  });

  it("pages the queue oldest first, and an officer's count holds their countries only", async () => {
    const url = (q: string) => `http://test/verify${q}`;
    const p1 = await call(verifyLoader, url("?per=20"), admin.cookie);
    expect(p1.data.page).toMatchObject({ total: 45, pages: 3, from: 1, to: 20 });
    const p3 = await call(verifyLoader, url("?per=20&page=3"), admin.cookie);
    expect(p3.data.reports).toHaveLength(5);
    const all = [
      ...p1.data.reports,
      ...(await call(verifyLoader, url("?per=20&page=2"), admin.cookie)).data.reports,
      ...p3.data.reports,
    ];
    expect(new Set(all.map((r) => r.id)).size).toBe(45);
    expect(all.map((r) => r.waitingDays)).toEqual([...all.map((r) => r.waitingDays)].sort((a, b) => b - a));

    const officer = await signInAs(db, "ilo_officer", { countries: ["GH"] });
    const mine = await call(verifyLoader, url("?per=200"), officer.cookie);
    const ghana = seeded.slice(0, 45).filter((s) => s.country === "GH");
    expect(mine.data.page.total).toBe(ghana.length);
    expect(mine.data.reports.every((r) => r.country === "Ghana")).toBe(true);
    // A search for another country's institutions finds nothing, and counts nothing.
    const other = await call(verifyLoader, url(`?q=${encodeURIComponent(seeded[1].name)}`), officer.cookie);
    expect(other.data.page.total).toBe(0);

    const found = await call(verifyLoader, url("?q=REPORTER7%40"), admin.cookie);
    expect(found.data.reports.map((r) => r.submittedBy)).toEqual(["reporter7@test"]);
    for (const q of ["?sort=drop%20table", "?page=-5", "?per=1e9&dir=x"])
      expect((await call(verifyLoader, url(q), admin.cookie)).status, q).toBe(200);
    expect((await call(verifyLoader, url("?q=%00"), admin.cookie)).status).toBe(400);
  });

  it("pages notifications newest first, and shows the unread ones on their own", async () => {
    const url = (q: string) => `http://test/notifications${q}`;
    const p1 = await call(notificationsLoader, url("?per=10"), admin.cookie);
    expect(p1.data.page).toMatchObject({ total: 30, pages: 3 });
    expect(p1.data.items.map((n) => n.message)).toEqual([...Array(10).keys()].map((k) => `Reminder ${k}`));
    const p3 = await call(notificationsLoader, url("?per=10&page=3"), admin.cookie);
    expect(p3.data.items.map((n) => n.message)[9]).toBe("Reminder 29");
    expect(p1.data.unread).toBe(30);
    const unread = await call(notificationsLoader, url("?show=unread&per=10&page=9"), admin.cookie);
    expect(unread.data.page).toMatchObject({ page: 3, total: 30 });
  });
});
