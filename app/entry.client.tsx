import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { REQUEST_REFERENCE_ATTRIBUTE, RequestIdContext } from "./components/RequestId";

/**
 * Hydrates the page as Remix's default does, with one addition: an error page rendered on the
 * server shows its request's id, which is read back here so the browser renders the same text.
 */
const reference = document.querySelector(`[${REQUEST_REFERENCE_ATTRIBUTE}]`)?.textContent ?? undefined;

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RequestIdContext.Provider value={reference}>
        <RemixBrowser />
      </RequestIdContext.Provider>
    </StrictMode>,
  );
});
