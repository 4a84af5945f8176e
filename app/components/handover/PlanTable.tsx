import { FUNDING_SOURCE_LABELS, FUNDING_SOURCES } from "~/domain/records";
import type { PlanTableRow } from "./plan-view";

/** A plan per year: cost, funding by source, non-ILO share, gap, and the floors first met that year. */
export function PlanTable({ rows, currency, caption }: { rows: PlanTableRow[]; currency: string; caption: string }) {
  const id = `plan-caption-${caption.length}`;
  return (
    <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="data">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Cycles</th>
            <th scope="col">Enterprises</th>
            <th scope="col">Cost</th>
            {FUNDING_SOURCES.map((s) => (
              <th scope="col" key={s}>
                {FUNDING_SOURCE_LABELS[s]}
              </th>
            ))}
            <th scope="col">Non-ILO share</th>
            <th scope="col">Gap</th>
            <th scope="col">Floor met</th>
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
      <p className="muted small">Amounts in {currency}. The gap is cost minus all funding planned; a negative gap is a surplus.</p>
    </div>
  );
}
