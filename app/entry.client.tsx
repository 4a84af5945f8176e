import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { REQUEST_REFERENCE_ATTRIBUTE, RequestIdContext } from "./components/RequestId";
import "./i18n/catalog-source";

/**
 * Hydrates the page as Remix's default does, with one addition: an error page rendered on the
 * server shows its request's id, which is read back here so the browser renders the same text.
 */
const reference = document.querySelector(`[${REQUEST_REFERENCE_ATTRIBUTE}]`)?.textContent ?? undefined;

/**
 * The page's catalogue script (decision 034) is deferred, and Remix's module script may run
 * before it: hydration waits until the words are there, so the browser renders what the server
 * did. A script that fails to load (a dropped connection) ends the wait too: the page hydrates
 * with the common words bundled in the app. No timer: a slow line must not hydrate a page without
 * its words, which would then load itself again.
 */
function catalogueLoaded(): Promise<void> {
  const script = document.querySelector<HTMLScriptElement>("script[data-catalogue]");
  if (!script || window.__pathwaysCatalog) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    script.addEventListener("load", done, { once: true });
    script.addEventListener("error", done, { once: true });
  });
}

void catalogueLoaded().then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RequestIdContext.Provider value={reference}>
          <RemixBrowser />
        </RequestIdContext.Provider>
      </StrictMode>,
    );
  }),
);
