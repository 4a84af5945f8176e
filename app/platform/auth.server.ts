import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { findLiveSession, insertSession, revokeSession, touchSession } from "../../db/queries/sessions";
import type { Actor } from "./access.server";

/**
 * Sessions live in the database, so signing out or an administrator's revoke ends them at once.
 * The cookie holds a random token; the table holds only its SHA-256.
 */

export const SESSION_COOKIE = "pathways_session";

/** The user a live session or API token belongs to, as the policy sees them: only an officer is limited to countries. */
export function actorOf(row: {
  user_id: string;
  name: string;
  email: string;
  role: Actor["role"];
  institution_id: string | null;
  countries: string[];
  locale: string | null;
}): Actor {
  return {
    id: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    institutionId: row.institution_id,
    countries: row.role === "ilo_officer" ? row.countries : "all",
    locale: row.locale,
  };
}
const TOUCH_EVERY_MS = 60_000;

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export function isSecure(request: Request, context: AppLoadContext): boolean {
  const setting = context.config.COOKIE_SECURE;
  if (setting !== "auto") return setting === "true";
  return new URL(request.url).protocol === "https:" || request.headers.get("X-Forwarded-Proto") === "https";
}

function cookie(request: Request, context: AppLoadContext, value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (isSecure(request, context)) parts.push("Secure");
  return parts.join("; ");
}

export interface SessionInfo {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

/** The signed-in user's session, or null. Sliding idle timeout; absolute expiry from sign-in. */
/**
 * The root loader and the page's loader of one page request both need the session: they share
 * one lookup (the load context is made once per request). Only for reads: an action may end or
 * change the session, and the loaders that run after it must see that.
 */
const sessionsOfRequest = new WeakMap<AppLoadContext, Map<string, Promise<SessionInfo | null>>>();

export function getSession(request: Request, context: AppLoadContext, now = new Date()): Promise<SessionInfo | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return Promise.resolve(null);
  // A context without a request id is not the web server's per-request one (a script's, a test's
  // that serves many requests): nothing is shared through it.
  if ((request.method !== "GET" && request.method !== "HEAD") || !context.requestId) return lookUpSession(token, context, now);
  let known = sessionsOfRequest.get(context);
  if (!known) sessionsOfRequest.set(context, (known = new Map()));
  let found = known.get(token);
  if (!found) {
    found = lookUpSession(token, context, now);
    known.set(token, found);
    // A failed lookup (the database went away) is not kept.
    found.catch(() => known.delete(token));
  }
  return found;
}

async function lookUpSession(token: string, context: AppLoadContext, now: Date): Promise<SessionInfo | null> {
  const idleMs = context.config.SESSION_IDLE_MINUTES * 60_000;
  const row = await findLiveSession(context.db, sha256(token), now, new Date(now.getTime() - idleMs));
  if (!row) return null;
  // Well within the idle timeout, however short it is set, so an active user is never timed out.
  if (now.getTime() - row.last_seen_at.getTime() > Math.min(TOUCH_EVERY_MS, idleMs / 4))
    await touchSession(context.db, row.session_id, now);
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    actor: actorOf(row),
  };
}

/** Starts a new session (a new id at every sign-in) and returns the Set-Cookie header. */
export async function startSession(request: Request, context: AppLoadContext, userId: string, now = new Date()): Promise<string> {
  const token = randomToken();
  const maxAgeSeconds = context.config.SESSION_MAX_HOURS * 3600;
  await insertSession(context.db, {
    id: sha256(token),
    userId,
    csrfToken: randomToken(),
    at: now,
    expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000),
    userAgent: request.headers.get("User-Agent") ?? "",
    ip: context.clientIp,
  });
  return cookie(request, context, token, maxAgeSeconds);
}

export async function endSession(request: Request, context: AppLoadContext): Promise<string> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await revokeSession(context.db, sha256(token), new Date());
  return cookie(request, context, "", 0);
}

export function csrfMatches(expected: string, given: FormDataEntryValue | string | null): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
