import { randomBytes } from "node:crypto";
import type express from "express";
import type { Config } from "../platform/config";

/**
 * Headers on every response. Scripts run only from this site or with the nonce chosen for this
 * response; no page can be framed (a sign-off button inside someone else's page); no referrer
 * leaves the site with a record's address in it; no camera, microphone or location.
 * Styles allow inline `style` attributes: React Flow positions nodes with them.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/** Behind TLS: the request came over https (directly or, per X-Forwarded-Proto, through a proxy) or COOKIE_SECURE=true says so. */
export function behindTls(req: express.Request, config: Pick<Config, "COOKIE_SECURE">): boolean {
  if (config.COOKIE_SECURE === "true") return true;
  if (config.COOKIE_SECURE === "false") return false;
  return req.secure || req.get("X-Forwarded-Proto")?.split(",")[0]?.trim() === "https";
}

export function securityHeaders(config: Pick<Config, "COOKIE_SECURE">) {
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const nonce = randomBytes(18).toString("base64");
    res.locals.cspNonce = nonce;
    res.set({
      "Content-Security-Policy": contentSecurityPolicy(nonce),
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": PERMISSIONS_POLICY,
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    if (behindTls(req, config)) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}
