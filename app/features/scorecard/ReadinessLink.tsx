import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";

/** The institution page's way to its readiness scorecard (one line on that page). */
export function ReadinessLink({ institutionId }: { institutionId: string }) {
  const t = useT();
  return (
    <p className="readiness-link">
      <Link to={`/institutions/${institutionId}/assessment`}>{t("scorecard.link")}</Link>{" "}
      <span className="muted">· {t("scorecard.link.hint")}</span>
    </p>
  );
}
