import { randomBytes, randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { actorOf, sha256 } from "~/platform/auth.server";
import type { Actor } from "~/platform/policy";
import {
  countApiRequest,
  deleteEndedRateWindows,
  findLiveApiToken,
  insertApiToken,
  touchApiToken,
} from "../../../db/queries/api";
import type { Db } from "../../../db/queries/audit";
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
  await limitRate(context.db, row.token_id, context.config.API_RATE_PER_MINUTE, now);
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS)
    await touchApiToken(context.db, row.token_id, now);
  return {
    tokenId: row.token_id,
    actor: actorOf(row),
  };
}

// ------------------------------------------------------------------ rate limit

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per token, aligned to the clock's minutes and counted in PostgreSQL
 * (`api_rate_windows`, migration 024), so every web process draws on the same budget (decision
 * 028). The first request of a window deletes the windows that have ended. Past the budget: 429
 * with `Retry-After`, the seconds until the next window.
 */
export async function limitRate(db: Db, tokenId: string, perMinute: number, now: Date): Promise<void> {
  const nowMs = now.getTime();
  const start = new Date(Math.floor(nowMs / WINDOW_MS) * WINDOW_MS);
  const count = await countApiRequest(db, tokenId, start);
  if (count === 1) await deleteEndedRateWindows(db, start);
  if (count > perMinute) {
    const retry = Math.max(1, Math.ceil((start.getTime() + WINDOW_MS - nowMs) / 1000));
    throw new ApiProblem(429, {
      type: "rate-limited",
      title: "Too many requests",
      detail: `This token may make ${perMinute} requests a minute.`,
      headers: { "Retry-After": String(retry) },
    });
  }
}
