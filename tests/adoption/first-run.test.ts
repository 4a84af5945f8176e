import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../app/platform/auth.server";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { Client, count, securityApp, type SecurityApp } from "../security/support";

/**
 * The first run without demo data, on an empty PostgreSQL database: `npm start` prints a
 * one-time link, `npm run admin:create` prints another, the link creates the first ILO
 * administrator once, expired and used links are refused, every step is audited, and the new
 * administrator signs in.
 */

const tsx = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const started = securityApp({ DEMO_DATA: "false" });
let s: SecurityApp;

beforeAll(async () => {
  s = await started.start();
});
afterAll(async () => {
  await started.stop();
});

/**
 * `npm run admin:create` against the app's database. Run without blocking: a blocked event loop
 * would miss the server closing idle keep-alive sockets and the next fetch would reuse a dead one.
 */
function adminCreate(email: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, "scripts/admin-create.ts", "--email", email, "--url", s.url],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: s.dbUrl }, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const linkIn = (text: string) => /(http:\/\/\S+\/setup\/([\w-]+))/.exec(text);
const PASSWORD = "a long first password";

describe("first run without demo data", () => {
  it("starts with no account and prints a one-time set-up link", async () => {
    expect(await count(s.db, "users")).toBe(0);
    const printed = linkIn(s.app.output());
    expect(printed, s.app.output()).not.toBeNull();
    expect(printed![1].startsWith(`${s.url}/setup/`)).toBe(true);
    // Stored hashed: the token itself is nowhere in the table.
    const rows = await s.db.selectFrom("setup_tokens").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(sha256(printed![2]));
    expect(rows[0].id).not.toContain(printed![2]);
    expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBe(24 * 3600_000);
    const page = await fetch(printed![1]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Create the first administrator");
    expect(await count(s.db, "audit_log", (q) => q.where("action", "=", "setup.link_issued"))).toBe(1);
  });

  it("refuses an expired link and an unknown one", async () => {
    const token = "expired-token-of-the-test";
    await s.db
      .insertInto("setup_tokens")
      .values({
        id: sha256(token),
        email: null,
        created_by: "test",
        created_at: new Date(Date.now() - 25 * 3600_000),
        expires_at: new Date(Date.now() - 3600_000),
      })
      .execute();
    expect((await fetch(`${s.url}/setup/${token}`)).status).toBe(404);
    const post = await fetch(`${s.url}/setup/${token}`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: "x@y.org", name: "Late Person", password: PASSWORD, confirm: PASSWORD }),
    });
    expect(post.status).toBe(404);
    expect((await fetch(`${s.url}/setup/nothing-like-a-token`)).status).toBe(404);
    expect(await count(s.db, "users")).toBe(0);
  });

  let cliLink = "";
  it("`npm run admin:create` prints a link for one address from a shell; the earlier link stops working", async () => {
    const before = linkIn(s.app.output())![1];
    const res = await adminCreate("Director@Programme.example");
    expect(res.status, res.stderr).toBe(0);
    const printed = linkIn(res.stdout);
    expect(printed).not.toBeNull();
    cliLink = printed![1];
    expect((await fetch(before)).status).toBe(404);
    const page = await fetch(cliLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("director@programme.example");
  });

  it("creates the first administrator once, with the password rules of every other form, audited", async () => {
    const post = (fields: Record<string, string>) =>
      fetch(cliLink, { method: "POST", redirect: "manual", body: new URLSearchParams(fields) });
    const short = await post({ name: "Programme Director", password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("Use at least");
    expect(await count(s.db, "users")).toBe(0);

    const ok = await post({
      email: "someone-else@example.org",
      name: "Programme Director",
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/login");
    const users = await s.db.selectFrom("users").select(["email", "role", "name", "id"]).execute();
    // The link was made for one address: that one is used, whatever the form says.
    expect(users).toEqual([
      expect.objectContaining({ email: "director@programme.example", role: "ilo_admin", name: "Programme Director" }),
    ]);
    const used = await s.db
      .selectFrom("setup_tokens")
      .selectAll()
      .where("id", "=", sha256(cliLink.split("/setup/")[1]))
      .executeTakeFirstOrThrow();
    expect(used.used_at).not.toBeNull();
    expect(used.used_by).toBe(users[0].id);
    const audit = await s.db
      .selectFrom("audit_log")
      .select(["action", "actor"])
      .where("action", "in", ["setup.link_used", "user.created"])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "setup.link_used", actor: "director@programme.example" },
        { action: "user.created", actor: "setup-link:director@programme.example" },
      ]),
    );

    // A second use, and any set-up link at all once an administrator exists: gone.
    const again = await post({ email: "x@example.org", name: "Second Person", password: PASSWORD, confirm: PASSWORD });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("Pathways is set up already");
    const gone = await fetch(cliLink);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain("Pathways is set up already");
    expect(await count(s.db, "users")).toBe(1);
    const late = await adminCreate("another@example.org");
    expect(late.status).toBe(1);
    expect(late.stderr).toContain("An administrator exists already");
  });

  it("the new administrator signs in and administers", async () => {
    const c = new Client(s.url);
    const res = await c.signIn("director@programme.example", PASSWORD);
    expect(res.status).toBe(302);
    expect((await c.get("/admin/users")).status).toBe(200);
  });
});
