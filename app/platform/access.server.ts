import type { AppLoadContext } from "@remix-run/node";
import { csrfMatches, getSession, loginRedirect } from "./auth.server";

/**
 * Who is asking: the session's actor, and the CSRF check of every state-changing request. What
 * they may do is decided by the policy table (./policy.ts), re-exported here for the pages.
 */

export { ROLE_LABELS, type Role } from "./roles";
export { allows, assertAllowed, assertCan, can, visibleInstitutionIds, type Action, type Actor } from "./policy";
import type { Actor } from "./policy";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const EXPIRED = "This form has expired. Reload the page and try again.";

/**
 * The signed-in actor, or a redirect to sign in. For a state-changing request it also checks the
 * form's CSRF token against the session's, for plain and multipart forms alike (a route that
 * parses a multipart form itself may check again with assertCsrf).
 */
export async function requireActor(request: Request, context: AppLoadContext): Promise<Actor> {
  const session = await getSession(request, context);
  if (!session) {
    if (request.method !== "GET" && request.method !== "HEAD") throw new Response("Sign in first", { status: 401 });
    loginRedirect(request);
  }
  if (request.method !== "GET" && request.method !== "HEAD" && !csrfMatches(session.csrfToken, await givenCsrf(request)))
    throw new Response(EXPIRED, { status: 403 });
  return session.actor;
}

/** The CSRF token a state-changing request carries: a form's `csrf` field, else the X-CSRF-Token header. */
export async function givenCsrf(request: Request): Promise<string | null> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (type.startsWith(FORM_TYPES[0])) {
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      throw new Response("The form could not be read. Reload the page and try again.", { status: 400 });
    }
    const v = form.get("csrf");
    return typeof v === "string" ? v : null;
  }
  if (type.startsWith(FORM_TYPES[1])) return multipartCsrf(request);
  return request.headers.get("X-CSRF-Token");
}

/**
 * How far into a multipart body the `csrf` field is looked for. Every form puts it first
 * (<CsrfInput /> leads each form), so a few bytes suffice; a body that hides it behind a file is
 * refused rather than read whole twice.
 */
const MULTIPART_CSRF_SCAN_BYTES = 64 * 1024;

/** Reads the start of a copy of the body, up to the `csrf` part, and stops: files are not buffered twice. */
async function multipartCsrf(request: Request): Promise<string | null> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers.get("Content-Type") ?? "");
  const body = request.clone().body;
  if (!boundary || !body) return null;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const reader = body.getReader();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return csrfPart(text, delimiter) ?? null;
      text += Buffer.from(value).toString("latin1");
      if (text.length >= MULTIPART_CSRF_SCAN_BYTES) return csrfPart(text.slice(0, MULTIPART_CSRF_SCAN_BYTES), delimiter) ?? null;
      const found = csrfPart(text, delimiter);
      if (found !== undefined) return found;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** The value of the first complete part named `csrf`; null when a part is incomplete or misnamed; undefined: read on. */
function csrfPart(text: string, delimiter: string): string | null | undefined {
  if (!text.startsWith(delimiter)) return text.length < delimiter.length && delimiter.startsWith(text) ? undefined : null;
  // Each piece is one part (headers, blank line, value); the last one may still be arriving.
  const complete = text.slice(delimiter.length).split(`\r\n${delimiter}`).slice(0, -1);
  for (const part of complete) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) return null;
    const headers = part.slice(0, split);
    if (/^content-disposition:\s*form-data;\s*name="csrf"\s*$/im.test(headers)) return part.slice(split + 4);
  }
  return undefined;
}

/** For multipart forms, after parsing: the same check requireActor makes for plain forms. */
export async function assertCsrf(request: Request, context: AppLoadContext, form: FormData): Promise<void> {
  const session = await getSession(request, context);
  if (!session || !csrfMatches(session.csrfToken, form.get("csrf"))) throw new Response(EXPIRED, { status: 403 });
}
