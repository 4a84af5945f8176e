import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { randomToken, sha256, SESSION_COOKIE } from "../../app/platform/auth.server";
import { insertSession } from "../../db/queries/sessions";
import { createUser } from "../../db/queries/users";
import type { Database, UserRole } from "../../db/schema";

export interface TestSession {
  userId: string;
  email: string;
  cookie: string;
  csrf: string;
}

/** A user of this role with a live session, made straight in the database (sign-in itself is tested elsewhere). */
export async function signInAs(
  db: Kysely<Database>,
  role: UserRole,
  opts: { institutionId?: string; countries?: string[]; name?: string } = {},
): Promise<TestSession> {
  const userId = randomUUID();
  const email = `${role}-${userId.slice(0, 8)}@pathways.test`;
  const now = new Date();
  await createUser(
    db,
    {
      id: userId,
      email,
      name: opts.name ?? `Test ${role}`,
      role,
      institutionId: opts.institutionId ?? null,
      countries: opts.countries ?? [],
      passwordHash: null,
    },
    "test",
    now,
  );
  const token = randomToken();
  const csrf = randomToken();
  await insertSession(db, {
    id: sha256(token),
    userId,
    csrfToken: csrf,
    at: now,
    expiresAt: new Date(now.getTime() + 3600_000),
    userAgent: "test",
    ip: "127.0.0.1",
  });
  return { userId, email, cookie: `${SESSION_COOKIE}=${token}`, csrf };
}

/** The request as this session's browser sends it: its cookie, and its CSRF token in a form body. */
export async function asSession(request: Request, s: TestSession): Promise<Request> {
  const headers = new Headers(request.headers);
  headers.set("Cookie", s.cookie);
  if (request.method === "GET" || request.method === "HEAD") return new Request(request.url, { headers });
  const type = headers.get("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const body = new URLSearchParams(await request.text());
    if (!body.has("csrf")) body.set("csrf", s.csrf);
    return new Request(request.url, { method: request.method, headers, body });
  }
  return new Request(request.url, { method: request.method, headers, body: await request.arrayBuffer() });
}
