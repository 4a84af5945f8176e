import { z } from "zod";
import { ISO_4217 } from "../../domain/currency";

/**
 * The programme set-up forms' rules, shared by the page and any import of the same things. Messages
 * are catalogue keys (app/i18n/messages/programme.ts), translated where they are shown.
 */

const isoDate = (message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      message,
    );

/** A phase key from its name: "Phase III (2013–2017)" → "phase-iii-2013-2017". */
export function phaseKeyOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export const PhaseSchema = z
  .object({
    key: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "programme.error.key"),
    name: z.string().trim().min(2, "programme.error.name").max(80, "programme.error.name"),
    startsOn: isoDate("programme.error.date"),
    endsOn: isoDate("programme.error.date"),
  })
  .refine((p) => p.startsOn <= p.endsOn, { message: "programme.error.order", path: ["endsOn"] });

export type Phase = z.infer<typeof PhaseSchema>;

export const CountrySchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "programme.error.countryCode"),
  name: z.string().trim().min(2, "programme.error.countryName").max(80, "programme.error.countryName"),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => Object.hasOwn(ISO_4217, c), "programme.error.currency"),
});

export type Country = z.infer<typeof CountrySchema>;

/** Field → catalogue key of the first problem with each field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) out[String(i.path[0])] ??= i.message;
  return out;
}

/**
 * One phase's definition of the "institutions embedding SCORE" indicator, as a form sends it: a
 * stage of the pathway (blank: any stage), the "SCORE in its regular portfolio" flag (a checkbox),
 * or both — at least one. The programme set-up page and the logframe's own form read it with this
 * one schema, so they accept and refuse the same definitions.
 */
export function indicatorSettingsSchema(stages: readonly string[]) {
  return z
    .object({
      embeddingStage: z
        .string()
        .trim()
        .refine((s) => s === "" || stages.includes(s), "indicators.error.stage")
        .transform((s) => (s === "" ? null : s)),
      embeddingPortfolioFlag: z
        .string()
        .optional()
        .transform((v) => v === "on" || v === "true"),
    })
    .refine((s) => s.embeddingStage !== null || s.embeddingPortfolioFlag, {
      message: "indicators.settings.defineOne",
      path: ["embeddingStage"],
    });
}
