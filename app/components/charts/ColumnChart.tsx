import { useT } from "~/i18n/react";
import type { BarSeries } from "./BarChart";

/**
 * Stacked columns in plain SVG, one per period (e.g. quarter), for counts over time. A picture with
 * a one-line description; the numbers are in the table next to it.
 */

export interface Column {
  label: string;
  values: number[];
}

const PLOT_H = 160;
const AXIS_W = 44;
const LABEL_H = 52;
const LEGEND_H = 22;

export function ColumnChart({ title, columns, series, unit }: { title: string; columns: Column[]; series: BarSeries[]; unit: string }) {
  const max = Math.max(1, ...columns.map((c) => c.values.reduce((a, b) => a + b, 0)));
  const slot = Math.max(18, Math.min(48, 640 / Math.max(1, columns.length)));
  const barW = slot * 0.7;
  const width = AXIS_W + columns.length * slot + 8;
  const height = LEGEND_H + PLOT_H + LABEL_H;
  const y = (v: number) => LEGEND_H + PLOT_H - (v / max) * PLOT_H;
  const t = useT();
  return (
    <figure className="bar-chart column-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t("chart.label", { title })}>
        <g className="bar-legend" transform="translate(0, 12)">
          {series.map((s, i) => (
            <g key={s.label} transform={`translate(${AXIS_W + i * 120}, 0)`}>
              <rect className={s.className} x={0} y={-9} width={12} height={10} />
              <text x={16} y={0}>
                {s.label}
              </text>
            </g>
          ))}
        </g>
        <line className="axis" x1={AXIS_W - 4} x2={width} y1={y(0)} y2={y(0)} />
        <text className="bar-value" x={AXIS_W - 8} y={y(max) + 4} textAnchor="end">
          {max}
        </text>
        <text className="bar-value" x={AXIS_W - 8} y={y(0)} textAnchor="end">
          0
        </text>
        {columns.map((c, i) => {
          const x = AXIS_W + i * slot + (slot - barW) / 2;
          let base = 0;
          const total = c.values.reduce((a, b) => a + b, 0);
          return (
            <g key={c.label}>
              {c.values.map((v, j) => {
                const rect = <rect key={j} className={series[j].className} x={x} y={y(base + v)} width={barW} height={y(base) - y(base + v)} />;
                base += v;
                return rect;
              })}
              {total > 0 ? (
                <text className="bar-value" x={x + barW / 2} y={y(total) - 3} textAnchor="middle">
                  {t.number(total)}
                </text>
              ) : null}
              <text className="bar-label" transform={`translate(${x + barW / 2 + 4}, ${y(0) + 8}) rotate(-60)`} textAnchor="end">
                {c.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {t("chart.caption", { title, unit })}
      </figcaption>
    </figure>
  );
}
