import { max, sum } from "d3-array";
import { scaleBand, scaleLinear } from "d3-scale";
import { stack } from "d3-shape";
import { useT } from "~/i18n/react";
import { ChartFrame, Legend, px, tickFormat, type ChartSeries } from "./frame";

/**
 * Stacked columns, one per period (e.g. quarter), for counts over time. d3-shape's stack() places
 * each series on top of the ones before it; d3 scales give the axes. Plain SVG from the server.
 */

export interface Column {
  label: string;
  values: number[];
}

const PLOT_H = 160;
const AXIS_W = 44;
const LABEL_H = 52;
const LEGEND_H = 22;
const TOP_PAD = 14;
/** About this many ticks; the axis is widened to end on one. */
const TICKS = 5;

export function ColumnChart({
  title,
  columns,
  series,
  unit,
}: {
  title: string;
  columns: Column[];
  series: ChartSeries[];
  unit: string;
}) {
  const t = useT();
  const format = tickFormat(t);
  const slot = Math.max(18, Math.min(48, 640 / Math.max(1, columns.length)));
  const width = AXIS_W + columns.length * slot + 8;
  const height = LEGEND_H + TOP_PAD + PLOT_H + LABEL_H;
  const baseY = LEGEND_H + TOP_PAD + PLOT_H;

  const layers = stack<Column, number>()
    .keys(series.map((_, j) => j))
    .value((c, j) => Math.max(0, c.values[j] ?? 0))(columns);
  const top = max(columns, (c) => sum(c.values)) ?? 0;
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .nice(TICKS)
    .range([baseY, LEGEND_H + TOP_PAD]);
  // These are counts: a tick at 0.5 transitions would mean nothing.
  const ticks = y.ticks(TICKS).filter(Number.isInteger);
  const x = scaleBand<number>()
    .domain(columns.map((_, i) => i))
    .range([AXIS_W, AXIS_W + columns.length * slot])
    .paddingInner(0.3)
    .paddingOuter(0.15);
  const barW = x.bandwidth();

  return (
    <ChartFrame
      className="bar-chart column-chart"
      width={width}
      height={height}
      title={t("chart.label", { title })}
      description={t("chart.columnsDesc", { unit, max: format(y.domain()[1]) })}
      caption={t("chart.caption", { title, unit })}
    >
      <Legend series={series} x={AXIS_W} step={120} />
      <g className="y-axis">
        {ticks.map((v) => (
          <g key={v} className="tick" transform={`translate(0, ${px(y(v))})`}>
            <line className="gridline" x1={AXIS_W} x2={width} y1={0} y2={0} />
            <text className="bar-value" x={AXIS_W - 8} y={4} textAnchor="end">
              {format(v)}
            </text>
          </g>
        ))}
        <line className="axis" x1={AXIS_W - 4} x2={width} y1={baseY} y2={baseY} />
      </g>
      {columns.map((c, i) => {
        const left = x(i) ?? 0;
        const total = sum(c.values);
        return (
          <g key={`${c.label}-${i}`} className="column" data-total={total}>
            {layers.map((layer) => {
              const [y0, y1] = layer[i];
              if (y1 <= y0) return null;
              return (
                <rect
                  key={layer.key}
                  className={series[layer.key].className}
                  x={px(left)}
                  y={px(y(y1))}
                  width={px(barW)}
                  height={px(y(y0) - y(y1))}
                  data-value={y1 - y0}
                />
              );
            })}
            {total > 0 ? (
              <text className="bar-value" x={px(left + barW / 2)} y={px(y(total) - 3)} textAnchor="middle">
                {format(total)}
              </text>
            ) : null}
            <text
              className="bar-label"
              transform={`translate(${px(left + barW / 2 + 4)}, ${baseY + 8}) rotate(-60)`}
              textAnchor="end"
            >
              {c.label}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
