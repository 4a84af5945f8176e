import { createContext, useContext } from "react";

/**
 * The id of the request that rendered the page (X-Request-Id), for error pages to show as a
 * reference the log carries too. Set on the server (entry.server.tsx); in the browser,
 * entry.client.tsx reads the one the server wrote into an error page, so hydration matches.
 */
export const RequestIdContext = createContext<string | undefined>(undefined);

/** Marks the element that shows the reference, so the browser can read it back before hydrating. */
export const REQUEST_REFERENCE_ATTRIBUTE = "data-request-reference";

export function useRequestId(): string | undefined {
  return useContext(RequestIdContext);
}
