/**
 * The logframe's institutional indicators, by stable key. Keys are stored with targets and
 * matched by imports; never rename one. How each is computed lives with the indicator
 * definitions; an indicator the records cannot compute takes a manual actual with evidence.
 */
export const INDICATOR_KEYS = [
  "institutions_embedding",
  "non_ilo_cost_share",
  "paying_sponsors",
  "clusters_selected",
  "mous_signed",
  "partner_staff_trained",
  "business_plans",
  "national_expert_trainers",
  "centre_of_excellence",
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export function isIndicatorKey(value: unknown): value is IndicatorKey {
  return typeof value === "string" && (INDICATOR_KEYS as readonly string[]).includes(value);
}
