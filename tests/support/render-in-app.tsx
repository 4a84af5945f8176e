import type { ReactElement, ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { CATALOGS } from "~/i18n/catalog";
import { setCatalogSource } from "~/i18n/catalog-source";
import type { Locale } from "~/i18n/locales";

// As entry.server does: the server renders with every catalogue in memory (decision 034).
setCatalogSource((locale) => CATALOGS[locale]);

/**
 * A component rendered on the server under a root route whose loader data carries the language,
 * as in the app, so `useT()` reads that language's words. `render` is React's `renderToString`
 * unless told (`renderToStaticMarkup` leaves out React's comment markers).
 */
export async function renderInApp(
  element: ReactNode,
  locale: Locale = "en",
  render: (root: ReactElement) => string = renderToString,
): Promise<string> {
  const handler = createStaticHandler([{ id: "root", path: "/", element, loader: () => ({ i18n: { locale, script: "" } }) }]);
  const context = await handler.query(new Request("http://pathways.test/"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return render(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />,
  );
}
