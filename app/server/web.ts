import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AppContext } from "../platform/context";
import { requestState, type RequestState } from "../platform/request-state.server";
import { healthAnswer } from "../platform/health.server";
import { securityHeaders } from "./security-headers";
import { PROJECT_ROOT } from "./temporal-binaries";

/** How long an idle kept-alive connection stays open (longer than a load balancer's 60 s). */
export const KEEP_ALIVE_MS = 65_000;

/** Where `remix build` put the server build and the browser assets (see remix.config.js). */
export function buildPaths(dir = process.env.PATHWAYS_BUILD_DIR) {
  return dir
    ? {
        serverBuild: path.resolve(PROJECT_ROOT, dir, "server", "index.js"),
        assetsDir: path.resolve(PROJECT_ROOT, dir, "public", "build"),
      }
    : { serverBuild: path.join(PROJECT_ROOT, "build", "index.js"), assetsDir: path.join(PROJECT_ROOT, "public", "build") };
}

/**
 * The files of public/ (robots.txt). Only an address whose first segment names an entry of the
 * folder is looked up there: every page's address looked up on disk cost a failed `stat` and an
 * error object per request (decision 035). The folder is read once, at start-up.
 */
export function publicFiles(dir: string): express.RequestHandler {
  const serve = express.static(dir, { maxAge: "1h" });
  const names = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return (req, res, next) => {
    let first: string;
    try {
      first = decodeURIComponent(req.path.split("/")[1] ?? "");
    } catch {
      return next();
    }
    return names.has(first) ? serve(req, res, next) : next();
  };
}

/** The HTTP server: static assets plus the Remix request handler with the app's context. */
export async function startWebServer(
  ctx: Omit<AppContext, "clientIp">,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const { serverBuild, assetsDir } = buildPaths();
  const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  if (ctx.config.TRUST_PROXY) app.set("trust proxy", ctx.config.TRUST_PROXY);
  app.use(requestId);
  app.use(securityHeaders(ctx.config));
  app.use(answer503WhenDatabaseLost);
  app.use(refuseMalformedRequests);
  app.use(refuseCrossSiteWrites);
  app.use(compression());
  app.use("/build", express.static(assetsDir, { immutable: true, maxAge: "1y" }));
  app.use(publicFiles(path.join(PROJECT_ROOT, "public")));
  // Pages show one person's view of the records: never kept by a shared cache or the back button.
  // The public results pages (/results/<country>), the API and the catalogue scripts (/i18n/,
  // decision 034) say their own.
  app.use((req, res, next) => {
    if (!isPublicResults(req.path) && !isApi(req.path) && !isCatalogScript(req.path))
      res.set("Cache-Control", "private, no-store");
    next();
  });
  // Health before the page router: a load balancer's poll costs no route matching and no
  // rendering, and takes as long as the parts take to answer (app/platform/health.server.ts).
  app.get("/healthz", (_req, res, next) => {
    healthAnswer(ctx).then(({ status, body }) => {
      res.status(status).set("Cache-Control", "no-store").json(body);
    }, next);
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      getLoadContext: (req, res) =>
        ({
          ...ctx,
          clientIp: req.ip ?? "unknown",
          cspNonce: res.locals.cspNonce as string,
          requestId: res.locals.requestId as string,
        }) as unknown as AppLoadContext,
    }),
  );
  app.use(handleServerError);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once("error", reject);
  });
  // An idle kept-alive connection stays open longer than a load balancer keeps its side (60 s is
  // the usual default): closed first here (Node's default is 5 s), the balancer's next request on
  // it would fail with a 502 for the user.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  // CONNECT never reaches express (Node hands it to "connect" listeners or drops the socket): refuse it out loud.
  server.on("connect", (_req, socket: import("node:stream").Duplex) => {
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, OPTIONS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
  });
  const actual = (server.address() as { port: number }).port;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return { server, url: `http://${shown}:${actual}` };
}

/**
 * A request whose database connection ended under it (entry.server's handleError sets the flag)
 * fails with 503 and Retry-After, not 500: nothing is wrong with the request, try again.
 */
function answer503WhenDatabaseLost(req: express.Request, res: express.Response, next: express.NextFunction) {
  const state: RequestState = {
    databaseLost: false,
    requestId: res.locals.requestId as string | undefined,
    reads: req.method === "GET" || req.method === "HEAD",
  };
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, status: number, ...rest: unknown[]) {
    if (state.databaseLost && status >= 500) {
      status = 503;
      this.setHeader("Retry-After", "5");
    }
    return (writeHead as (...a: unknown[]) => express.Response).call(this, status, ...rest);
  } as typeof res.writeHead;
  requestState.run(state, next);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The JSON API: bearer tokens only, no cookie read, so no CSRF (decision 028). */
export function isApi(path: string | undefined): boolean {
  return path === "/api/v1" || (path?.startsWith("/api/v1/") ?? false);
}

/** The language catalogues as scripts: the same for every reader, named by their content's hash. */
function isCatalogScript(path: string): boolean {
  return path.startsWith("/i18n/");
}

/** The public results pages: the same for every reader, so a shared cache may keep them briefly. */
function isPublicResults(path: string): boolean {
  return path.startsWith("/results/");
}

/**
 * CSRF, first line: a state-changing request must come from this site. Browsers send Origin on
 * every cross-site POST and Sec-Fetch-Site on every request; either one naming another site is
 * refused before any route runs. Forms also carry a per-session token (checked in requireActor).
 * Origin is compared whole: scheme, host and port (http://site is not https://site, nor :8080).
 * The scheme is the one the client used: the proxy's X-Forwarded-Proto when there is one (a
 * cross-site form cannot set that header), else the connection's.
 */
export function refuseCrossSiteWrites(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (SAFE_METHODS.has(req.method) || isApi(req.path)) return next();
  const origin = req.get("Origin");
  const host = req.get("Host");
  const fetchSite = req.get("Sec-Fetch-Site");
  let crossSite = fetchSite === "cross-site" || fetchSite === "same-site";
  if (origin && origin !== "null") {
    try {
      const scheme = req.get("X-Forwarded-Proto")?.split(",")[0]?.trim() || req.protocol;
      crossSite ||= new URL(origin).origin !== new URL(`${scheme}://${host}`).origin;
    } catch {
      crossSite = true;
    }
  } else if (origin === "null") crossSite = true;
  if (crossSite) {
    res.status(403).type("text/plain").send("Cross-site requests cannot change anything here.");
    return;
  }
  next();
}

/** Methods a page or form uses; anything else (TRACE, CONNECT, PROPFIND…) is refused before routing. */
const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS"]);
/** A Host header: a name or an IPv4/IPv6 address, and an optional port. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** Each request gets an id, sent back in X-Request-Id and named in the log next to any error. */
export function requestId(req: express.Request, res: express.Response, next: express.NextFunction) {
  const id = randomUUID();
  res.locals.requestId = id;
  res.set("X-Request-Id", id);
  next();
}

function refuse(res: express.Response, status: number, message: string) {
  if (isApi(res.req.path)) {
    res
      .status(status)
      .type("application/problem+json")
      .send(JSON.stringify({ type: "https://pathways.example/problems/refused", title: message, status }));
    return;
  }
  res
    .status(status)
    .type("text/plain")
    .send(`${message}\nRequest id: ${String(res.locals.requestId ?? "")}\n`);
}

/**
 * Requests no route could answer are refused here with a plain 4xx: an unknown method (405), a
 * Host header that is not a host name (400), an address that does not decode or carries NUL
 * (400), and a POST whose body is not a form (415). Routes read their forms through
 * app/platform/request-body.server.ts, which checks the fields themselves.
 */
export function refuseMalformedRequests(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!ALLOWED_METHODS.has(req.method)) {
    res.set("Allow", [...ALLOWED_METHODS].join(", "));
    return refuse(res, 405, "This method is not allowed here.");
  }
  const host = req.get("Host");
  if (!host || !HOST.test(host)) return refuse(res, 400, "This request names no valid host.");
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl);
  } catch {
    return refuse(res, 400, "This address cannot be read.");
  }
  if (decoded.includes("\0")) return refuse(res, 400, "This address cannot be read.");
  // An API address with a control character names nothing (the router would not match it and answer a page).
  // eslint-disable-next-line no-control-regex
  if (isApi(req.path) && /[\u0000-\u001f\u007f]/.test(decoded)) return refuse(res, 404, "No such API address.");
  if (req.method === "POST" && !isApi(req.path)) {
    const type = (req.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
    if (!FORM_TYPES.has(type)) return refuse(res, 415, "This address accepts forms only.");
  }
  next();
}

/**
 * The last word on an error nothing else handled: logged in full with the request id, answered
 * with the id and no stack or server path. A malformed request that got this far is the client's (4xx).
 */
export function handleServerError(err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) {
  if (res.headersSent) return next(err);
  const id = String(res.locals.requestId ?? randomUUID());
  const status = clientErrorStatus(err);
  if (status >= 500) console.error(`[${id}] ${req.method} ${req.originalUrl.slice(0, 200)} failed:`, err);
  refuse(res, status, status >= 500 ? "Something went wrong on our side. Nothing was changed." : "This request cannot be read.");
}

function clientErrorStatus(err: unknown): number {
  if (err instanceof URIError) return 400;
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}
