import type { AppLoadContext } from "@remix-run/node";
import { appendAudit } from "../../../db/queries/audit";
import { isConnectionLoss } from "../../../db/connection-loss";
import { openApiDocument } from "./openapi.server";
import { OPERATIONS, type Operation } from "./operations.server";
import { ApiProblem, invalid, problem } from "./problem";
import { requireToken } from "./tokens.server";

/**
 * The API's one entry (app/routes/api.v1.$.ts): finds the operation, checks the token, reads and
 * checks the query and the body with the operation's schemas, runs it, and answers JSON or a
 * problem. Nothing here trusts the body's size, encoding or depth.
 */

/** Largest JSON body read: a report with 60 trainers and 20 evidence lines is about 10 KB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Deepest JSON nesting accepted (a report's body is four levels deep). */
const MAX_DEPTH = 12;
// Control characters other than tab, line feed and carriage return cannot be stored as text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Route {
  op: Operation;
  pattern: RegExp;
  names: string[];
}

const ROUTES: Route[] = OPERATIONS.map((op) => {
  const names: string[] = [];
  const source = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { op, pattern: new RegExp(`^${source}$`), names };
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** Text the database can store: no control characters, no lone surrogates. */
function badText(s: string): boolean {
  return CONTROL.test(s) || LONE_SURROGATE.test(s);
}

/** The first string in a parsed JSON value (keys included) that cannot be stored, or a depth past the limit. */
function hostile(value: unknown, depth = 0): string | null {
  if (depth > MAX_DEPTH) return "The body is nested too deeply";
  if (typeof value === "string") return badText(value) ? "Text may not contain control characters" : null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = hostile(v, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (badText(k)) return "Text may not contain control characters";
      const p = hostile(v, depth + 1);
      if (p) return p;
    }
  }
  return null;
}

async function readJsonBody(request: Request): Promise<unknown> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json")
    throw new ApiProblem(415, {
      type: "unsupported-media-type",
      title: "Unsupported media type",
      detail: "Send the body as application/json.",
    });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const tooLarge = () =>
    new ApiProblem(413, {
      type: "body-too-large",
      title: "Body too large",
      detail: `The API reads bodies of at most ${MAX_BODY_BYTES / 1024} KB.`,
    });
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalid({ _: "The body is not UTF-8" }, "The body is not UTF-8.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid({ _: "The body is not JSON" }, "The body is not JSON.");
  }
  const p = hostile(parsed);
  if (p) throw invalid({ _: p }, p);
  return parsed;
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) out[i.path.map(String).join(".") || "_"] ??= i.message;
  return out;
}

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (badText(k) || badText(v) || v.length > 2000) throw invalid({ [k.slice(0, 50)]: "This value cannot be read" });
    if (k in out) throw invalid({ [k]: "Give each parameter once" });
    out[k] = v;
  }
  return out;
}

interface TokenUse {
  opId: string;
  actor: string;
  tokenId: string;
}

/** The answer to one API request: `path` is what follows /api/v1. */
export async function handleApi(request: Request, context: AppLoadContext, path: string): Promise<Response> {
  const url = new URL(request.url);
  const instance = url.pathname.slice(0, 300);
  // Set once a live token is accepted: from then on the request is a use of the token, audited
  // whatever its answer (a request refused for the rate limit is counted, not audited).
  const seen: { use?: TokenUse } = {};
  let response: Response;
  try {
    response = await answer(request, context, path, url, (u) => (seen.use = u));
  } catch (e) {
    response = await failure(e, request, context, instance);
  }
  const u = seen.use;
  if (u) {
    try {
      await appendAudit(context.db, {
        actor: u.actor,
        action: `api.${u.opId}`,
        entityType: "api_token",
        entityId: u.tokenId,
        after: {
          method: request.method,
          path: instance,
          ...(url.search ? { query: url.search.slice(0, 300) } : {}),
          status: response.status,
        },
        at: new Date(),
      });
    } catch (e) {
      // A use that cannot be audited is not answered as if it went unnoticed.
      return failure(e, request, context, instance);
    }
  }
  return response;
}

async function answer(
  request: Request,
  context: AppLoadContext,
  path: string,
  url: URL,
  used: (u: TokenUse) => void,
): Promise<Response> {
  const method = request.method.toLowerCase();
  const p = `/${path}`.replace(/\/+$/, "") || "/";
  if (p === "/openapi.json" && (method === "get" || method === "head")) {
    return new Response(JSON.stringify(openApiDocument()), {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
    });
  }
  const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(p) })).filter((x) => x.m);
  if (matches.length === 0) throw new ApiProblem(404, { type: "not-found", title: "Not found", detail: "No such API address." });
  const hit = matches.find((x) => x.r.op.method === method || (method === "head" && x.r.op.method === "get"));
  if (!hit)
    throw new ApiProblem(405, {
      type: "method-not-allowed",
      title: "Method not allowed",
      headers: { Allow: [...new Set(matches.map((x) => x.r.op.method.toUpperCase()))].join(", ") },
    });
  const { op, names } = hit.r;
  const { actor, tokenId } = await requireToken(request, context);
  used({ opId: op.id, actor: actor.email, tokenId });

  const rawParams: Record<string, string> = {};
  names.forEach((n, i) => {
    let v: string;
    try {
      v = decodeURIComponent(hit.m![i + 1]);
    } catch {
      v = "";
    }
    rawParams[n] = v;
  });
  const params = op.params ? op.params.safeParse(rawParams) : { success: true as const, data: rawParams };
  // An id that is not an id names nothing: 404, as the pages answer.
  if (!params.success) throw new ApiProblem(404, { type: "not-found", title: "Not found", detail: "No record has this id." });

  const rawQuery = queryOf(url);
  const query = op.query ? op.query.safeParse(rawQuery) : { success: true as const, data: {} };
  if (!query.success) throw invalid(issuesOf(query.error));

  let body: unknown = undefined;
  if (op.body) {
    const parsed = op.body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw invalid(issuesOf(parsed.error));
    body = parsed.data;
  }

  const reply = await op.handle({
    request,
    context,
    actor,
    tokenId,
    params: params.data as Record<string, string>,
    query: query.data,
    body,
  });
  return json(reply.status, reply.body);
}

async function failure(e: unknown, request: Request, context: AppLoadContext, instance: string): Promise<Response> {
  if (e instanceof ApiProblem) return problem(e.status, e.init, instance);
  if (e instanceof Response) {
    // A service that answers the pages with a Response (404 for an unknown phase…): the same status, as a problem.
    const status = e.status >= 400 && e.status < 600 ? e.status : 500;
    const detail = (await e.text().catch(() => "")).slice(0, 300) || undefined;
    return problem(
      status,
      { type: status === 404 ? "not-found" : "refused", title: e.statusText || "Refused", detail },
      instance,
    );
  }
  if (isConnectionLoss(e))
    return problem(503, { type: "unavailable", title: "Service unavailable", headers: { "Retry-After": "5" } }, instance);
  console.error(`[${String(context.requestId ?? "")}] API ${request.method} ${instance} failed:`, e);
  return problem(
    500,
    { type: "server-error", title: "Server error", detail: "Something went wrong on our side. Nothing was changed." },
    instance,
  );
}
