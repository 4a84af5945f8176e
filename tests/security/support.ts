import type { Kysely } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../db/schema";
import { startApp, type RunningApp } from "../support/app";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The real app (same entry point as `npm start`: Temporal dev server, worker, web server, demo
 * data) on free ports, with its database on the PostgreSQL server so a test can read and write
 * it while the app runs. Clients speak plain HTTP and keep their own cookie.
 */

export const DEMO_PASSWORD = "pathways-demo";
export const SESSION_COOKIE = "pathways_session";
export const DEMO = {
  admin: "admin@pathways.example",
  officer: "officer@pathways.example",
  manager: "manager@pathways.example",
  reporter: "reporter@pathways.example",
  reporter2: "reporter2@pathways.example",
  viewer: "viewer@pathways.example",
} as const;

export interface SecurityApp {
  url: string;
  db: Kysely<Database>;
  /** The database's URL, for a command run against it from a shell. */
  dbUrl: string;
  dataDir: string;
  app: RunningApp;
}

export interface Started {
  /** Set once everything is up; undefined when start-up failed part-way. */
  current?: SecurityApp;
  stop(): Promise<void>;
}

/** Starts the app on a fresh PostgreSQL database; `stop()` always cleans up what did start. */
export function securityApp(env: Record<string, string> = {}): Started & { start(): Promise<SecurityApp> } {
  let testDb: TestDb | undefined;
  let app: RunningApp | undefined;
  let dataDir: string | undefined;
  const started: Started & { start(): Promise<SecurityApp> } = {
    async start() {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "pathways-security-"));
      testDb = await createTestDb("postgres");
      app = await startApp({ dataDir, env: { DATABASE_URL: testDb.url, ...env } });
      started.current = { url: app.url, db: testDb.db, dbUrl: testDb.url, dataDir, app };
      return started.current;
    },
    async stop() {
      const problems: unknown[] = [];
      try {
        if (app) await app.stop();
      } catch (e) {
        problems.push(e);
      }
      try {
        if (testDb) await testDb.close();
      } catch (e) {
        problems.push(e);
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (problems.length) throw problems[0];
    },
  };
  return started;
}

export type Fields = Record<string, string | string[]>;

function urlencoded(fields: Fields): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}

function multipart(fields: Fields): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}

export interface PostOptions {
  /** The CSRF token to put in the form: the session's (default), another, or none. */
  csrf?: string | null;
  encoding?: "urlencoded" | "multipart";
  headers?: Record<string, string>;
}

/** One browser: a session cookie (or none) and the CSRF token its pages carry. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(readonly base: string) {}

  /** A second browser holding the same cookie (a stolen or an old cookie). */
  copy(): Client {
    const c = new Client(this.base);
    c.cookie = this.cookie;
    c.csrf = this.csrf;
    return c;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { Cookie: `${SESSION_COOKIE}=${this.cookie}` } : {}), ...extra };
  }

  get(p: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.base + p, { redirect: "manual", headers: this.headers(headers) });
  }

  async post(p: string, fields: Fields, opts: PostOptions = {}): Promise<Response> {
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const all: Fields = csrf === null ? { ...fields } : { csrf, ...fields };
    const body = opts.encoding === "multipart" ? multipart(all) : urlencoded(all);
    return fetch(this.base + p, { method: "POST", redirect: "manual", headers: this.headers(opts.headers), body });
  }

  /** Signs in through the form; keeps the cookie and the CSRF token on success. */
  async signIn(email: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.base}/login`, {
      method: "POST",
      redirect: "manual",
      headers,
      body: urlencoded({ email, password, redirectTo: "/institutions" }),
    });
    const token = sessionCookieOf(res);
    if (res.status === 302 && token) {
      this.cookie = token;
      this.csrf = await this.pageCsrf();
    }
    return res;
  }

  /** The CSRF token in the hidden `csrf` input every signed-in page carries (the sign-out form). */
  async pageCsrf(): Promise<string> {
    let res = await this.get("/institutions");
    // A reporter's list is their institution's page: follow the list there.
    const to = res.status === 302 ? res.headers.get("Location") : null;
    if (to?.startsWith("/institutions/")) res = await this.get(to);
    const html = await res.text();
    const token = csrfIn(html);
    if (res.status !== 200 || !token) throw new Error(`No CSRF token on /institutions (status ${res.status})`);
    return token;
  }
}

export function csrfIn(html: string): string | null {
  return /<input type="hidden" name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

export function hiddenValue(html: string, name: string): string | null {
  return new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? null;
}

export function setCookies(res: Response): string[] {
  return res.headers.getSetCookie();
}

/** The session token a response sets (empty string when it clears the cookie), or null. */
export function sessionCookieOf(res: Response): string | null {
  for (const c of setCookies(res)) {
    const m = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return null;
}

export function isLoginRedirect(res: Response): boolean {
  return res.status === 302 && (res.headers.get("Location") ?? "").startsWith("/login");
}

export async function signedIn(base: string, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const c = new Client(base);
  const res = await c.signIn(email, password);
  if (res.status !== 302 || !c.cookie) throw new Error(`Could not sign in as ${email}: ${res.status}`);
  return c;
}

/** count(*) as a number (pg returns bigint counts as strings). */
export async function count(
  db: Kysely<Database>,
  table: keyof Database | `${keyof Database} as ${string}`,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table of the schema, filtered by the caller
  where: (q: any) => any = (q) => q,
): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const row = await where(db.selectFrom(table as any).select((eb: any) => eb.fn.countAll().as("n"))).executeTakeFirstOrThrow();
  return Number((row as { n: unknown }).n);
}
