import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { CsrfInput } from "./components/CsrfInput";
import { useFocusAfterAction } from "./components/FocusAfterAction";
import { useTableLinkNavigation } from "./components/TableLink";
import { LanguagePicker } from "./components/LanguagePicker";
import { useNonce } from "./components/Nonce";
import { REQUEST_REFERENCE_ATTRIBUTE, useRequestId } from "./components/RequestId";
import { useT } from "./i18n/react";
import { localise } from "./i18n/localise";
import { metaT } from "./i18n/meta";
import { roleName } from "./i18n/labels";
import styles from "./styles/app.css";
import formsStyles from "./styles/forms.css";
import { loadHeader } from "./platform/header.server";
import { shouldRevalidateRoot } from "./platform/root-revalidate";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await loadHeader(request, context), { headers: { "Cache-Control": "private, no-store" } });
}

/**
 * A page whose loader refused with a Response drawn by this boundary keeps that Response's
 * Cache-Control (a public results page of a country not published: 404, `no-store`). Other pages
 * say nothing here; the web server sets theirs.
 */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const out: Record<string, string> = {};
  const cache = errorHeaders?.get("Cache-Control");
  if (cache) out["Cache-Control"] = cache;
  return out;
};

/** The catalogue is not sent again on every navigation (app/platform/root-revalidate.ts). */
export const shouldRevalidate: ShouldRevalidateFunction = (args) => shouldRevalidateRoot(args);

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: formsStyles },
  // No icon file to fetch: saves a request (and a 404) on every first visit over a slow line.
  { rel: "icon", href: "data:," },
];

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: "Pathways" },
  { name: "description", content: metaT(matches)("app.description") },
];

/** Narrow screens: the width below which the header's links fold behind the menu button (app.css). */
const NARROW = "(max-width: 719.98px)";

/** A count beside a link, said in words to a screen reader; nothing when zero. */
function Count({ n, messageKey }: { n: number; messageKey: string }) {
  const t = useT();
  if (n <= 0) return null;
  return (
    <span className="badge" aria-label={t.plural(messageKey, n)}>
      {t.number(n)}
    </span>
  );
}

function MainNav() {
  const header = useRouteLoaderData<typeof loader>("root");
  const t = useT();
  const user = header?.user;
  // Below NARROW the links fold behind a menu button: a <details> disclosure, so it works
  // without script and says "expanded/collapsed" to a screen reader. It is rendered open (a
  // phone without script sees the links, as before); on a narrow screen the script folds it, and
  // folds it again after each navigation. Wide screens hide the button and keep it open.
  const [open, setOpen] = useState(true);
  const { pathname } = useLocation();
  useEffect(() => {
    if (window.matchMedia(NARROW).matches) setOpen(false);
  }, [pathname]);
  if (!user) return <LanguagePicker />;
  return (
    <details
      className="nav-menu"
      open={open}
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        // A wide screen has no button to open it again.
        setOpen(isOpen || !window.matchMedia(NARROW).matches);
      }}
    >
      <summary>{t("nav.menu")}</summary>
      <div className="nav-panel">
        <nav aria-label={t("nav.label")}>
          <NavLink to="/institutions" end>
            {t("nav.institutions")}
          </NavLink>
          <NavLink to="/portfolio">{t("nav.portfolio")}</NavLink>
          <NavLink to="/analytics">{t("nav.analytics")}</NavLink>
          {user.menu.handover ? <NavLink to="/plans">{t("nav.handover")}</NavLink> : null}
          {user.menu.logframe ? <NavLink to="/logframe">{t("indicators.nav")}</NavLink> : null}
          {user.menu.queues ? (
            <NavLink to="/queues">
              {t("nav.queues")}{" "}
              <Count n={user.queues.signOff + user.queues.verify + user.queues.plans} messageKey="nav.waiting" />
            </NavLink>
          ) : null}
          {user.menu.verify ? (
            <NavLink to="/verify">
              {t("nav.verify")} <Count n={user.queues.verify} messageKey="nav.waiting" />
            </NavLink>
          ) : null}
          {user.menu.inbox ? (
            <NavLink to="/inbox">
              {t("nav.inbox")} <Count n={user.queues.returned} messageKey="nav.returned" />
            </NavLink>
          ) : null}
          {user.menu.import ? <NavLink to="/import">{t("import.nav")}</NavLink> : null}
          <NavLink to="/notifications">
            {t("nav.notifications")}{" "}
            {user.unread > 0 ? (
              <span className="badge" aria-label={t.plural("nav.unread", user.unread)}>
                {t.number(user.unread)}
              </span>
            ) : null}
          </NavLink>
          {user.menu.admin ? (
            <>
              <NavLink to="/admin/users">{t("nav.users")}</NavLink>
              <NavLink to="/admin/audit">{t("nav.audit")}</NavLink>
              <NavLink to="/admin/templates">{t("templates.nav")}</NavLink>
              <NavLink to="/admin/outbox">{t("nav.outbox")}</NavLink>
            </>
          ) : null}
        </nav>
        <div className="user-menu">
          <span>
            <Link to="/account">{user.name}</Link>{" "}
            <span className="muted">
              · {roleName(t, user.role)}
              {user.scope ? ` · ${user.scope}` : ""}
            </span>
          </span>
          <Form method="post" action="/logout">
            <CsrfInput />
            <button type="submit" className="link">
              {t("user.signOut")}
            </button>
          </Form>
          <LanguagePicker />
        </div>
      </div>
    </details>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const t = useT();
  const nonce = useNonce();
  const header = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang={t.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The language's words, cached by the browser for good (decision 034); deferred, so it
            never holds up the first paint; entry.client waits for it before hydrating. */}
        {header?.i18n.script ? <script defer nonce={nonce} src={header.i18n.script} data-catalogue="" /> : null}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("shell.skip")}
        </a>
        <header className="site-header">
          <Link to="/institutions" className="brand">
            Pathways
          </Link>
          <MainNav />
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const navigation = useNavigation();
  const t = useT();
  useFocusAfterAction();
  useTableLinkNavigation();
  // Marks the page as interactive: what browser tests wait for before they test scripted behaviour.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <Shell>
      <div
        className={`progress-bar${navigation.state !== "idle" ? " active" : ""}`}
        role="progressbar"
        aria-hidden={navigation.state === "idle"}
        aria-label={t("shell.loading")}
      />
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const pageRequestId = useRequestId();
  const t = useT();
  let title = t("error.generic.title");
  let message = t("error.generic.message");
  // The log names every failure by its request id: a client-side request's id travels in the
  // error's message (entry.server's handleDataRequest), a whole page's in RequestIdContext.
  let reference: string | null = null;
  // A route's own words, in the reader's language; English the catalogue does not know is not
  // put inside a Spanish or French page: the page's own sentence is shown instead.
  const said = (data: unknown) => {
    if (typeof data !== "string" || !data.trim()) return null;
    const text = localise(t, data);
    return t.locale !== "en" && text === data ? null : text;
  };
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t("error.notFound.title");
      message = said(error.data) ?? t("error.notFound.message");
    } else if (error.status === 403) {
      title = t("error.forbidden.title");
      message = t("error.forbidden.message");
    } else {
      title = `${error.status} ${error.statusText}`;
      message = said(error.data) ?? message;
      if (error.status >= 500) reference = pageRequestId ?? null;
    }
  } else {
    console.error(error);
    reference = (error instanceof Error && /\(reference ([\w-]+)\)/.exec(error.message)?.[1]) || (pageRequestId ?? null);
  }
  return (
    <Shell>
      <div className="page">
        <h1>{title}</h1>
        <p>{message}</p>
        {reference ? (
          <p className="muted">
            {t("error.reference")} <code {...{ [REQUEST_REFERENCE_ATTRIBUTE]: "" }}>{reference}</code>
          </p>
        ) : null}
        <p>
          <Link to="/institutions">{t("error.back")}</Link>
        </p>
      </div>
    </Shell>
  );
}
