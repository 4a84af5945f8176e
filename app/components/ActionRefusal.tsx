import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";

/**
 * The error boundary of an action-only route: a refusal is thrown there, so this renders it and
 * the route's loader (which redirects) is not run; the message reaches a browser without
 * JavaScript too. 403 and 404 go on to the root's boundary.
 */
export function ActionRefusal({ title }: { title: string }) {
  const error = useRouteError();
  const { id } = useParams();
  if (!isRouteErrorResponse(error) || error.status === 404 || error.status === 403) throw error;
  const message = (error.data as { message?: string } | null)?.message ?? "Nothing was changed.";
  return (
    <div className="form-page">
      <h1>{title}</h1>
      <p className="notice notice-warn" role="alert">
        {message}
      </p>
      <p>
        <Link to={`/institutions/${id}`}>Back to the institution</Link>
      </p>
    </div>
  );
}
