import { max } from "d3-array";
import { scaleBand, scaleLinear } from "d3-scale";
import { useT } from "~/i18n/react";
import { ChartFrame, Legend, px, tickFormat, type ChartSeries } from "./frame";

/**
 * Horizontal bars, one group per row and one bar per series, with an optional range line over the
 * first bar (e.g. p25–p75). The geometry comes from d3 scales and is rendered as plain SVG on the
 * server, so the chart is there before any script loads and needs no measuring in the browser.
 */

export type BarSeries = ChartSeries;

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
const AXIS_H = 36;
/** About this many ticks; the axis is widened to end on one. */
const TICKS = 5;

export function BarChart({ title, rows, series, unit }: { title: string; rows: BarRow[]; series: BarSeries[]; unit: string }) {
  const t = useT();
  const format = tickFormat(t);
  const hasRange = rows.some((r) => r.range);
  const legendH = series.length > 1 || hasRange ? 22 : 0;
  const plotH = rows.length * (series.length * BAR_H + ROW_GAP);
  const width = LABEL_W + PLOT_W + VALUE_W;
  const height = legendH + plotH + AXIS_H;

  const top = max(rows, (r) => Math.max(...r.values, r.range ? r.range[1] : 0)) ?? 0;
  const x = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .nice(TICKS)
    .range([LABEL_W, LABEL_W + PLOT_W]);
  const ticks = x.ticks(TICKS);
  const y = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([legendH, legendH + plotH])
    .paddingInner(ROW_GAP / (series.length * BAR_H + ROW_GAP))
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(series.map((_, j) => j))
    .range([0, y.bandwidth()])
    .paddingInner(0.12);
  const axisY = legendH + plotH;
  const length = (v: number) => Math.max(0, x(v) - x(0));

  return (
    <ChartFrame
      className="bar-chart"
      width={width}
      height={height}
      title={t("chart.label", { title })}
      description={t("chart.barsDesc", { unit, max: format(x.domain()[1]) })}
      caption={t("chart.caption", { title, unit })}
    >
      {legendH ? (
        <Legend
          series={series}
          x={LABEL_W}
          step={150}
          extra={
            hasRange ? (
              <>
                <line className="bar-range" x1={0} x2={14} y1={-4} y2={-4} />
                <text x={18} y={0}>
                  {t("chart.range")}
                </text>
              </>
            ) : null
          }
        />
      ) : null}
      <g className="grid" aria-hidden="true">
        {ticks.map((v) => (
          <line key={v} className="gridline" x1={px(x(v))} x2={px(x(v))} y1={legendH} y2={axisY} />
        ))}
      </g>
      {rows.map((r, i) => {
        const rowY = y(i) ?? 0;
        const barH = inner.bandwidth();
        const mid = (j: number) => px((inner(j) ?? 0) + barH / 2);
        return (
          <g key={`${r.label}-${i}`} className="bar-row" transform={`translate(0, ${px(rowY)})`}>
            <text className="bar-label" x={LABEL_W - 8} y={px(y.bandwidth() / 2 + 4)} textAnchor="end">
              {r.label}
            </text>
            {r.values.map((v, j) => (
              <g key={j}>
                <rect
                  className={series[j].className}
                  x={px(x(0))}
                  y={px(inner(j) ?? 0)}
                  width={px(length(v))}
                  height={px(barH)}
                  data-value={v}
                />
                <text className="bar-value" x={px(x(j === 0 && r.range ? Math.max(v, r.range[1]) : v) + 4)} y={px(mid(j) + 4)}>
                  {format(v)}
                </text>
              </g>
            ))}
            {r.range ? (
              <g className="bar-range" data-range={`${r.range[0]}-${r.range[1]}`}>
                <line x1={px(x(r.range[0]))} x2={px(x(r.range[1]))} y1={mid(0)} y2={mid(0)} />
                <line
                  x1={px(x(r.range[0]))}
                  x2={px(x(r.range[0]))}
                  y1={px(mid(0) - barH / 2 + 1)}
                  y2={px(mid(0) + barH / 2 - 1)}
                />
                <line
                  x1={px(x(r.range[1]))}
                  x2={px(x(r.range[1]))}
                  y1={px(mid(0) - barH / 2 + 1)}
                  y2={px(mid(0) + barH / 2 - 1)}
                />
              </g>
            ) : null}
          </g>
        );
      })}
      <g className="x-axis" transform={`translate(0, ${px(axisY)})`}>
        <line className="axis" x1={LABEL_W} x2={LABEL_W + PLOT_W} y1={0} y2={0} />
        {ticks.map((v) => (
          <g key={v} className="tick" transform={`translate(${px(x(v))}, 0)`}>
            <line className="axis" y1={0} y2={4} />
            <text className="bar-value" y={16} textAnchor="middle">
              {format(v)}
            </text>
          </g>
        ))}
        <text className="axis-title" x={LABEL_W + PLOT_W} y={31} textAnchor="end">
          {unit}
        </text>
      </g>
    </ChartFrame>
  );
}
