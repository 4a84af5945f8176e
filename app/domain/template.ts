import { z } from "zod";
import { METRIC_KEYS } from "./metric-keys";

/**
 * A pathway template is data: stages in order, each with the gate that lets an institution
 * reach it, plus the timer durations the workflow uses. Thresholds never live in code.
 */

export { METRIC_KEYS, type MetricKey } from "./metric-keys";

/**
 * Template data in other languages: per language code (`es`, `fr`…), the words an administrator
 * typed in that language. The plain fields (`name`, `label`, `description`) are the default
 * language; a missing word falls back to them (app/i18n/template-labels.ts, decision 026).
 */
const LanguageCode = z.string().regex(/^[a-z]{2,3}$/);
export const CriterionLabelsSchema = z.record(LanguageCode, z.object({ label: z.string().optional() }));
export const StageLabelsSchema = z.record(
  LanguageCode,
  z.object({ name: z.string().optional(), description: z.string().optional() }),
);
export const TemplateLabelsSchema = z.record(LanguageCode, z.object({ name: z.string().optional() }));

export const CriterionSchema = z.object({
  key: z.string().min(1),
  label: z.string().min(1),
  i18n: CriterionLabelsSchema.optional(),
  metric: z.enum(METRIC_KEYS),
  /** Metric parameters, e.g. `{ module: "M1" }` or `{ windowMonths: 12 }`. */
  params: z
    .object({
      module: z.string().optional(),
      windowMonths: z.number().int().positive().optional(),
    })
    .default({}),
  threshold: z.number(),
  /**
   * A floor criterion keeps being checked after the stage is reached; failing it this many
   * consecutive reviews flags the institution for slipping back a stage.
   */
  floor: z.object({ consecutiveReviews: z.number().int().min(1) }).optional(),
});
export type GateCriterion = z.infer<typeof CriterionSchema>;

export const StageSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, "Stage keys are lower-case words joined by _"),
  name: z.string().min(1),
  description: z.string().default(""),
  i18n: StageLabelsSchema.optional(),
  /** Criteria that must all be met to enter this stage (the first stage has none). */
  gate: z.array(CriterionSchema),
});
export type StageDefinition = z.infer<typeof StageSchema>;

export const TimersSchema = z.object({
  reminderAfterDays: z.number().int().positive(),
  escalateAfterDays: z.number().int().positive(),
  reviewEveryDays: z.number().int().positive(),
  certificationValidityMonths: z.number().int().positive(),
});
export type PathwayTimers = z.infer<typeof TimersSchema>;

export const ReadinessWeightsSchema = z
  .object({ technical: z.number().min(0), institutional: z.number().min(0), financial: z.number().min(0) })
  .refine((w) => w.technical + w.institutional + w.financial > 0, { message: "At least one readiness weight must be above 0" });
export type ReadinessWeights = z.infer<typeof ReadinessWeightsSchema>;
export const DEFAULT_READINESS_WEIGHTS: ReadinessWeights = { technical: 35, institutional: 30, financial: 35 };

export const TemplateDefinitionSchema = z
  .object({
    stages: z.array(StageSchema).min(2),
    timers: TimersSchema,
    /** How much each scorecard dimension counts in the readiness score (relative weights). */
    readinessWeights: ReadinessWeightsSchema.default({ technical: 35, institutional: 30, financial: 35 }),
    /** The template's name in other languages (its default name is the `pathway_templates.name` column). */
    i18n: TemplateLabelsSchema.optional(),
  })
  .superRefine((t, ctx) => {
    const keys = new Set<string>();
    t.stages.forEach((s, i) => {
      if (keys.has(s.key)) ctx.addIssue({ code: "custom", message: `Stage ${s.key} appears twice`, path: ["stages", i, "key"] });
      keys.add(s.key);
      if (i > 0 && s.gate.length === 0)
        ctx.addIssue({ code: "custom", message: `Stage ${s.name} has no gate criteria`, path: ["stages", i, "gate"] });
    });
  });
export type TemplateDefinition = z.infer<typeof TemplateDefinitionSchema>;

export interface PathwayTemplate {
  id: string;
  key: string;
  version: number;
  name: string;
  definition: TemplateDefinition;
}

export function stageIndex(def: TemplateDefinition, stageKey: string): number {
  const i = def.stages.findIndex((s) => s.key === stageKey);
  if (i < 0) throw new Error(`Unknown stage "${stageKey}" in template`);
  return i;
}

export function stageName(def: TemplateDefinition, stageKey: string): string {
  return def.stages.find((s) => s.key === stageKey)?.name ?? stageKey;
}
