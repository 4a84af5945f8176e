import { redirect, type AppLoadContext } from "@remix-run/node";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isSecure } from "./auth.server";

/**
 * A message for the next page, set by an action and read once by that page's loader. It travels
 * in a short-lived HttpOnly cookie, never in the address: a link someone sends cannot put text
 * in the green success banner (or the red one). The cookie is signed (HMAC-SHA256 with
 * COOKIE_SECRET), so a cookie set by anyone else — a sibling subdomain, a script on another
 * port of the same host — is ignored rather than shown.
 */

export const FLASH_COOKIE = "pathways_flash";
const MAX_CHARS = 500;
const MAX_AGE_SECONDS = 120;

export interface Flash {
  notice: string | null;
  error: string | null;
}

function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

function flashCookie(request: Request, context: AppLoadContext, value: string, maxAge: number): string {
  const parts = [`${FLASH_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`];
  if (isSecure(request, context)) parts.push("Secure");
  return parts.join("; ");
}

/** Used where no COOKIE_SECRET is configured (tests that call actions directly): good for this process only. */
const PROCESS_KEY = randomBytes(32).toString("hex");

function sign(context: AppLoadContext, payload: string): string {
  const key = context.config?.COOKIE_SECRET ?? PROCESS_KEY;
  return createHmac("sha256", key).update(payload).digest("base64url");
}

/** The payload of a cookie value this server signed, or null. */
function verified(context: AppLoadContext, value: string): string | null {
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(context, payload));
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
}

const clip = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim().slice(0, MAX_CHARS) : null);

/** The Set-Cookie header that carries a message to the next page. */
export function setFlash(request: Request, context: AppLoadContext, flash: Partial<Flash>): string {
  const payload = Buffer.from(JSON.stringify({ notice: clip(flash.notice), error: clip(flash.error) })).toString("base64url");
  return flashCookie(request, context, `${payload}.${sign(context, payload)}`, MAX_AGE_SECONDS);
}

/** A redirect to a path on this site that shows `notice` there once. */
export function redirectWithNotice(
  request: Request,
  context: AppLoadContext,
  to: string,
  notice: string,
  init: { headers?: Record<string, string> } = {},
): Response {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", setFlash(request, context, { notice }));
  return redirect(safeRedirect(to, "/institutions"), { headers });
}

/**
 * The message waiting for this page, if any, and the headers that clear it (so a reload or the
 * back button does not show it again). Return `headers` with the loader's data.
 */
export function readFlash(request: Request, context: AppLoadContext): { flash: Flash; headers: Record<string, string> } {
  const raw = readCookie(request, FLASH_COOKIE);
  const none: Flash = { notice: null, error: null };
  if (!raw) return { flash: none, headers: {} };
  const headers = { "Set-Cookie": flashCookie(request, context, "", 0) };
  const payload = verified(context, raw);
  if (!payload) return { flash: none, headers };
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    return { flash: { notice: clip(parsed.notice), error: clip(parsed.error) }, headers };
  } catch {
    return { flash: none, headers };
  }
}

/**
 * Only a path on this site, else `fallback`: an open redirect would let a link send people
 * elsewhere. Browsers drop tabs and newlines from a URL and read "\" as "/", so "/\evil.example"
 * and "/\t/evil.example" would both be "//evil.example": no control characters, spaces or
 * backslashes at all.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters in a redirect target are refused on purpose
  if (/[\u0000-\u0020\u007f\\]/.test(to)) return fallback;
  const probe = new URL(to, "http://pathways.invalid");
  return probe.origin === "http://pathways.invalid" ? to : fallback;
}
