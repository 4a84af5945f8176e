import type { LoaderFunctionArgs } from "@remix-run/node";
import { CATALOG_SCRIPTS } from "../i18n/catalog-script.server";
import { isLocale } from "../i18n/locales";

/**
 * The catalogue of one language as a script (decision 034): `/i18n/es.<version>.js`. The version
 * is the hash of the body, so the current one is cached by the browser for a year; an old
 * version (a page from before a deploy) gets the current body, not cached. Public text, no
 * session needed.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const m = /^([a-z]{2})\.([0-9a-f]{12})\.js$/.exec(params.file ?? "");
  if (!m || !isLocale(m[1])) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const script = CATALOG_SCRIPTS[m[1]];
  const current = m[2] === script.version;
  return new Response(script.body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
