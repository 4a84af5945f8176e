import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { sha256 } from "~/platform/auth.server";
import type { Actor } from "~/platform/policy";
import { findLiveApiToken, insertApiToken, touchApiToken } from "../../../db/queries/api";
import { ApiProblem } from "./problem";

/**
 * Personal access tokens (decision 028). A token is `pwy_` and 43 characters of base64url (256
 * random bits); only its SHA-256 is stored, so a copy of the table opens nothing. It acts as its
 * user — their role, their institution or countries — until it expires or is revoked, and stops at
 * once when the user is disabled.
 */

export const TOKEN_PREFIX = "pwy_";
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
const TOKEN_SHAPE = /^pwy_[A-Za-z0-9_-]{43}$/;

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export async function createToken(
  context: Pick<AppLoadContext, "db">,
  actor: Actor,
  name: string,
  days: number,
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newTokenSecret();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await context.db
    .transaction()
    .execute((trx) =>
      insertApiToken(
        trx,
        { id, userId: actor.id, name, tokenHash: sha256(token), prefix: token.slice(0, 10), at: now, expiresAt },
        actor.email,
      ),
    );
  return { id, token, expiresAt };
}

export interface TokenActor {
  actor: Actor;
  tokenId: string;
}

const unauthorized = (detail: string) =>
  new ApiProblem(401, {
    type: "unauthorized",
    title: "Unauthorized",
    detail,
    headers: { "WWW-Authenticate": 'Bearer realm="pathways"' },
  });

/** How often last_used_at is written for a token in steady use. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The actor a request's bearer token acts for. Cookies are never read here: the API has no
 * session, so a page on another site cannot make a browser call it with the user's rights.
 */
export async function requireToken(request: Request, context: AppLoadContext, now = new Date()): Promise<TokenActor> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer[ ]+(\S+)$/i.exec(header);
  if (!match) throw unauthorized("Send a personal access token: Authorization: Bearer <token>.");
  const token = match[1];
  if (!TOKEN_SHAPE.test(token)) throw unauthorized("This is not a Pathways token.");
  const row = await findLiveApiToken(context.db, sha256(token), now);
  if (!row) throw unauthorized("This token is unknown, expired or revoked.");
  limitRate(row.token_id, context.config.API_RATE_PER_MINUTE, now.getTime());
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS)
    await touchApiToken(context.db, row.token_id, now);
  return {
    tokenId: row.token_id,
    actor: {
      id: row.user_id,
      name: row.name,
      email: row.email,
      role: row.role,
      institutionId: row.institution_id,
      countries: row.role === "ilo_officer" ? row.countries : "all",
      locale: row.locale,
    },
  };
}

// ------------------------------------------------------------------ rate limit

/**
 * A fixed one-minute window per token, in this process's memory: enough to stop a runaway
 * script. With several web processes each counts its own share (decision 028).
 */
const windows = new Map<string, { start: number; count: number }>();
const WINDOW_MS = 60_000;

export function limitRate(tokenId: string, perMinute: number, nowMs: number): void {
  let w = windows.get(tokenId);
  if (!w || nowMs - w.start >= WINDOW_MS) {
    if (windows.size > 10_000) for (const [k, v] of windows) if (nowMs - v.start >= WINDOW_MS) windows.delete(k);
    w = { start: nowMs, count: 0 };
    windows.set(tokenId, w);
  }
  w.count += 1;
  if (w.count > perMinute) {
    const retry = Math.max(1, Math.ceil((w.start + WINDOW_MS - nowMs) / 1000));
    throw new ApiProblem(429, {
      type: "rate-limited",
      title: "Too many requests",
      detail: `This token may make ${perMinute} requests a minute.`,
      headers: { "Retry-After": String(retry) },
    });
  }
}

/** Forgets every window (tests). */
export function resetRateLimits(): void {
  windows.clear();
}
