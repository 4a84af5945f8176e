import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_AWAITING_SIGN_OFF } from "../../db/seed";
import {
  Client,
  DEMO,
  DEMO_PASSWORD,
  SESSION_COOKIE,
  count,
  isLoginRedirect,
  securityApp,
  sessionCookieOf,
  setCookies,
  signedIn,
  type SecurityApp,
} from "./support";

/**
 * Issue 3's promises about accounts and sessions, against the real running app over HTTP:
 * sign-in, cookies, sign-out, revoking, throttling, reset links, disabled accounts, CSRF and
 * cross-site refusals, idle and absolute timeouts.
 */

const started = securityApp();
let s: SecurityApp;
let base: string;
let admin: Client;

beforeAll(async () => {
  s = await started.start();
  base = s.url;
  admin = await signedIn(base, DEMO.admin);
});
afterAll(async () => {
  await started.stop();
});

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

async function userId(email: string): Promise<string> {
  const row = await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return row.id;
}

async function opens(c: Client, path = "/institutions"): Promise<boolean> {
  const res = await c.get(path);
  await res.arrayBuffer();
  if (res.status === 200) return true;
  if (isLoginRedirect(res)) return false;
  throw new Error(`Unexpected ${res.status} for ${path}`);
}

/** The one-time link an admin action shows, as a path on this site. */
async function resetLinkIn(res: Response): Promise<string> {
  const html = await res.text();
  const m = /<code class="reset-link">https?:\/\/[^/]+(\/reset-password\/[A-Za-z0-9_-]+)<\/code>/.exec(html);
  if (!m) throw new Error(`No reset link in the answer (status ${res.status})`);
  return m[1];
}

let created = 0;
/** A new account made the way an administrator makes one, with its password set through the one-time link. */
async function newAccount(password: string, role = "viewer"): Promise<{ email: string; id: string }> {
  const email = `person${++created}-${Date.now()}@pathways.example`;
  const res = await admin.post("/admin/users", { intent: "create", name: `Person ${created}`, email, role });
  expect(res.status).toBe(200);
  const link = await resetLinkIn(res);
  const anonymous = new Client(base);
  const set = await anonymous.post(link, { password, confirm: password }, { csrf: null });
  expect(set.status).toBe(302);
  return { email, id: await userId(email) };
}

describe("signing in", () => {
  it("sends a visitor without a session to the sign-in page, keeping where they were going", async () => {
    const anonymous = new Client(base);
    const res = await anonymous.get("/institutions?country=GH");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/institutions?country=GH")}`);

    const forged = new Client(base);
    forged.cookie = "not-a-session-token";
    expect(isLoginRedirect(await forged.get("/institutions"))).toBe(true);
  });

  it("refuses a wrong password (and an unknown email alike) with 401, a message and no session cookie", async () => {
    const before = await count(s.db, "sessions");
    for (const email of [DEMO.viewer, "nobody@pathways.example"]) {
      const res = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ email, password: "not-the-password" }),
      });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("The email or the password is not right.");
      expect(sessionCookieOf(res)).toBeNull();
    }
    expect(await count(s.db, "sessions")).toBe(before);
  });

  it("answers the right password with 302 and an HttpOnly, SameSite=Lax session cookie; the database keeps only its hash", async () => {
    const c = new Client(base);
    const res = await c.signIn(DEMO.viewer);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/institutions");
    const [cookie] = setCookies(res).filter((h) => h.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200$`));
    expect(cookie).not.toContain("Secure"); // plain http, no proxy saying otherwise
    const token = sessionCookieOf(res)!;
    expect(await count(s.db, "sessions", (q) => q.where("id", "=", sha256(token)))).toBe(1);
    expect(await count(s.db, "sessions", (q) => q.where("id", "=", token))).toBe(0);
    expect(await opens(c)).toBe(true);
  });

  it("sends a signed-in user only to a path on this site (no open redirect through redirectTo)", async () => {
    const origin = new URL(base).origin;
    const hostile = [
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example/",
      "/\t/evil.example",
      "/\n/evil.example",
      " //evil.example",
      "javascript:alert(1)",
    ];
    for (const redirectTo of hostile) {
      const res = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ email: DEMO.viewer, password: DEMO_PASSWORD, redirectTo }),
      });
      const location = res.headers.get("Location") ?? "";
      expect({ redirectTo, status: res.status, lands: new URL(location, base).origin }).toEqual({
        redirectTo,
        status: 302,
        lands: origin,
      });
    }
    const fine = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: DEMO.viewer, password: DEMO_PASSWORD, redirectTo: "/institutions?country=GH" }),
    });
    expect(fine.headers.get("Location")).toBe("/institutions?country=GH");
  });

  it("refuses a sign-in posted from another site (login CSRF)", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "http://evil.example" },
      body: new URLSearchParams({ email: DEMO.viewer, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(sessionCookieOf(res)).toBeNull();
  });

  it("marks the cookie Secure when the request came over https through a proxy (X-Forwarded-Proto)", async () => {
    const res = await new Client(base).signIn(DEMO.viewer, DEMO_PASSWORD, { "X-Forwarded-Proto": "https" });
    expect(res.status).toBe(302);
    const [cookie] = setCookies(res).filter((h) => h.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie.split("; ")).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Secure"]));
  });

  it("gives every sign-in a new session token and CSRF token", async () => {
    const one = await signedIn(base, DEMO.manager);
    const two = await signedIn(base, DEMO.manager);
    expect(one.cookie).not.toBe(two.cookie);
    expect(one.csrf).not.toBe(two.csrf);
    expect(await opens(one)).toBe(true);
    expect(await opens(two)).toBe(true);
  });

  it("does not sign in a disabled account, and disabling ends its live sessions", async () => {
    const person = await newAccount("a long enough password 1");
    const live = await signedIn(base, person.email, "a long enough password 1");
    const res = await admin.post("/admin/users", { intent: "disable", userId: person.id });
    expect(res.status).toBe(200);
    expect(await opens(live)).toBe(false);
    const attempt = await new Client(base).signIn(person.email, "a long enough password 1");
    expect(attempt.status).toBe(401);
    expect(sessionCookieOf(attempt)).toBeNull();

    expect((await admin.post("/admin/users", { intent: "enable", userId: person.id })).status).toBe(200);
    expect((await new Client(base).signIn(person.email, "a long enough password 1")).status).toBe(302);
  });
});

describe("ending sessions", () => {
  it("signing out ends the session: the old cookie no longer opens a page", async () => {
    const c = await signedIn(base, DEMO.reporter);
    const stolen = c.copy();
    const res = await c.post("/logout", {});
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
    expect(setCookies(res).find((h) => h.startsWith(`${SESSION_COOKIE}=`))).toMatch(/^pathways_session=; .*Max-Age=0/);
    expect(await opens(stolen)).toBe(false);
    const row = await s.db
      .selectFrom("sessions")
      .select("revoked_at")
      .where("id", "=", sha256(stolen.cookie!))
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
  });

  it("an administrator's End sessions signs another user out everywhere at once", async () => {
    const laptop = await signedIn(base, DEMO.reporter2);
    const phone = await signedIn(base, DEMO.reporter2);
    const res = await admin.post("/admin/users", { intent: "revoke", userId: await userId(DEMO.reporter2) });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/[2-9]\d* sessions of Dewi Lestari ended/);
    expect(await opens(laptop)).toBe(false);
    expect(await opens(phone)).toBe(false);
    expect(await opens(admin)).toBe(true);
    const reporter2 = await userId(DEMO.reporter2);
    expect(
      await count(s.db, "audit_log", (q) => q.where("action", "=", "user.sessions_revoked").where("entity_id", "=", reporter2)),
    ).toBe(1);
  });

  it("a session idle longer than SESSION_IDLE_MINUTES (60) is over; activity keeps it alive", async () => {
    const idle = await signedIn(base, DEMO.viewer);
    const active = await signedIn(base, DEMO.viewer);
    const ago = (min: number) => new Date(Date.now() - min * 60_000);
    await s.db
      .updateTable("sessions")
      .set({ last_seen_at: ago(61) })
      .where("id", "=", sha256(idle.cookie!))
      .execute();
    await s.db
      .updateTable("sessions")
      .set({ last_seen_at: ago(59) })
      .where("id", "=", sha256(active.cookie!))
      .execute();
    expect(await opens(idle)).toBe(false);
    expect(await opens(active)).toBe(true);
    const seen = await s.db
      .selectFrom("sessions")
      .select("last_seen_at")
      .where("id", "=", sha256(active.cookie!))
      .executeTakeFirstOrThrow();
    expect(Date.now() - seen.last_seen_at.getTime()).toBeLessThan(60_000); // the visit moved it forward
  });

  it("a session past its absolute expiry is over however active it is", async () => {
    const c = await signedIn(base, DEMO.viewer);
    await s.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", sha256(c.cookie!))
      .execute();
    expect(await opens(c)).toBe(false);
  });
});

describe("one-time reset links", () => {
  it("a reset link sets a new password once, ends the old sessions, and answers 404 the second time", async () => {
    const manager = await signedIn(base, DEMO.manager);
    const res = await admin.post("/admin/users", { intent: "reset-link", userId: await userId(DEMO.manager) });
    expect(res.status).toBe(200);
    const link = await resetLinkIn(res);
    const anonymous = new Client(base);

    const page = await anonymous.get(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(DEMO.manager);
    // A form mistake does not use up the link.
    expect(
      (await anonymous.post(link, { password: "new password for minh", confirm: "something else" }, { csrf: null })).status,
    ).toBe(400);
    const set = await anonymous.post(
      link,
      { password: "new password for minh", confirm: "new password for minh" },
      { csrf: null },
    );
    expect(set.status).toBe(302);
    expect(set.headers.get("Location")).toBe("/login");
    expect(setCookies(set).some((c) => c.startsWith("pathways_flash="))).toBe(true);

    expect(await opens(manager)).toBe(false);
    expect((await new Client(base).signIn(DEMO.manager, DEMO_PASSWORD)).status).toBe(401);
    expect((await new Client(base).signIn(DEMO.manager, "new password for minh")).status).toBe(302);

    expect((await anonymous.get(link)).status).toBe(404);
    const again = await anonymous.post(
      link,
      { password: "an attacker's password", confirm: "an attacker's password" },
      { csrf: null },
    );
    expect(again.status).toBe(404);
    expect((await new Client(base).signIn(DEMO.manager, "an attacker's password")).status).toBe(401);
    expect((await new Client(base).get("/reset-password/made-up-token")).status).toBe(404);
  });
});

describe("CSRF and cross-site writes", () => {
  let target: { id: string; stage: string };
  let report: { id: string; institutionId: string };

  beforeAll(async () => {
    target = await s.db
      .selectFrom("institutions")
      .select(["id", "stage_key as stage"])
      .where("name", "=", DEMO_AWAITING_SIGN_OFF[0])
      .executeTakeFirstOrThrow();
    report = await s.db
      .selectFrom("milestone_reports")
      .select(["id", "institution_id as institutionId"])
      .where("status", "=", "submitted")
      .where("institution_id", "!=", target.id)
      .orderBy("id")
      .executeTakeFirstOrThrow();
  });

  const snapshot = async () => ({
    stage: (await s.db.selectFrom("institutions").select("stage_key").where("id", "=", target.id).executeTakeFirstOrThrow())
      .stage_key,
    transitions: await count(s.db, "stage_transitions", (q) => q.where("institution_id", "=", target.id)),
    report: await s.db
      .selectFrom("milestone_reports")
      .select(["status", "decided_by"])
      .where("id", "=", report.id)
      .executeTakeFirstOrThrow(),
  });

  const signOff = () => [`/institutions/${target.id}/sign-off`, { fromStage: target.stage, note: "csrf test" }] as const;
  const decide = () =>
    [`/institutions/${report.institutionId}/reports/${report.id}`, { decision: "verify", comment: "" }] as const;

  it("refuses a POST with the session cookie but no, a wrong or another session's token (plain and multipart forms): 403, nothing changes", async () => {
    const before = await snapshot();
    const other = await signedIn(base, DEMO.admin);
    const attempts: [string, Awaited<ReturnType<typeof admin.post>>][] = [];
    for (const [path, fields] of [signOff(), decide()]) {
      for (const encoding of ["urlencoded", "multipart"] as const) {
        attempts.push([`${path} ${encoding} without token`, await admin.post(path, fields, { csrf: null, encoding })]);
        attempts.push([`${path} ${encoding} wrong token`, await admin.post(path, fields, { csrf: "x".repeat(43), encoding })]);
        attempts.push([
          `${path} ${encoding} other session's token`,
          await admin.post(path, fields, { csrf: other.csrf, encoding }),
        ]);
      }
    }
    for (const [what, res] of attempts) expect({ what, status: res.status }).toEqual({ what, status: 403 });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses cross-site POSTs (Origin or Sec-Fetch-Site) even with a valid cookie and token: 403, nothing changes", async () => {
    const before = await snapshot();
    const crossSite: Record<string, string>[] = [
      { Origin: "http://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: base, "Sec-Fetch-Site": "cross-site" },
    ];
    for (const [path, fields] of [signOff(), decide()])
      for (const headers of crossSite)
        for (const encoding of ["urlencoded", "multipart"] as const) {
          const res = await admin.post(path, fields, { headers, encoding });
          expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 403 });
          expect(await res.text()).toContain("Cross-site requests cannot change anything here.");
        }
    expect(await snapshot()).toEqual(before);
  });

  it("other methods and no session are refused too: PUT/PATCH/DELETE answer 405 with or without the token, OPTIONS runs no action, no cookie answers 401", async () => {
    const before = await snapshot();
    const [path, fields] = signOff();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const noToken = await fetch(base + path, {
        method,
        redirect: "manual",
        headers: admin.headers(),
        body: new URLSearchParams(fields),
      });
      // The app's forms only GET and POST: other methods are refused at the edge, before any token check.
      expect({ method, status: noToken.status }).toEqual({ method, status: 405 });
      const withToken = await fetch(base + path, {
        method,
        redirect: "manual",
        headers: admin.headers({ Origin: base, "Sec-Fetch-Site": "same-origin" }),
        body: new URLSearchParams({ csrf: admin.csrf!, ...fields }),
      });
      expect({ method, status: withToken.status }).toEqual({ method, status: 405 });
      const crossSite = await fetch(base + path, {
        method,
        redirect: "manual",
        headers: admin.headers({ Origin: "http://evil.example" }),
        body: new URLSearchParams({ csrf: admin.csrf!, ...fields }),
      });
      expect({ method, status: crossSite.status }).toEqual({ method, status: 405 });
    }
    const options = await fetch(base + path, {
      method: "OPTIONS",
      redirect: "manual",
      headers: admin.headers(),
      body: new URLSearchParams({ csrf: admin.csrf!, ...fields }),
    });
    expect(options.status).toBeGreaterThanOrEqual(400);
    const anonymous = await new Client(base).post(path, fields, { csrf: admin.csrf });
    expect(anonymous.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("the same requests from this site with the session's token do go through (so the refusals above were about CSRF)", async () => {
    const sameSite = { Origin: base, "Sec-Fetch-Site": "same-origin" };
    const decided = await admin.post(...decide(), { headers: sameSite });
    expect(decided.status).toBe(302);
    const signed = await admin.post(...signOff(), { headers: sameSite, encoding: "multipart" });
    expect(signed.status).toBe(302);
    const after = await snapshot();
    expect(after.report.status).toBe("verified");
    expect(after.stage).not.toBe(target.stage);
  });

  it("ending sessions, signing out and marking notifications need the token too", async () => {
    const victim = await signedIn(base, DEMO.viewer);
    const victimId = await userId(DEMO.viewer);
    for (const encoding of ["urlencoded", "multipart"] as const) {
      expect((await admin.post("/admin/users", { intent: "revoke", userId: victimId }, { csrf: null, encoding })).status).toBe(
        403,
      );
      expect(
        (await admin.post("/admin/users", { intent: "disable", userId: victimId }, { csrf: "wrong", encoding })).status,
      ).toBe(403);
      expect((await victim.post("/logout", {}, { csrf: null, encoding })).status).toBe(403);
      expect((await admin.post("/notifications", { intent: "all" }, { csrf: null, encoding })).status).toBe(403);
    }
    expect(await opens(victim)).toBe(true);
    const user = await s.db.selectFrom("users").select("status").where("id", "=", victimId).executeTakeFirstOrThrow();
    expect(user.status).toBe("active");
    const adminId = await userId(DEMO.admin);
    expect(await count(s.db, "notification_reads", (q) => q.where("user_id", "=", adminId))).toBe(0);
  });
});

describe("throttling sign-in", () => {
  it("wrong passwords slow the account down from that address only; the right password works after the wait and from elsewhere", async () => {
    const person = await newAccount("the right password 42");
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await new Client(base).signIn(person.email, `wrong ${i}`)).status);
    // Three free tries, then a wait of 1 s after the third failure: the next at once is refused unchecked.
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toContain(429);
    const now = await new Client(base).signIn(person.email, "the right password 42");
    expect(now.status).toBe(429);
    expect(Number(now.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await now.text()).toContain("Wait");
    expect(sessionCookieOf(now)).toBeNull();
    // Failures from another address (an attacker elsewhere) do not hold the owner up here…
    const { ip } = await s.db
      .selectFrom("login_attempts")
      .select("ip")
      .where("email", "=", person.email)
      .executeTakeFirstOrThrow();
    await s.db
      .insertInto("login_attempts")
      .values(Array.from({ length: 30 }, () => ({ email: person.email, ip: "203.0.113.66", succeeded: false, at: new Date() })))
      .execute();
    // …and once the wait is over (the failures here moved a minute back), the right password signs in.
    await s.db
      .updateTable("login_attempts")
      .set({ at: new Date(Date.now() - 61_000) })
      .where("email", "=", person.email)
      .where("ip", "=", ip)
      .execute();
    expect((await new Client(base).signIn(person.email, "the right password 42")).status).toBe(302);
    // The administrator's own account is never locked by someone else's guesses either.
    await s.db
      .insertInto("login_attempts")
      .values(Array.from({ length: 30 }, () => ({ email: DEMO.admin, ip: "203.0.113.66", succeeded: false, at: new Date() })))
      .execute();
    expect((await new Client(base).signIn(DEMO.admin)).status).toBe(302);
  });

  it("20 wrong passwords sent at once for one account: only the first few are tried, the rest answer 429", async () => {
    const person = await newAccount("parallel right password");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => new Client(base).signIn(person.email, `guess number ${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
    const tried = statuses.filter((x) => x === 401).length;
    expect(tried).toBeLessThanOrEqual(5);
    // Requests refused unchecked are not counted: the account has exactly the guesses that were tried.
    expect(await count(s.db, "login_attempts", (q) => q.where("email", "=", person.email).where("succeeded", "=", false))).toBe(
      tried,
    );
  });

  it("the administrator sees an account being slowed down on /admin/users and lifts it", async () => {
    const person = await newAccount("lift me please");
    await s.db
      .insertInto("login_attempts")
      .values(Array.from({ length: 9 }, () => ({ email: person.email, ip: "127.0.0.1", succeeded: false, at: new Date() })))
      .execute();
    await s.db
      .insertInto("login_attempts")
      .values(
        Array.from({ length: 9 }, () => ({ email: person.email, ip: "::ffff:127.0.0.1", succeeded: false, at: new Date() })),
      )
      .execute();
    expect((await new Client(base).signIn(person.email, "lift me please")).status).toBe(429);
    const page = await (await admin.get("/admin/users")).text();
    expect(page).toContain(`data-slowed="${person.email}"`);
    const lifted = await admin.post("/admin/users", { intent: "unlock", email: person.email });
    expect(lifted.status).toBe(200);
    expect(await count(s.db, "login_attempts", (q) => q.where("email", "=", person.email).where("succeeded", "=", false))).toBe(
      0,
    );
    expect((await new Client(base).signIn(person.email, "lift me please")).status).toBe(302);
    expect(await (await admin.get("/admin/users")).text()).not.toContain(`data-slowed="${person.email}"`);
  });

  it("after 20 failures from one address every account answers 429 there; X-Forwarded-For does not get round it", async () => {
    const person = await newAccount("another right password");
    const { ip } = await s.db.selectFrom("login_attempts").select("ip").orderBy("id", "desc").executeTakeFirstOrThrow();
    const at = new Date();
    const planted = await s.db
      .insertInto("login_attempts")
      .values(Array.from({ length: 20 }, (_, i) => ({ email: `spray${i}@pathways.example`, ip, succeeded: false, at })))
      .returning("id")
      .execute();
    try {
      const direct = await new Client(base).signIn(person.email, "another right password");
      expect(direct.status).toBe(429);
      const spoofed = await new Client(base).signIn(person.email, "another right password", { "X-Forwarded-For": "203.0.113.7" });
      expect(spoofed.status).toBe(429);
    } finally {
      await s.db
        .deleteFrom("login_attempts")
        .where(
          "id",
          "in",
          planted.map((r) => r.id),
        )
        .execute();
    }
    expect((await new Client(base).signIn(person.email, "another right password")).status).toBe(302);
  });
});

describe("a short idle timeout (SESSION_IDLE_MINUTES=1, a second app)", () => {
  const short = securityApp({ SESSION_IDLE_MINUTES: "1" });
  let app: SecurityApp;
  beforeAll(async () => {
    app = await short.start();
  });
  afterAll(async () => {
    await short.stop();
  });

  it("keeps a user active every 40 seconds signed in, and ends a session idle for over a minute", async () => {
    const active = await signedIn(app.url, DEMO.viewer);
    const idle = await signedIn(app.url, DEMO.viewer);
    const setSeen = (c: Client, secondsAgo: number) =>
      app.db
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - secondsAgo * 1000) })
        .where("id", "=", sha256(c.cookie!))
        .execute();
    const seen = async (c: Client) =>
      (
        await app.db.selectFrom("sessions").select("last_seen_at").where("id", "=", sha256(c.cookie!)).executeTakeFirstOrThrow()
      ).last_seen_at.getTime();

    // Last request 40 s ago: this one counts as activity and moves last_seen_at forward…
    await setSeen(active, 40);
    expect(await opens(active)).toBe(true);
    expect(Date.now() - (await seen(active))).toBeLessThan(10_000);
    // …so 40 s later it is still alive (before the fix it was not moved, and died here).
    await app.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date((await seen(active)) - 40_000) })
      .where("id", "=", sha256(active.cookie!))
      .execute();
    expect(await opens(active)).toBe(true);

    await setSeen(idle, 61);
    expect(await opens(idle)).toBe(false);
  });
});
