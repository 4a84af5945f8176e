import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
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
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect } from "react";
import { CsrfInput } from "./components/CsrfInput";
import styles from "./styles/app.css";
import formsStyles from "./styles/forms.css";
import { loadHeader } from "./utils/header.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await loadHeader(request, context), { headers: { "Cache-Control": "private, no-store" } });
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: formsStyles },
  // No icon file to fetch: saves a request (and a 404) on every first visit over a slow line.
  { rel: "icon", href: "data:," },
];

export const meta: MetaFunction = () => [{ title: "Pathways" }, { name: "description", content: "SCORE partner institutions on their way to independent delivery" }];

function MainNav() {
  const header = useRouteLoaderData<typeof loader>("root");
  const user = header?.user;
  if (!user) return null;
  return (
    <>
      <nav aria-label="Main">
        <NavLink to="/institutions" end>Institutions</NavLink>
        <NavLink to="/portfolio">Portfolio</NavLink>
        <NavLink to="/analytics">Stage analytics</NavLink>
        {user.role !== "institution_reporter" ? <NavLink to="/plans">Handover</NavLink> : null}
        {user.canVerify ? <NavLink to="/verify">Verification queue</NavLink> : null}
        {user.role === "institution_reporter" ? <NavLink to="/inbox">Inbox</NavLink> : null}
        <NavLink to="/notifications">
          Notifications{" "}
          {user.unread > 0 ? (
            <span className="badge" aria-label={`${user.unread} unread`}>{user.unread}</span>
          ) : null}
        </NavLink>
        {user.role === "ilo_admin" ? (
          <>
            <NavLink to="/admin/users">Users</NavLink>
            <NavLink to="/admin/audit">Audit log</NavLink>
          </>
        ) : null}
      </nav>
      <div className="user-menu">
        <span>
          {user.name} <span className="muted">· {user.roleLabel}{user.scope ? ` · ${user.scope}` : ""}</span>
        </span>
        <Form method="post" action="/logout">
          <CsrfInput />
          <button type="submit" className="link">Sign out</button>
        </Form>
      </div>
    </>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="site-header">
          <Link to="/institutions" className="brand">Pathways</Link>
          <MainNav />
        </header>
        <main id="main" tabIndex={-1}>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const navigation = useNavigation();
  // Marks the page as interactive: what browser tests wait for before they test scripted behaviour.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <Shell>
      <div className={`progress-bar${navigation.state !== "idle" ? " active" : ""}`} role="progressbar" aria-hidden={navigation.state === "idle"} aria-label="Loading" />
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "The problem has been logged. Please try again in a moment.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Not found";
      message = typeof error.data === "string" ? error.data : "There is nothing at this address.";
    } else if (error.status === 403) {
      title = "Not allowed";
      message = "You do not have access to this page.";
    } else {
      title = `${error.status} ${error.statusText}`;
      message = typeof error.data === "string" ? error.data : message;
    }
  } else {
    console.error(error);
  }
  return (
    <Shell>
      <div className="page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p><Link to="/institutions">Back to the institutions</Link></p>
      </div>
    </Shell>
  );
}
