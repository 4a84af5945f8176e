import { useT } from "~/i18n/react";
/**
 * A small horizontal bar chart in plain SVG, drawn the same on the server and in the browser. Each
 * row has one bar per series and, optionally, a range line over the first bar (e.g. p25–p75). The
 * chart is a picture with a one-line description; the numbers are in the table next to it.
 */

export interface BarSeries {
  label: string;
  /** Colour class, from analytics.css: "bar-a", "bar-b", "bar-warn". */
  className: string;
}

export interface BarRow {
  label: string;
  values: number[];
  range?: [number, number] | null;
}

const LABEL_W = 200;
const PLOT_W = 420;
const VALUE_W = 60;
const BAR_H = 14;
const ROW_GAP = 10;


export function BarChart({ title, rows, series, unit }: { title: string; rows: BarRow[]; series: BarSeries[]; unit: string }) {
  const max = Math.max(1, ...rows.flatMap((r) => [...r.values, ...(r.range ? [r.range[1]] : [])]));
  const scale = (v: number) => (v / max) * PLOT_W;
  const rowH = series.length * BAR_H + ROW_GAP;
  const legendH = series.length > 1 || rows.some((r) => r.range) ? 22 : 0;
  const height = legendH + rows.length * rowH + 4;
  const width = LABEL_W + PLOT_W + VALUE_W;
  const t = useT();
  const format = (n: number) => t.number(n, { maximumFractionDigits: 1 });
  return (
    <figure className="bar-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t("chart.label", { title })}>
        {legendH ? (
          <g className="bar-legend" transform="translate(0, 12)">
            {series.map((s, i) => (
              <g key={s.label} transform={`translate(${LABEL_W + i * 150}, 0)`}>
                <rect className={s.className} x={0} y={-9} width={12} height={10} />
                <text x={16} y={0}>
                  {s.label}
                </text>
              </g>
            ))}
            {rows.some((r) => r.range) ? (
              <g transform={`translate(${LABEL_W + series.length * 150}, 0)`}>
                <line className="bar-range" x1={0} x2={14} y1={-4} y2={-4} />
                <text x={18} y={0}>
                  {t("chart.range")}
                </text>
              </g>
            ) : null}
          </g>
        ) : null}
        {rows.map((r, i) => {
          const y = legendH + i * rowH;
          return (
            <g key={`${r.label}-${i}`} transform={`translate(0, ${y})`}>
              <text className="bar-label" x={LABEL_W - 8} y={(series.length * BAR_H) / 2 + 4} textAnchor="end">
                {r.label}
              </text>
              {r.values.map((v, j) => (
                <g key={j}>
                  <rect className={series[j].className} x={LABEL_W} y={j * BAR_H} width={Math.max(0, scale(v))} height={BAR_H - 2} />
                  <text className="bar-value" x={LABEL_W + scale(j === 0 && r.range ? Math.max(v, r.range[1]) : v) + 4} y={j * BAR_H + BAR_H - 4}>
                    {format(v)}
                  </text>
                </g>
              ))}
              {r.range ? (
                <g className="bar-range">
                  <line x1={LABEL_W + scale(r.range[0])} x2={LABEL_W + scale(r.range[1])} y1={BAR_H / 2 - 1} y2={BAR_H / 2 - 1} />
                  <line x1={LABEL_W + scale(r.range[0])} x2={LABEL_W + scale(r.range[0])} y1={1} y2={BAR_H - 3} />
                  <line x1={LABEL_W + scale(r.range[1])} x2={LABEL_W + scale(r.range[1])} y1={1} y2={BAR_H - 3} />
                </g>
              ) : null}
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
