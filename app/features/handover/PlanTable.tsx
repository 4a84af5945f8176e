import { FUNDING_SOURCES } from "~/domain/records";
import { useT } from "~/i18n/react";
import type { PlanTableRow } from "./plan-view";

/** A plan per year: cost, funding by source, non-ILO share, gap, and the floors first met that year. */
export function PlanTable({ rows, currency, caption }: { rows: PlanTableRow[]; currency: string; caption: string }) {
  const t = useT();
  const id = `plan-caption-${caption.length}`;
  return (
    <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="data">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("handover.col.year")}</th>
            <th scope="col">{t("handover.col.cycles")}</th>
            <th scope="col">{t("handover.col.enterprises")}</th>
            <th scope="col">{t("handover.col.cost")}</th>
            {FUNDING_SOURCES.map((s) => (
              <th scope="col" key={s}>
                {t(`handover.source.${s}`)}
              </th>
            ))}
            <th scope="col">{t("handover.col.nonIloShare")}</th>
            <th scope="col">{t("handover.col.gap")}</th>
            <th scope="col">{t("handover.col.floorMet")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.year}>
              <th scope="row">{r.year}</th>
              <td className="num">{r.cycles}</td>
              <td className="num">{r.enterprises}</td>
              <td className="num">{r.cost}</td>
              {FUNDING_SOURCES.map((s) => (
                <td className="num" key={s}>
                  {r.funding[s]}
                </td>
              ))}
              <td className="num">{r.nonIloShare}</td>
              <td className="num">{r.gap}</td>
              <td>{r.floorsMet.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t("handover.gapNote", { currency })}</p>
    </div>
  );
}
