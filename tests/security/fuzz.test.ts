import fc from "fast-check";
import { readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { DEMO_AWAITING_SIGN_OFF } from "../../db/seed";
import { DEMO, securityApp, signedIn, type Client, type SecurityApp } from "./support";

/**
 * Hostile input against the real running app: property-based requests over every loader and
 * action (found by reading app/routes), from every role with its valid CSRF token and from nobody.
 * Every request carries at least one thing no form or address of the app would send — a body that
 * is not a form, a truncated multipart body, a file name with `;` or `=`, NUL or another control
 * character, a number out of range, an id that is no id, an unknown method, a bad Host — so every
 * one must be answered with a deliberate status (never ≥ 500, never a stack trace) and change
 * nothing: the checksum of every table is the same after each batch as before it.
 */

const started = securityApp();
let s: SecurityApp;
let clients: { role: string; client: Client | null }[];
let ids: Record<string, string>;
let sent = 0;

const RUNS = Number(process.env.FUZZ_RUNS ?? 105);
const BATCH = 20;

// ---------------------------------------------------------------- routes, from app/routes

/** `institutions.$id.plans.$planId.export[.csv]` → ["institutions", "$id", "plans", "$planId", "export.csv"]. */
function routeSegments(file: string): string[] {
  const base = file.replace(/\.(tsx|ts)$/, "");
  const segments: string[] = [];
  let current = "";
  let inBracket = false;
  for (const ch of base) {
    if (ch === "[") inBracket = true;
    else if (ch === "]") inBracket = false;
    else if (ch === "." && !inBracket) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return segments.filter((seg) => seg !== "_index" && !(seg.startsWith("_") && seg.length > 1));
}

const ROUTES = readdirSync(path.join(PROJECT_ROOT, "app", "routes"))
  .filter((f) => /\.tsx?$/.test(f) && !f.includes(".test."))
  .map(routeSegments);

// ---------------------------------------------------------------- what hostile input looks like

const CONTROL = fc.constantFrom("\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u001b", "\u007f", "\u0000\u0000");
const text = fc.string({ maxLength: 40, unit: "grapheme" });
/** Text with at least one control character somewhere in it. */
const poisoned = fc.tuple(text, CONTROL, text).map(([a, c, b]) => a + c + b);
const numberish = fc.constantFrom("1e309", "-1e309", "NaN", "Infinity", "-1", "0", "9007199254740993", "1.5", "0x10", "1e3", "");
const badId = fc.constantFrom(
  "not-a-uuid",
  "00000000-0000-0000-0000-00000000000g",
  "1",
  "1e309",
  "%27%20OR%201%3D1--",
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "%ZZ",
  "x".repeat(300),
  "%E2%80%AE",
);
const FIELD_NAMES = [
  "intent",
  "id",
  "reportId",
  "kind",
  "note",
  "fromStage",
  "toStage",
  "reason",
  "comment",
  "decision",
  "name",
  "email",
  "password",
  "role",
  "draft",
  "locale",
  "phase",
  "entity",
  "country",
  "title",
  "payload.name",
  "payload.cost",
  "evidence.0.label",
  "redirectTo",
  "userId",
  "token",
];
const fieldName = fc.oneof(
  fc.constantFrom(...FIELD_NAMES),
  text.filter((t) => t.length > 0),
);
const QUERY_NAMES = [
  "before",
  "id",
  "with",
  "resubmit",
  "phase",
  "kind",
  "rows",
  "country",
  "entity",
  "recorded",
  "format",
  "actor",
  "action",
];

interface Req {
  method: string;
  path: string;
  who: number;
  headers: Record<string, string>;
  body?: Buffer;
  /** A state-changing request that must be refused (4xx), not just survived. */
  mustRefuse: boolean;
  what: string;
}

/** A route's address with its ids filled in: real ones, or (when `broken`) one that is no id. */
function address(segments: string[], bad: string | null, badAt: number): string {
  const params = segments.filter((seg) => seg.startsWith("$"));
  const parts = segments.map((seg) => {
    if (!seg.startsWith("$")) return seg;
    if (bad !== null && params.indexOf(seg) === badAt % Math.max(1, params.length)) return bad;
    return ids[seg.slice(1)] ?? "00000000-0000-4000-8000-000000000000";
  });
  return "/" + parts.join("/");
}

const route = fc.integer({ min: 0, max: ROUTES.length - 1 }).map((i) => ROUTES[i]);
const who = fc.integer({ min: 0, max: 5 });

function urlencoded(fields: [string, string][]): Buffer {
  return Buffer.from(new URLSearchParams(fields).toString());
}

function multipart(boundary: string, parts: { name: string; value: string; filename?: string }[]): Buffer {
  const chunks = parts.map(
    (p) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
      (p.filename !== undefined ? `; filename="${p.filename}"\r\nContent-Type: text/csv` : "") +
      `\r\n\r\n${p.value}\r\n`,
  );
  return Buffer.from(chunks.join("") + `--${boundary}--\r\n`);
}

/** A POST whose body is not a form at all, or not a whole one. */
const notAForm = fc
  .record({
    route,
    who,
    type: fc.constantFrom(
      "application/json",
      "text/plain",
      "",
      "application/xml",
      "multipart/form-data",
      "multipart/form-data; boundary=x",
      "application/x-www-form-urlencoded; charset=utf-16",
    ),
    body: fc.oneof(
      fc.constant('{"csrf":"x","intent":"send"}'),
      text,
      fc.constant('--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc'),
    ),
  })
  .map(({ route, who, type, body }): Req => ({
    method: "POST",
    path: address(route, null, 0),
    who,
    headers: type ? { "Content-Type": type } : {},
    body: Buffer.from(body),
    // A urlencoded body with an odd charset is still a form; it must merely not crash.
    mustRefuse: !type.includes("charset"),
    what: `not a form (${type || "no type"})`,
  }));

/** A urlencoded form with the right CSRF token, where one field holds a control character. */
const controlInForm = fc
  .record({
    route,
    who,
    fields: fc.array(fc.tuple(fieldName, text), { maxLength: 6 }),
    poison: fc.tuple(fieldName, poisoned),
    long: fc.boolean(),
  })
  .map(({ route, who, fields, poison, long }): Req => ({
    method: "POST",
    path: address(route, null, 0),
    who,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: urlencoded([
      ["csrf", "$CSRF"],
      ...fields,
      poison,
      ...(long ? ([["note", "n".repeat(100_000)]] as [string, string][]) : []),
    ]),
    mustRefuse: true,
    what: `control character in ${JSON.stringify(poison[0])}`,
  }));

/** A multipart form with a file whose name the parser may choke on, truncated or not. */
const badMultipart = fc
  .record({
    route,
    who,
    filename: fc.oneof(
      fc.constantFrom("a;b.csv", "a=b.csv", 'x; name="csrf".csv', 'q"uote.csv', "ሪፖርት;=.csv", 'a\\";b=c.csv'),
      text.map((t) => `${t};=${t}.csv`),
    ),
    truncate: fc.option(fc.integer({ min: 1, max: 200 })),
    poison: fc.tuple(fieldName, poisoned),
  })
  .map(({ route, who, filename, truncate, poison }): Req => {
    const boundary = "----fuzz" + Math.abs(filename.length * 7919).toString(16);
    let body = multipart(boundary, [
      { name: "csrf", value: "$CSRF" },
      { name: "intent", value: "send" },
      { name: "file", value: "a,b\n1,2\n", filename },
      { name: poison[0].replace(/["\r\n]/g, "_") || "x", value: poison[1] },
    ]);
    if (truncate !== null) body = body.subarray(0, Math.max(1, body.length - truncate));
    return {
      method: "POST",
      path: address(route, null, 0),
      who,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      mustRefuse: true,
      what: `multipart, file name ${JSON.stringify(filename)}${truncate !== null ? `, cut by ${truncate} bytes` : ""}`,
    };
  });

/** A GET with a hostile query string: NUL, numbers out of range, ids that are no ids. */
const badQuery = fc
  .record({
    route,
    who,
    params: fc.array(
      fc.tuple(
        fc.constantFrom(...QUERY_NAMES),
        fc.oneof(
          numberish,
          badId,
          poisoned.map((p) => encodeURIComponent(p)),
          fc.constant("%00"),
        ),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ route, who, params }): Req => ({
    method: "GET",
    path: address(route, null, 0) + "?" + params.map(([k, v]) => `${k}=${v}`).join("&"),
    who,
    headers: {},
    mustRefuse: false,
    what: "hostile query string",
  }));

/** A malformed id in the address, by GET or by POST with a proper form. */
const badPath = fc
  .record({
    route: route.filter((r) => r.some((seg) => seg.startsWith("$"))),
    who,
    bad: badId,
    at: fc.nat(3),
    post: fc.boolean(),
  })
  .map(({ route, who, bad, at, post }): Req => ({
    method: post ? "POST" : "GET",
    path: address(route, bad, at),
    who,
    headers: post ? { "Content-Type": "application/x-www-form-urlencoded" } : {},
    body: post
      ? urlencoded([
          ["csrf", "$CSRF"],
          ["intent", "send"],
        ])
      : undefined,
    mustRefuse: post,
    what: `malformed id ${JSON.stringify(bad)}`,
  }));

/** Unknown methods, a bad Host header, an address that does not decode. */
const badRequestLine = fc
  .record({
    route,
    who,
    kind: fc.constantFrom("method", "host", "percent"),
    method: fc.constantFrom("TRACE", "PUT", "DELETE", "PATCH", "PROPFIND", "CONNECT"),
    host: fc.constantFrom("", "exa mple.com", "evil.example:99999999", "a/b", "[::1", "bad_host\u0001", "%ZZ"),
  })
  .map(({ route, who, kind, method, host }): Req => {
    const base = address(route, null, 0);
    if (kind === "method") return { method, path: base, who, headers: {}, mustRefuse: true, what: `method ${method}` };
    if (kind === "host")
      return { method: "GET", path: base, who, headers: { Host: host }, mustRefuse: false, what: `Host ${JSON.stringify(host)}` };
    return { method: "GET", path: base + "/%ZZ%", who, headers: {}, mustRefuse: false, what: "undecodable address" };
  });

/** Shown in a counterexample as one line, not as a dump of its body's bytes. */
function shown(req: Req): Req {
  return Object.assign(req, {
    [fc.toStringMethod]: () => `${req.method} ${req.path.slice(0, 100)} (client ${req.who}): ${req.what}`,
  });
}

const hostile = fc.oneof(notAForm, controlInForm, badMultipart, badQuery, badPath, badRequestLine).map(shown);

// ---------------------------------------------------------------- sending and checking

// A fresh connection per request: the server may close one after refusing a body it did not read.
const agent = new http.Agent({ keepAlive: false, maxSockets: BATCH });

/** Sends one request as raw HTTP (fetch would not send TRACE, a bad Host or an undecodable path). */
function send(req: Req): Promise<{ status: number; body: string }> {
  const c = clients[req.who].client;
  const url = new URL(s.url);
  const body =
    req.body && c?.csrf ? Buffer.from(req.body.toString("latin1").replace(/\$CSRF|%24CSRF/, c.csrf), "latin1") : req.body;
  const headers: Record<string, string> = { ...req.headers };
  if (c?.cookie) headers.Cookie = `pathways_session=${c.cookie}`;
  if (body) headers["Content-Length"] = String(body.length);
  return new Promise((resolve, reject) => {
    let r: http.ClientRequest;
    try {
      r = http.request(
        { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, setHost: !("Host" in headers) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (b: Buffer) => chunks.push(b));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
    } catch {
      // A header Node itself will not send (a control character in Host): nothing reached the app.
      return resolve({ status: 400, body: "" });
    }
    r.on("error", reject);
    // The answer to CONNECT arrives as a "connect" event, not a response.
    r.on("connect", (res: http.IncomingMessage, socket: import("node:net").Socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "" });
    });
    r.setTimeout(15_000, () => r.destroy(new Error("no answer within 15 s")));
    r.end(body);
  });
}

/**
 * md5 of every table's rows, by table: every one, the notifications and the stored gate status
 * the worker writes included (the demo's timers are days away once start-up has settled). Two
 * times are left out: a session's `last_seen_at` (every signed-in request keeps its session
 * alive) and a status's `evaluated_at` (start-up's re-evaluation of every pathway may still be
 * finishing; it stamps the time even when the gate comes out the same). A change to any other
 * column of those rows still counts.
 */
async function checksums(): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(
    s.db,
  );
  const out: Record<string, string> = {};
  // The mail rounds run on their own timer (decision 025), not from a request: their outbox and
  // the notifications' "mailed" mark may change while the requests run, and are not compared.
  const compared = tables.rows.filter((t) => !t.table_name.startsWith("mail_"));
  const rows = await sql<{ t: string; sum: string }>`${sql.join(
    compared.map(
      (t) =>
        sql`select ${t.table_name}::text as t, md5(coalesce(string_agg((to_jsonb(x) - 'last_seen_at' - 'evaluated_at' - 'mailed_at')::text, '|' order by x::text), '')) as sum from ${sql.table(t.table_name)} x`,
    ),
    sql` union all `,
  )}`.execute(s.db);
  for (const r of rows.rows) out[r.t] = r.sum;
  return out;
}

/** Each notification as one line (its kind, when made, when read or resolved), by id. */
async function notificationRows(): Promise<Map<string, string>> {
  const rows = await s.db.selectFrom("notifications").selectAll().execute();
  return new Map(
    rows.map((r) => {
      const { mailed_at: _mailed, ...kept } = r;
      return [r.id, JSON.stringify(kept)];
    }),
  );
}

const STACK = /^\s+at .+[(:]|node_modules|\/work\/|\.tsx?:\d+/m;

function describeReq(req: Req): string {
  return `${req.method} ${req.path.slice(0, 120)} as ${clients[req.who].role}: ${req.what}`;
}

describe("hostile requests to every route", () => {
  beforeAll(async () => {
    s = await started.start();
    const roles = ["admin", "officer", "manager", "reporter", "viewer"] as const;
    clients = [
      ...(await Promise.all(roles.map(async (r) => ({ role: r, client: await signedIn(s.url, DEMO[r]) })))),
      { role: "nobody", client: null },
    ];
    const reporterInst = await s.db
      .selectFrom("users")
      .select("institution_id")
      .where("email", "=", DEMO.reporter)
      .executeTakeFirstOrThrow();
    const id = reporterInst.institution_id!;
    // Ids of the reporter's institution where it has some, else of any.
    const first = async (table: string) =>
      (
        await sql<{
          v: string;
        }>`select id::text as v from ${sql.table(table)} order by (institution_id::text = ${id}) desc limit 1`.execute(s.db)
      ).rows[0]?.v;
    ids = {
      id,
      planId: (await first("handover_plans")) ?? "",
      reportId: (await first("milestone_reports")) ?? "",
      fileId: (await first("evidence_files")) ?? "",
      templateId: (await sql<{ v: string }>`select id::text as v from pathway_templates limit 1`.execute(s.db)).rows[0]?.v ?? "",
      token: "no-such-token",
    };
    for (const [k, v] of Object.entries(ids)) if (!v) delete ids[k];
    // The demo's workflows write for a while after start-up (notifications, say): wait until the
    // tables have stayed the same for ten seconds. On a loaded machine the worker's start-up work
    // comes in bursts with quiet seconds between them, so a short quiet spell is not enough.
    let last = JSON.stringify(await checksums());
    for (let same = 0, tries = 0; same < 5 && tries < 45; tries++) {
      await new Promise((r) => setTimeout(r, 2000));
      const now = JSON.stringify(await checksums());
      same = now === last ? same + 1 : 0;
      last = now;
    }
  }, 180_000);
  afterAll(() => started.stop());

  it(`answers ${RUNS * BATCH} malformed requests with 4xx or a page, never 5xx, never a stack, and changes nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const before = await checksums();
        const notesBefore = await notificationRows();
        const answers = await Promise.all(
          batch.map((req) => send(req).catch((e: Error) => ({ status: -1, body: `no answer: ${e.message}` }))),
        );
        sent += batch.length;
        const problems: string[] = [];
        answers.forEach((a, i) => {
          const req = batch[i];
          if (a.status >= 500 || a.status < 0) problems.push(`${a.status} for ${describeReq(req)}: ${a.body.slice(0, 300)}`);
          else if (req.mustRefuse && (a.status < 400 || a.status >= 500))
            problems.push(`${a.status} (not refused) for ${describeReq(req)}`);
          if (a.status >= 400 && STACK.test(a.body)) problems.push(`stack trace in ${a.status} for ${describeReq(req)}`);
        });
        const after = await checksums();
        const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
        if (changed.length) {
          // Say which notifications changed: one a timer of the demo wrote is told from one a request wrote.
          const notesAfter = await notificationRows();
          const diff = [...new Set([...notesBefore.keys(), ...notesAfter.keys()])]
            .filter((id) => notesBefore.get(id) !== notesAfter.get(id))
            .map((id) => `${notesBefore.get(id) ?? "(none)"} → ${notesAfter.get(id) ?? "(none)"}`);
          problems.push(
            `tables changed: ${changed.join(", ")}${diff.length ? ` (notifications: ${diff.join("; ")})` : ""} by one of:\n  ${batch.map(describeReq).join("\n  ")}`,
          );
        }
        if (problems.length) throw new Error(problems.join("\n"));
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(2_000);
  }, 150_000);

  // ---------------------------------------------------------------- one test per finding of the review

  const req = (r: Partial<Req> & { method: string; path: string }): Req => ({
    who: 0,
    headers: {},
    mustRefuse: true,
    what: "",
    ...r,
  });
  const reporterInst = () => `/institutions/${ids.id}`;
  /** An institution awaiting sign-off in the demo, which the ILO officer may sign off. */
  const awaiting = async () => {
    const row = await s.db
      .selectFrom("institutions")
      .select("id")
      .where("name", "=", DEMO_AWAITING_SIGN_OFF[0])
      .executeTakeFirstOrThrow();
    return `/institutions/${row.id}`;
  };

  it("a JSON body on an action is 415, not 500", async () => {
    const a = await send(
      req({
        method: "POST",
        path: `${reporterInst()}/sign-off`,
        who: 0,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from("{}"),
      }),
    );
    expect(a.status).toBe(415);
  });

  it("a `;` or `=` in an uploaded file's name is 400, not 500", async () => {
    const boundary = "----finding";
    const body = multipart(boundary, [
      { name: "csrf", value: "$CSRF" },
      { name: "entity", value: "trainers" },
      { name: "file", value: "a,b\n", filename: 'x"; name="y;=.csv' },
    ]);
    // Cut inside the file part: the parser cannot finish it.
    const a = await send(
      req({
        method: "POST",
        path: "/import",
        who: 0,
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body: body.subarray(0, body.length - 10),
      }),
    );
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.status).toBeLessThan(500);
  });

  it("NUL in a text field is a 422 naming the field; NUL in a query string is a 400", async () => {
    const form = await send(
      req({
        method: "POST",
        path: `${await awaiting()}/sign-off`,
        who: 1,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: urlencoded([
          ["csrf", "$CSRF"],
          ["fromStage", "a"],
          ["note", "x\u0000y"],
        ]),
      }),
    );
    expect(form.status).toBe(422);
    expect(form.body).toContain("control characters");
    const query = await send(req({ method: "GET", path: "/admin/audit?actor=%00", who: 0 }));
    expect(query.status).toBe(400);
  });

  it("NUL in a field a person types is shown next to that field, with the rest of the form kept, and nothing is written", async () => {
    const before = await checksums();
    const form = await send(
      req({
        method: "POST",
        path: "/institutions/new",
        who: 0,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: urlencoded([
          ["csrf", "$CSRF"],
          ["id", "0b9f3f7e-2a51-4c1e-9d2a-4f0c2b8e6a11"],
          ["name", "Kumasi\u0000Training Centre"],
          ["countryCode", "GH"],
          ["type", "private_provider"],
          ["role", "implementing_partner"],
        ]),
      }),
    );
    expect(form.status).toBe(422);
    // The form page itself, not an error page: the name field marked invalid with its message under it.
    expect(form.body).toMatch(/<input[^>]*id="f-name"[^>]*aria-invalid="true"[^>]*aria-describedby="f-name-error"/);
    expect(form.body).toMatch(/<p class="field-error" id="f-name-error">This text contains characters that cannot be stored/);
    expect(form.body).toMatch(/<option value="GH" selected/);
    expect(await checksums()).toEqual(before);
  });

  it("?before=1e309 on the audit log is a 400", async () => {
    expect((await send(req({ method: "GET", path: "/admin/audit?before=1e309", who: 0 }))).status).toBe(400);
    expect((await send(req({ method: "GET", path: "/admin/audit?before=12", who: 0 }))).status).toBe(200);
  });

  it("a non-UUID id is a 404", async () => {
    for (const p of [
      "/institutions/not-a-uuid",
      "/institutions/not-a-uuid/plans",
      "/evidence/1e309",
      `${reporterInst()}/reports/xyz`,
    ])
      expect((await send(req({ method: "GET", path: p, who: 0 }))).status, p).toBe(404);
  });

  it("a 1 MB fromStage on sign-off is refused at the edge and never reaches the workflow", async () => {
    const before = await checksums();
    const a = await send(
      req({
        method: "POST",
        path: `${await awaiting()}/sign-off`,
        who: 1,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: urlencoded([
          ["csrf", "$CSRF"],
          ["fromStage", "s".repeat(1_000_000)],
        ]),
      }),
    );
    expect(a.status).toBe(422);
    expect(await checksums()).toEqual(before);
  });

  it("TRACE, an undecodable address and a bad Host are 4xx without a stack, signed in or not", async () => {
    for (const r of [
      req({ method: "TRACE", path: "/login", who: 5 }),
      req({ method: "GET", path: "/institutions/%ZZ", who: 5 }),
      req({ method: "GET", path: "/institutions/%ZZ", who: 0 }),
      req({ method: "GET", path: "/login", who: 5, headers: { Host: "bad host/" } }),
    ]) {
      const a = await send(r);
      expect(a.status, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      expect(a.body).not.toMatch(STACK);
      expect(a.body).toContain("Request id");
    }
  });
});
