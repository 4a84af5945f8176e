import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceContext } from "./components/Nonce";
import { RequestIdContext } from "./components/RequestId";
import { requestState } from "./platform/request-state.server";
import { isConnectionLoss } from "../db/connection-loss";
import { CATALOGS } from "./i18n/catalog";
import { setCatalogSource } from "./i18n/catalog-source";

// Server rendering reads each language's messages from memory; the browser from the page's
// catalogue script (decision 034).
setCatalogSource((locale) => CATALOGS[locale]);

/**
 * Errors of loaders and actions. The database going away mid-request (a failover) fails this
 * request with 503 (the web server reads the flag) and is logged as a warning, not a crash.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (isConnectionLoss(error)) {
    const state = requestState.getStore();
    if (state) state.databaseLost = true;
    console.warn(`The database connection was lost during ${request.method} ${new URL(request.url).pathname}: answered 503.`);
    return;
  }
  if (!request.signal.aborted) console.error(`[${requestState.getStore()?.requestId ?? "no request id"}]`, error);
}

/**
 * Data requests (client-side navigations and form posts): an unexpected error's message, which
 * production mode reduces to "Unexpected Server Error", names the request's id, so the error
 * page can show the reference the log line carries.
 */
export async function handleDataRequest(response: Response, { context }: { context: AppLoadContext }): Promise<Response> {
  if (response.status < 500 || !response.headers.has("X-Remix-Error") || !context.requestId) return response;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { message?: unknown } | null;
  if (!body || typeof body.message !== "string") return response;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify({ ...body, message: `${body.message} (reference ${context.requestId})` }), {
    status: response.status,
    headers,
  });
}

const utf8 = new TextEncoder();

/**
 * Renders a page: React's tree written to one string, answered in one piece (decision 047). As
 * Remix's default, plus the Content-Security-Policy nonce the web server chose for this response
 * (`cspNonce` in the load context), handed to every script tag Remix writes. No page suspends (no
 * `defer`, no `Suspense`), so nothing is left to stream once the tree is written. A render that
 * throws is Remix's to handle: it renders the error boundary, or its last-resort 500.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = (loadContext as { cspNonce?: string }).cspNonce;
  const html = renderToString(
    <NonceContext.Provider value={nonce}>
      <RequestIdContext.Provider value={loadContext.requestId}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </RequestIdContext.Provider>
    </NonceContext.Provider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  // Encoded here, once: a string body would first be copied whole to replace lone surrogates, which
  // the encoder replaces as it goes (one dash or arrow makes the page a two-byte string: 0.44 →
  // 0.31 ms for 92,000 characters on this machine).
  return new Response(utf8.encode(`<!DOCTYPE html>${html}`), { headers: responseHeaders, status: responseStatusCode });
}
