import type { ShouldRevalidateFunctionArgs } from "@remix-run/react";

/**
 * When the root loader runs again in the browser (decision 019). Its data is the header (who is
 * signed in, unread count, CSRF token) and the whole message catalogue of the page's language:
 * 84 KB of English that used to be sent again on every link followed and every poll of a
 * progress page. Only a submission can change what it holds (signing in or out, a language
 * chosen, notifications read), so it runs again after a POST (or other writing method), and
 * otherwise keeps what the first page load brought. The unread count on the header is as fresh
 * as the last submission or full page load.
 */
export function shouldRevalidateRoot({
  formMethod,
  nextUrl,
  actionResult,
  defaultShouldRevalidate,
}: ShouldRevalidateFunctionArgs): boolean {
  // A send the browser answered itself because no answer came (decision 027): nothing known
  // changed, and a loader could not be reached either.
  if (answeredOffline(actionResult)) return false;
  if (formMethod && formMethod.toUpperCase() !== "GET") return defaultShouldRevalidate;
  // Pages where the header itself changes: the sign-in page (a session that ended sends the
  // browser there) and the notifications, whose visit reads them.
  if (HEADER_CHANGING_PAGES.some((p) => nextUrl.pathname === p || nextUrl.pathname.startsWith(`${p}/`)))
    return defaultShouldRevalidate;
  return false;
}

const HEADER_CHANGING_PAGES = ["/login", "/logout", "/reset-password", "/notifications", "/language"];

/** The result of a `clientAction` that got no answer from the server (`{ notSent }`, decision 027). */
export function answeredOffline(actionResult: unknown): boolean {
  return typeof actionResult === "object" && actionResult !== null && "notSent" in actionResult && !!actionResult.notSent;
}
