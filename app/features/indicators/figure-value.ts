import { z } from "zod";
import type { IndicatorUnit } from "./indicators";

/**
 * One rule for a logframe figure (a target or a manual actual), whoever types it: the target
 * form and the targets import read the text with `readFigureText` and check it against the
 * indicator's unit with `figureProblem`, so they accept and refuse the same values
 * (docs/decisions/020-adoption.md). Messages are catalogue keys.
 */

/** "12.5", " 4,5 ", "40 %", "40%" → the number; anything else → NaN. Blank → NaN. */
export function readFigureText(raw: unknown): number {
  const text = typeof raw === "string" ? raw.trim().replace(/\s/g, "") : "";
  const bare = text.endsWith("%") ? text.slice(0, -1) : text;
  const normal = /^\d+(,\d+)?$/.test(bare) ? bare.replace(",", ".") : bare;
  return /^\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
}

/** Whether the text carries a percent sign: only a percentage may. */
const hasPercentSign = (raw: unknown) => typeof raw === "string" && raw.trim().endsWith("%");

/** The problem with a figure for an indicator of this unit, as a message key; null when it is fine. */
export function figureProblem(raw: unknown, unit: IndicatorUnit): string | null {
  const value = readFigureText(raw);
  if (hasPercentSign(raw) && unit !== "percent") return "indicators.error.number";
  if (unit === "yes_no") return value === 0 || value === 1 ? null : "indicators.error.yesNo";
  if (unit === "percent") return value >= 0 && value <= 100 ? null : "indicators.error.percent";
  return Number.isFinite(value) && value <= 1e9 ? null : "indicators.error.number";
}

/** The figure as a zod schema for one unit: text in, number out, the same refusals as above. */
export function figureSchema(unit: IndicatorUnit) {
  return z
    .unknown()
    .superRefine((raw, ctx) => {
      const problem = figureProblem(raw, unit);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((raw) => readFigureText(raw));
}
