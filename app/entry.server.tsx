import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/Nonce";
import { RequestIdContext } from "./components/RequestId";
import { requestState } from "./platform/request-state.server";
import { isConnectionLoss } from "../db/connection-loss";
import { CATALOGS } from "./i18n/catalog";
import { setCatalogSource } from "./i18n/catalog-source";

// Server rendering reads each language's messages from memory; the browser from the page's
// catalogue script (decision 034).
setCatalogSource((locale) => CATALOGS[locale]);

const ABORT_DELAY = 5_000;

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

/**
 * Renders a page. As Remix's default, plus the Content-Security-Policy nonce the web server chose
 * for this response (`cspNonce` in the load context), handed to every script tag Remix writes.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = (loadContext as { cspNonce?: string }).cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      responseHeaders.set("Content-Type", "text/html");
      // No page suspends (no `defer`), so the shell is the whole page: it is answered in one piece
      // once React has written it, not as the ~2 KB pieces React writes, each of which would go
      // through a web stream, the compressor and the socket on its own (decision 035).
      const chunks: Buffer[] = [];
      const page = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
        final(done) {
          resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          done();
        },
      });
      page.on("error", reject);
      pipe(page);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RequestIdContext.Provider value={loadContext.requestId}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </RequestIdContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
