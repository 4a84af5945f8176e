import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

/**
 * Any address no other route answers (a mistyped URL): HTTP 404, shown by the root's error page.
 * Without this route Remix answers an unmatched address without running the root loader, so the
 * page had no header, no signed-in user and no language but English; matched here, the root
 * loader runs first and the not-found page is drawn inside the app's shell in the reader's language.
 */
export function loader(_: LoaderFunctionArgs): never {
  throw new Response(null, { status: 404, statusText: "Not Found" });
}

export function action(_: ActionFunctionArgs): never {
  throw new Response(null, { status: 404, statusText: "Not Found" });
}

/** Never shown: the loader always throws. */
export default function NotFound() {
  return null;
}
