/**
 * The measures a gate criterion can use, by key. Kept apart from the template's schemas so the
 * template editor in the browser can list them without loading zod.
 */
export const METRIC_KEYS = [
  "mou_signed",
  "score_in_portfolio",
  "trainers_trained",
  "women_share_trained",
  "certified_trainers",
  "certified_in_module",
  "modules_certified_besides",
  "national_expert_trainers",
  "active_share_certified",
  "business_plan_adopted",
  "non_ilo_share",
  "non_ilo_sources",
  "cycles_without_ilo",
  "sustained_funding",
  "readiness_score",
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
