import { useId, type ReactNode } from "react";
import type { Translator } from "~/i18n/translate";

/** Colour class of one series, from analytics.css: "bar-a", "bar-b", "bar-warn". */
export interface ChartSeries {
  label: string;
  className: string;
}

/** Two decimals are plenty for a viewBox a few hundred units wide, and keep the markup short. */
export const px = (n: number) => Math.round(n * 100) / 100;

/**
 * The figure around a chart: an SVG picture named by its <title> and described by its <desc>
 * (read out by screen readers as one image), and a caption with the unit. The figures
 * themselves are in the table beside each chart.
 */
export function ChartFrame(props: {
  className: string;
  width: number;
  height: number;
  title: string;
  description: string;
  caption: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className={props.className}>
      {/* Drawn at its own size (one unit a CSS pixel), never stretched or squeezed to the page's
          width: its text keeps the size analytics.css gives it however few or many bars there
          are. A chart wider than the screen scrolls sideways in its own focusable region. */}
      <div className="chart-scroll" role="region" aria-label={props.title} tabIndex={0}>
        <svg
          viewBox={`0 0 ${props.width} ${props.height}`}
          width={props.width}
          height={props.height}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
        >
          <title id={`${id}-title`}>{props.title}</title>
          <desc id={`${id}-desc`}>{props.description}</desc>
          {props.children}
        </svg>
      </div>
      <figcaption>{props.caption}</figcaption>
    </figure>
  );
}

/** One swatch and name per series, in a row; `extra` goes after them (e.g. the range line's key). */
export function Legend({ series, x, step, extra }: { series: ChartSeries[]; x: number; step: number; extra?: ReactNode }) {
  return (
    <g className="bar-legend" transform="translate(0, 12)">
      {series.map((s, i) => (
        <g key={s.label} transform={`translate(${x + i * step}, 0)`}>
          <rect className={s.className} x={0} y={-9} width={12} height={10} />
          <text x={16} y={0}>
            {s.label}
          </text>
        </g>
      ))}
      {extra ? <g transform={`translate(${x + series.length * step}, 0)`}>{extra}</g> : null}
    </g>
  );
}

/** Tick labels in the reader's language: 1,500 / 1 500 / 1.500. */
export const tickFormat = (t: Translator) => (n: number) => t.number(n, { maximumFractionDigits: 1 });
