import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { DEMO_AWAITING_SIGN_OFF } from "../../db/seed";
import { DEMO, count, hiddenValue, securityApp, signedIn, type Client, type Fields, type SecurityApp } from "./support";
import { insertPlan } from "../../db/queries/handover";

/**
 * Tenancy, against the real running app: an institution reporter sees and changes their own
 * institution only, whatever address they type; a viewer changes nothing; an ILO officer decides
 * only in their countries. Every route with an id in its address is found by reading
 * app/routes, so a new one is covered (or fails this test until it is given an id).
 */

const started = securityApp();
let s: SecurityApp;
let reporterA: Client;
let reporterB: Client;
let officer: Client;
let viewer: Client;

interface Inst {
  id: string;
  name: string;
  country: string;
  stage: string;
}
let A: Inst;
let B: Inst & {
  reportId: string;
  returnedReportId: string;
  trainerId: string;
  fileId: string;
  planId: string;
  notificationId: string;
};
/** Strings only B's pages hold: what must never reach A. */
let secretsOfB: string[];

const tag = randomUUID().slice(0, 8);
const MARK = {
  enterprise: `Kawa Tenancy Marker Works ${tag}`,
  returned: `Tenancy marker returned enterprise ${tag}`,
  comment: `Tenancy marker comment ${tag}`,
  trainer: `Tenancy Marker Trainer ${tag}`,
  file: `tenancy,marker,file,${tag}\n`,
  plan: `Tenancy marker handover plan ${tag}`,
};

async function institutionOf(email: string): Promise<Inst> {
  return s.db
    .selectFrom("users as u")
    .innerJoin("institutions as i", "i.id", "u.institution_id")
    .select(["i.id", "i.name", "i.country_code as country", "i.stage_key as stage"])
    .where("u.email", "=", email)
    .executeTakeFirstOrThrow();
}

function enterpriseReport(reportId: string, name: string): Fields {
  return {
    intent: "send",
    reportId,
    kind: "enterprise_reached",
    "payload.name": name,
    "payload.size": "small",
    "payload.sector": "Food processing",
    "payload.workersFemale": "12",
    "payload.workersMale": "9",
  };
}

/** Sends a report the way the form does: the id comes from the form's hidden field. */
async function report(c: Client, institutionId: string, name: string): Promise<string> {
  const page = await c.get(`/institutions/${institutionId}/report?kind=enterprise_reached`);
  expect(page.status).toBe(200);
  const reportId = hiddenValue(await page.text(), "reportId")!;
  const res = await c.post(`/institutions/${institutionId}/report?kind=enterprise_reached`, enterpriseReport(reportId, name));
  expect(res.status).toBe(302);
  return reportId;
}

const escapeHtml = (v: string) =>
  v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
const escapeJson = (v: string) => JSON.stringify(v).slice(1, -1);

/** Which of the secrets the text shows, raw or escaped for HTML or JSON. */
function leaked(text: string, secrets: string[]): string[] {
  return secrets.filter((v) => [v, escapeHtml(v), escapeJson(v), v.trim()].some((form) => form && text.includes(form)));
}

/** Everything of one institution a request could change. */
async function snapshot(id: string) {
  const db = s.db;
  return {
    institution: await db.selectFrom("institutions").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
    reports: await db
      .selectFrom("milestone_reports")
      .select(["id", "status", "decided_by", "decision_comment", "payload", "evidence", "revision"])
      .where("institution_id", "=", id)
      .orderBy("id")
      .execute(),
    transitions: await count(db, "stage_transitions", (q) => q.where("institution_id", "=", id)),
    trainers: await db
      .selectFrom("trainers")
      .select(["id", "name", "national_expert"])
      .where("institution_id", "=", id)
      .orderBy("id")
      .execute(),
    certifications: await count(db, "trainer_certifications as c", (q) =>
      q.innerJoin("trainers as t", "t.id", "c.trainer_id").where("t.institution_id", "=", id),
    ),
    cycles: await count(db, "training_cycles", (q) => q.where("institution_id", "=", id)),
    enterprises: await count(db, "enterprises", (q) => q.where("institution_id", "=", id)),
    funding: await count(db, "funding_commitments", (q) => q.where("institution_id", "=", id)),
    evidence: await db
      .selectFrom("evidence_files")
      .select(["id", "report_id"])
      .where("institution_id", "=", id)
      .orderBy("id")
      .execute(),
    audit: await count(db, "audit_log", (q) => q.where("institution_id", "=", id)),
    reads: await count(db, "notification_reads as r", (q) =>
      q.innerJoin("notifications as n", "n.id", "r.notification_id").where("n.institution_id", "=", id),
    ),
    assessments: await count(db, "readiness_assessments", (q) => q.where("institution_id", "=", id)),
  };
}

async function totals() {
  return {
    reports: await count(s.db, "milestone_reports"),
    transitions: await count(s.db, "stage_transitions"),
    institutions: await count(s.db, "institutions"),
    users: await count(s.db, "users"),
    liveSessions: await count(s.db, "sessions", (q) => q.where("revoked_at", "is", null)),
    audit: await count(s.db, "audit_log"),
  };
}

beforeAll(async () => {
  s = await started.start();
  [reporterA, reporterB, officer, viewer] = await Promise.all(
    [DEMO.reporter, DEMO.reporter2, DEMO.officer, DEMO.viewer].map((email) => signedIn(s.url, email)),
  );
  A = await institutionOf(DEMO.reporter);
  const b = await institutionOf(DEMO.reporter2);
  expect(A.name).toBe("Accra Enterprise Skills Centre");
  expect(b.country).not.toBe(A.country);

  // B's own reporter sends two reports; the ILO officer returns one (B gets a notification).
  const reportId = await report(reporterB, b.id, MARK.enterprise);
  const returnedReportId = await report(reporterB, b.id, MARK.returned);
  const returned = await officer.post(`/institutions/${b.id}/reports/${returnedReportId}`, {
    decision: "return",
    comment: MARK.comment,
  });
  expect(returned.status).toBe(302);
  const notification = await s.db
    .selectFrom("notifications")
    .select("id")
    .where("institution_id", "=", b.id)
    .where("message", "like", `%${MARK.comment}%`)
    .executeTakeFirstOrThrow();

  // A trainer and an evidence file of B's (written where the app keeps evidence).
  const trainerId = randomUUID();
  await s.db
    .insertInto("trainers")
    .values({
      id: trainerId,
      institution_id: b.id,
      name: MARK.trainer,
      sex: "female",
      tot_cohort_id: null,
      trained_on: "2025-01-10",
      last_active_on: null,
    })
    .execute();
  const fileId = randomUUID();
  const bytes = Buffer.from(MARK.file);
  mkdirSync(path.join(s.dataDir, "evidence", b.id), { recursive: true });
  writeFileSync(path.join(s.dataDir, "evidence", b.id, fileId), bytes);
  await s.db
    .insertInto("evidence_files")
    .values({
      id: fileId,
      institution_id: b.id,
      report_id: reportId,
      file_name: `attendance-${tag}.csv`,
      content_type: "text/csv",
      size_bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      uploaded_by: "Dewi Lestari",
      created_at: new Date(),
    })
    .execute();

  // A handover plan of B's.
  const planId = randomUUID();
  await insertPlan(
    s.db,
    {
      id: planId,
      institutionId: b.id,
      name: MARK.plan,
      currency: "PEN",
      usdRate: { num: 10, den: 37 },
      exitYear: 2028,
      varianceThresholdPp: 10,
      scenarioOf: null,
      years: [],
    },
    "Dewi Lestari",
    new Date(),
  );

  B = { ...b, reportId, returnedReportId, trainerId, fileId, planId, notificationId: notification.id };
  secretsOfB = [
    B.name,
    MARK.enterprise,
    MARK.returned,
    MARK.comment,
    MARK.trainer,
    MARK.file,
    MARK.plan,
    `attendance-${tag}.csv`,
  ];
});

afterAll(async () => {
  await started.stop();
});

// ---------------------------------------------------------------------------------------------
// Every route with an id in its address.

const ROUTES_DIR = path.join(PROJECT_ROOT, "app", "routes");

interface DynamicRoute {
  file: string;
  /** The route id Remix gives it (for `?_data=`). */
  routeId: string;
  params: string[];
  url(values: Record<string, string>): { url: string; missing: string[] };
}

function dynamicRoutes(): DynamicRoute[] {
  return allRoutes().filter((r) => r.params.length > 0);
}

/** Remix flat routes: dots are slashes, `$x` a parameter, `_index` and `_layout` segments add nothing. */
function allRoutes(): DynamicRoute[] {
  const out: DynamicRoute[] = [];
  for (const entry of readdirSync(ROUTES_DIR)) {
    const isDir = statSync(path.join(ROUTES_DIR, entry)).isDirectory();
    if (!isDir && !/\.(tsx?|jsx?|mdx?)$/.test(entry)) continue;
    if (/\.test\.|\.server\.|\.client\./.test(entry)) continue;
    const name = isDir ? entry : entry.replace(/\.(tsx?|jsx?|mdx?)$/, "");
    // Dots split segments, except inside [brackets], which escape them (`export[.csv]`).
    const segments = name.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
    const params = segments.filter((x) => x.startsWith("$")).map((x) => x.slice(1).replace(/_$/, "") || "*");
    out.push({
      file: entry,
      routeId: `routes/${name}`,
      params,
      url(values) {
        const missing: string[] = [];
        const parts: string[] = [];
        for (const seg of segments) {
          if (seg === "_index" || seg.startsWith("_")) continue;
          const clean = seg.replace(/_$/, "");
          if (clean.startsWith("$")) {
            const key = clean.slice(1) || "*";
            if (values[key] === undefined) missing.push(key);
            parts.push(encodeURIComponent(values[key] ?? ""));
          } else parts.push(clean.replace(/\[([^\]]*)\]/g, "$1"));
        }
        return { url: `/${parts.join("/")}`, missing };
      },
    });
  }
  return out;
}

/** The form a route's own page would send, filled in for B (plausible enough to pass validation). */
function formFor(route: DynamicRoute): Fields {
  switch (route.routeId) {
    case "routes/institutions.$id.report":
      return enterpriseReport(randomUUID(), `Cross-tenant write ${tag}`);
    case "routes/institutions.$id.reports.$reportId":
      return { decision: "verify", comment: "" };
    case "routes/institutions.$id.sign-off":
      return { fromStage: B.stage, note: "cross-tenant" };
    case "routes/institutions.$id.slip":
      return { decision: "confirm", reason: "cross-tenant" };
    case "routes/reset-password.$token":
      return { password: "a cross-tenant password", confirm: "a cross-tenant password" };
    default:
      return { intent: "send", decision: "verify", id: B.id };
  }
}

/**
 * `$token` names a secret, not a record: holding it is the permission, so B's owner is no control there.
 * `$templateId` names a pathway template version, nobody's institution: its pages are for ILO administrators only.
 * `$country` names a public results page (no account, no personal data; 404 unless published).
 * `*` is the JSON API's path: it reads bearer tokens, never the cookie (tests/api covers its tenancy).
 * `$file` names a language's catalogue script (`/i18n/es.<hash>.js`): the app's words, the same for everyone.
 */
const UNSCOPED_PARAMS = new Set(["token", "templateId", "country", "*", "file"]);

describe("an institution reporter and another institution's addresses", () => {
  it("finds the routes with ids in app/routes, and has an id of B's for every parameter", () => {
    const routes = dynamicRoutes();
    expect(routes.map((r) => r.file)).toEqual(
      expect.arrayContaining(["institutions.$id._index.tsx", "institutions.$id.reports.$reportId.tsx", "evidence.$fileId.tsx"]),
    );
    const ids = idsOfB();
    const unmapped = routes.flatMap((r) => r.url(ids).missing.map((p) => `${r.file}: $${p}`));
    expect(unmapped, "give these route parameters an id of B's in idsOfB()").toEqual([]);
  });

  it("B's own reporter opens each of these addresses (so they are real)", async () => {
    for (const route of dynamicRoutes()) {
      if (route.params.some((p) => UNSCOPED_PARAMS.has(p))) continue;
      const { url } = route.url(idsOfB());
      const res = await reporterB.get(url);
      const body = await res.text();
      expect({ url, status: res.status, opened: res.status < 400 }).toEqual({ url, status: res.status, opened: true });
      // Pages name the institution; files (evidence, CSV downloads) are checked by their own tests.
      if (res.status === 200 && (res.headers.get("Content-Type") ?? "").includes("text/html"))
        expect(body).toContain(escapeHtml(B.name));
    }
    const file = await reporterB.get(`/evidence/${B.fileId}`);
    expect(await file.text()).toBe(MARK.file);
  });

  it("GET (page and ?_data=) as A: 403 or 404 or a redirect away, never B's name or data", async () => {
    for (const route of dynamicRoutes()) {
      // The catalogue scripts are the app's words, served to everyone, signed in or not.
      if (route.params.includes("file")) continue;
      const { url } = route.url(idsOfB());
      for (const target of [url, `${url}?_data=${encodeURIComponent(route.routeId)}`]) {
        const res = await reporterA.get(target);
        const body = await res.text();
        const location = res.headers.get("Location") ?? "";
        const refused =
          res.status === 403 ||
          res.status === 404 ||
          // The API reads no session cookie: a browser's session gets 401 there (decision 028).
          (res.status === 401 && target.startsWith("/api/")) ||
          (res.status >= 300 && res.status < 400 && !location.includes(B.id));
        expect({ target, status: res.status, refused }).toEqual({ target, status: res.status, refused: true });
        expect({ target, leaked: leaked(body + location, secretsOfB) }).toEqual({ target, leaked: [] });
      }
    }
  });

  it("POST (with A's valid CSRF token, plain and multipart) as A: 403, 404 or 405, and nothing of B's changes", async () => {
    const before = await snapshot(B.id);
    const totalsBefore = await totals();
    for (const route of dynamicRoutes()) {
      const { url } = route.url(idsOfB());
      for (const encoding of ["urlencoded", "multipart"] as const) {
        const res = await reporterA.post(url, formFor(route), { encoding });
        const body = await res.text();
        expect({ url, encoding, status: res.status, refused: [403, 404, 405].includes(res.status) }).toEqual({
          url,
          encoding,
          status: res.status,
          refused: true,
        });
        expect({ url, leaked: leaked(body, secretsOfB) }).toEqual({ url, leaked: [] });
      }
    }
    expect(await snapshot(B.id)).toEqual(before);
    expect(await totals()).toEqual(totalsBefore);
  });

  it("A cannot reach B's records through A's own forms: B's report id or B's trainer id in A's report", async () => {
    const before = await snapshot(B.id);
    const beforeA = await snapshot(A.id);

    // B's report id as the id of a report of A's: refused, B's report untouched, nothing of B's status told.
    const taken = await reporterA.post(
      `/institutions/${A.id}/report?kind=enterprise_reached`,
      enterpriseReport(B.reportId, `Reusing an id ${tag}`),
    );
    const takenBody = await taken.text();
    expect(taken.status).not.toBe(302);
    // Outside scripts: the page's language catalogue (every message, unfilled) travels in one.
    expect(takenBody.replace(/<script[\s\S]*?<\/script>/g, "")).not.toContain("had already been received");
    expect(leaked(takenBody, secretsOfB)).toEqual([]);

    // B's trainer in a certification report of A's.
    const page = await reporterA.get(`/institutions/${A.id}/report?kind=trainer_certified`);
    const pageBody = await page.text();
    expect(leaked(pageBody, secretsOfB)).toEqual([]);
    const cert = await reporterA.post(`/institutions/${A.id}/report?kind=trainer_certified`, {
      intent: "send",
      reportId: hiddenValue(pageBody, "reportId")!,
      kind: "trainer_certified",
      "payload.trainerId": B.trainerId,
      "payload.module": "M1",
      "payload.certifiedOn": "2025-03-01",
    });
    expect(cert.status).toBe(400);
    expect(await cert.text()).toContain("Choose one of this institution&#x27;s trainers");

    expect(await snapshot(B.id)).toEqual(before);
    expect((await snapshot(A.id)).reports).toEqual(beforeA.reports);
  });

  it("A's reporter reports for A but does not decide A's reports or sign off A's stages (403)", async () => {
    const reportId = await report(reporterA, A.id, `Own report ${tag}`);
    const before = await snapshot(A.id);
    expect((await reporterA.post(`/institutions/${A.id}/reports/${reportId}`, { decision: "verify", comment: "" })).status).toBe(
      403,
    );
    expect((await reporterA.post(`/institutions/${A.id}/sign-off`, { fromStage: A.stage, note: "" })).status).toBe(403);
    expect((await reporterA.post(`/institutions/${A.id}/slip`, { decision: "dismiss", reason: "" })).status).toBe(403);
    expect((await reporterA.post("/verify", { intent: "approve", reportId })).status).toBe(403);
    expect(await snapshot(A.id)).toEqual(before);
  });

  it("every address without an id (read from app/routes: /inbox, /notifications, …), as A, shows nothing of B's", async () => {
    const inbox = await reporterB.get("/inbox");
    expect(await inbox.text()).toContain(escapeHtml(B.name)); // B's returned report is in B's inbox
    const statics = allRoutes().filter((r) => r.params.length === 0);
    expect(statics.length).toBeGreaterThan(5);
    for (const route of statics) {
      const { url } = route.url({});
      for (const target of [url, `${url}${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route.routeId)}`]) {
        const res = await reporterA.get(target);
        const body = await res.text();
        expect({ target, status: res.status < 500, leaked: leaked(body, secretsOfB) }).toEqual({
          target,
          status: true,
          leaked: [],
        });
      }
    }
  });

  it("/institutions as A sends A to A's own page, whatever the filters", async () => {
    for (const query of ["", `?country=${B.country}`, `?q=${encodeURIComponent(B.name)}&page=2`]) {
      const res = await reporterA.get(`/institutions${query}`);
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`/institutions/${A.id}`);
      expect(leaked(await res.text(), [B.name])).toEqual([]);
    }
    // The data request too: no list of anyone's institutions comes back.
    const data = await reporterA.get("/institutions?_data=routes%2Finstitutions._index");
    expect(leaked(await data.text(), [B.name])).toEqual([]);
    expect(data.status).toBeLessThan(400);
  });

  it("/verify, /admin/users and /admin/audit answer 403 to a reporter (GET and POST)", async () => {
    const before = await snapshot(B.id);
    for (const p of ["/verify", "/admin/users", "/admin/audit", `/admin/audit?entity=${B.reportId}`]) {
      const res = await reporterA.get(p);
      expect({ p, status: res.status }).toEqual({ p, status: 403 });
      expect(leaked(await res.text(), secretsOfB)).toEqual([]);
    }
    expect((await reporterA.post("/verify", { intent: "approve", reportId: B.reportId })).status).toBe(403);
    const bUser = await s.db.selectFrom("users").select("id").where("email", "=", DEMO.reporter2).executeTakeFirstOrThrow();
    expect((await reporterA.post("/admin/users", { intent: "revoke", userId: bUser.id })).status).toBe(403);
    expect((await reporterA.post("/admin/users", { intent: "reset-link", userId: bUser.id })).status).toBe(403);
    expect(await snapshot(B.id)).toEqual(before);
    expect(await s.db.selectFrom("password_reset_tokens").select("id").where("user_id", "=", bUser.id).execute()).toEqual([]);
  });

  it("/notifications shows A none of B's, and A cannot mark B's as read", async () => {
    const mine = await reporterB.get("/notifications");
    expect(await mine.text()).toContain(escapeHtml(MARK.comment)); // B's reporter does see it

    const res = await reporterA.get("/notifications");
    expect(res.status).toBe(200);
    expect(leaked(await res.text(), secretsOfB)).toEqual([]);
    const marked = await reporterA.post("/notifications", { id: B.notificationId });
    expect(marked.status).toBe(302);
    expect(await count(s.db, "notification_reads", (q) => q.where("notification_id", "=", B.notificationId))).toBe(0);
  });
});

function idsOfB(): Record<string, string> {
  return {
    id: B.id,
    reportId: B.reportId,
    fileId: B.fileId,
    planId: B.planId,
    token: "a-token-nobody-was-given",
    templateId: "default@1",
    country: B.country,
    "*": "institutions",
    file: "en.000000000000.js",
  };
}

// ---------------------------------------------------------------------------------------------

describe("read-only roles change nothing", () => {
  it("answers 403 to every change a viewer or a programme manager posts with a valid token, and nothing changes", async () => {
    const manager = await signedIn(s.url, DEMO.manager);
    const awaiting = await s.db
      .selectFrom("institutions")
      .select(["id", "stage_key"])
      .where("name", "=", DEMO_AWAITING_SIGN_OFF[0])
      .executeTakeFirstOrThrow();
    const userId = (await s.db.selectFrom("users").select("id").where("email", "=", DEMO.reporter).executeTakeFirstOrThrow()).id;
    const posts: [string, Fields][] = [
      [
        "/institutions/new",
        {
          id: randomUUID(),
          name: `Viewer's institution ${tag}`,
          countryCode: "GH",
          type: "private_provider",
          role: "implementing_partner",
        },
      ],
      [`/institutions/${B.id}/report?kind=enterprise_reached`, enterpriseReport(randomUUID(), `Viewer report ${tag}`)],
      [`/institutions/${B.id}/reports/${B.reportId}`, { decision: "verify", comment: "" }],
      [`/institutions/${awaiting.id}/sign-off`, { fromStage: awaiting.stage_key, note: "" }],
      [`/institutions/${awaiting.id}/slip`, { decision: "confirm", reason: "viewer" }],
      [`/institutions/${B.id}/assessment`, { assessmentId: randomUUID(), "score.trainer_pool": "4" }],
      ["/verify", { intent: "approve", reportId: B.reportId }],
      ["/admin/users", { intent: "revoke", userId }],
      [
        "/admin/users",
        { intent: "create", name: "Viewer made", email: `viewer-made-${tag}@pathways.example`, role: "ilo_admin" },
      ],
    ];
    const before = { b: await snapshot(B.id), awaiting: await snapshot(awaiting.id), totals: await totals() };
    for (const [who, client] of [
      ["viewer", viewer],
      ["manager", manager],
    ] as const)
      for (const [p, fields] of posts)
        for (const encoding of ["urlencoded", "multipart"] as const) {
          const res = await client.post(p, fields, { encoding });
          expect({ who, p, encoding, status: res.status }).toEqual({ who, p, encoding, status: 403 });
        }
    expect({ b: await snapshot(B.id), awaiting: await snapshot(awaiting.id), totals: await totals() }).toEqual(before);
  });
});

describe("an ILO officer outside their countries", () => {
  let countries: string[];
  beforeAll(async () => {
    const row = await s.db.selectFrom("users").select("countries").where("email", "=", DEMO.officer).executeTakeFirstOrThrow();
    countries = row.countries;
    expect(countries).toEqual(expect.arrayContaining([A.country, B.country]));
  });

  it("cannot decide a report or sign off a stage in a third country (403), though they may look", async () => {
    const pending = await s.db
      .selectFrom("milestone_reports as r")
      .innerJoin("institutions as i", "i.id", "r.institution_id")
      .select(["r.id", "r.institution_id as institutionId"])
      .where("r.status", "=", "submitted")
      .where("i.country_code", "not in", countries)
      .orderBy("r.id")
      .executeTakeFirstOrThrow();
    const awaiting = await s.db
      .selectFrom("institutions")
      .select(["id", "stage_key", "country_code"])
      .where("name", "in", DEMO_AWAITING_SIGN_OFF)
      .where("country_code", "not in", countries)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const flagged = await s.db
      .selectFrom("institutions")
      .select(["id"])
      .where("slip_flag", "is not", null)
      .where("country_code", "not in", countries)
      .executeTakeFirst();

    const before = {
      report: await snapshot(pending.institutionId),
      awaiting: await snapshot(awaiting.id),
      totals: await totals(),
    };
    expect((await officer.get(`/institutions/${pending.institutionId}/reports/${pending.id}`)).status).toBe(200);
    // Their verification queue holds their countries' reports only.
    const queue = await officer.get("/verify");
    expect(queue.status).toBe(200);
    const queueHtml = await queue.text();
    expect(queueHtml).toContain(`/reports/${B.reportId}`);
    expect(queueHtml).not.toContain(`/reports/${pending.id}`);
    const thirdCountryIds = await s.db
      .selectFrom("institutions")
      .select("id")
      .where("country_code", "not in", countries)
      .execute();
    expect(thirdCountryIds.filter((i) => queueHtml.includes(`/institutions/${i.id}`))).toEqual([]);

    for (const decision of ["verify", "return", "reject"]) {
      const res = await officer.post(`/institutions/${pending.institutionId}/reports/${pending.id}`, {
        decision,
        comment: "outside my countries",
      });
      expect({ decision, status: res.status }).toEqual({ decision, status: 403 });
    }
    const bulk = await officer.post("/verify", { intent: "approve", reportId: pending.id });
    expect(bulk.status).toBe(302);
    expect(bulk.headers.get("Location")).toBe("/verify");
    const flash = bulk.headers
      .getSetCookie()
      .map((c) => /^pathways_flash=([^;]+)/.exec(c)?.[1])
      .find(Boolean);
    expect(Buffer.from((flash ?? "").split(".")[0], "base64url").toString("utf8")).toContain("Not verified");
    expect(
      (await officer.post(`/institutions/${awaiting.id}/sign-off`, { fromStage: awaiting.stage_key, note: "" })).status,
    ).toBe(403);
    if (flagged)
      expect((await officer.post(`/institutions/${flagged.id}/slip`, { decision: "confirm", reason: "outside" })).status).toBe(
        403,
      );

    expect({
      report: await snapshot(pending.institutionId),
      awaiting: await snapshot(awaiting.id),
      totals: await totals(),
    }).toEqual(before);
  });

  it("does decide in their own countries (the refusals above are about scope)", async () => {
    const res = await officer.post(`/institutions/${B.id}/reports/${B.reportId}`, { decision: "verify", comment: "" });
    expect(res.status).toBe(302);
    const row = await s.db
      .selectFrom("milestone_reports")
      .select("status")
      .where("id", "=", B.reportId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("verified");
  });
});
