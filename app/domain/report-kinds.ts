/** The kinds of milestone report and their names, without their schemas (no zod in the browser for a label). */
export const REPORT_KIND_LABELS = {
  tot_cohort: "ToT cohort completed",
  trainer_certified: "Trainer certified",
  trainer_lapsed: "Trainer certification lapsed",
  training_cycle: "Training cycle delivered",
  enterprise_reached: "Enterprise reached",
  mou_signed: "MoU signed",
  score_in_portfolio: "SCORE listed in service portfolio",
  business_plan_adopted: "Business plan adopted",
  funding_secured: "Budget line or sponsor secured",
} as const;

export function reportKindLabel(kind: string): string {
  return (REPORT_KIND_LABELS as Record<string, string>)[kind] ?? kind.replaceAll("_", " ");
}
