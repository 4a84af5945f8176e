import type { IndicatorUnit } from "~/features/indicators/indicators";
import type { Translator } from "~/i18n/translate";
import type { CellView } from "./logframe.server";

/** How the logframe words its figures, the same on the page and in every export. */

export function formatFigure(t: Translator, unit: IndicatorUnit, value: number | null): string {
  if (value === null) return t("indicators.noValue");
  if (unit === "yes_no") return t(value > 0 ? "indicators.yes" : "indicators.no");
  return unit === "percent" ? t.percent(value, 1) : t.number(value, { maximumFractionDigits: 2 });
}

/** Decimals an indicator's figures carry: one for a percentage, two at most otherwise (targets may be 12.5). */
export const precisionOf = (unit: IndicatorUnit) => (unit === "percent" ? 1 : 2);

/** A figure rounded to its indicator's precision, so a file holds 40.1, not 40.099999999999994. */
export function roundFigure(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/** The actual as text: the figure, the women's share, the per-currency shares, or "not entered". */
export function actualText(
  t: Translator,
  unit: IndicatorUnit,
  cell: Pick<CellView, "value" | "manual" | "entered" | "unknown" | "women" | "perCurrency"> & { valueText?: string | null },
): string {
  if (cell.manual && !cell.entered) return t("indicators.notEntered");
  if (cell.unknown) return t("indicators.unknown");
  if (cell.valueText) return `${cell.valueText} ${t("indicators.qualitativeMark")}`;
  if (cell.perCurrency)
    return `${t("indicators.mixedCurrencies")}: ${cell.perCurrency.map((p) => `${p.currency} ${t.percent(p.percent, 1)}`).join(", ")}`;
  const figure = formatFigure(t, unit, cell.value);
  if (cell.women && cell.women.percent !== null)
    return `${figure} (${t("indicators.women", { percent: t.percent(cell.women.percent, 1) })})`;
  return figure;
}

/** The target as text: the figure, or a qualitative target marked as such. */
export function targetText(t: Translator, unit: IndicatorUnit, cell: Pick<CellView, "target" | "targetText">): string {
  if (cell.targetText) return `${cell.targetText} ${t("indicators.qualitativeMark")}`;
  return formatFigure(t, unit, cell.target);
}

/** A row's name: the indicator, and the part of it the row shows (women, men, % women, modules). */
export function partName(t: Translator, key: string, dimension: string): string {
  const name = indicatorName(t, key);
  if (dimension === "") return name;
  if (dimension === "women_share") return `${name}: ${t("indicators.export.womenShare")}`;
  if (dimension === "women" || dimension === "men") return `${name}: ${t(`indicators.dim.${dimension}`)}`;
  const modules = dimension.replace(/^module:/, "").split("+");
  return `${name}: ${t.plural("indicators.dim.modules", modules.length, { modules: modules.join(", ") })}`;
}

export function achievedText(t: Translator, achieved: number | null, exceeded = false): string {
  if (exceeded) return t("indicators.exceeded");
  return achieved === null ? t("indicators.noValue") : t.percent(achieved, 1);
}

export function indicatorName(t: Translator, key: string): string {
  return t(`indicators.name.${key}`);
}

export function logframeQuery(phase: string, country: string, indicator: string, asAt?: string, dimension?: string): string {
  return new URLSearchParams({
    phase,
    country,
    indicator,
    ...(asAt ? { asAt } : {}),
    ...(dimension ? { dimension } : {}),
  }).toString();
}
