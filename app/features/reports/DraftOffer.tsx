import { useEffect, useRef } from "react";
import { reportKindName } from "~/i18n/labels";
import { useT } from "~/i18n/react";
import { isReportKind } from "./report-form";
import type { ReportDraft } from "./report-draft";

/**
 * "A report not yet sent is kept on this device": restore or discard. A region with a heading, so
 * a screen reader finds it; its buttons are plain buttons, reached with Tab.
 */
export function DraftOffer({
  draft,
  onRestore,
  onDiscard,
}: {
  draft: ReportDraft;
  onRestore: () => void;
  onDiscard: () => void;
}) {
  const t = useT();
  const when = t.dateTime(new Date(draft.savedAt));
  const kind = isReportKind(draft.kind) ? reportKindName(t, draft.kind) : draft.kind;
  return (
    <section className="panel panel-warn draft-offer" aria-labelledby="draft-offer-heading">
      <h2 id="draft-offer-heading">{t("draft.offerTitle")}</h2>
      <p>{t("draft.offerBody", { kind, when })}</p>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onRestore}>
          {t("draft.restore")}
        </button>
        <button type="button" className="button button-secondary" onClick={onDiscard}>
          {t("draft.discard")}
        </button>
      </div>
    </section>
  );
}

/** What happened to the draft, said once and focused, so the keyboard does not fall to the page's top. */
export function DraftStatus({ message }: { message: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), [message]);
  return (
    <p className="notice" role="status" tabIndex={-1} ref={ref}>
      {message}
    </p>
  );
}
