import { useRouteLoaderData } from "@remix-run/react";

/** The session's CSRF token, for every form that changes something. The root loader provides it. */
export function CsrfInput() {
  const root = useRouteLoaderData("root") as { csrfToken?: string } | undefined;
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}
