import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";
import { localise } from "~/i18n/localise";
import { useT } from "~/i18n/react";

/**
 * The error boundary of an action-only route: a refusal is thrown there, so this renders it and
 * the route's loader (which redirects) is not run; the message reaches a browser without
 * JavaScript too. 403 and 404 go on to the root's boundary.
 */
/** `title` is a message key. */
export function ActionRefusal({ title }: { title: string }) {
  const t = useT();
  const error = useRouteError();
  const { id } = useParams();
  if (!isRouteErrorResponse(error) || error.status === 404 || error.status === 403) throw error;
  const message = (error.data as { message?: string } | null)?.message ?? t("problem.nothingChanged");
  return (
    <div className="form-page">
      <h1>{t(title)}</h1>
      <p className="notice notice-warn" role="alert">
        {localise(t, message)}
      </p>
      <p>
        <Link to={`/institutions/${id}`}>{t("inst.refusal.back")}</Link>
      </p>
    </div>
  );
}
