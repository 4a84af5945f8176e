import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema";

/**
 * Demo data for the logframe: two programme phases, targets for every demo country, and manual
 * actuals with their evidence. Natural keys throughout, so loading it twice changes nothing.
 * Targets are invented but in the ranges the SCORE evaluations report (cost share 20–70 %).
 */

export const DEMO_PHASES = [
  { key: "phase-3", name: "Phase III", starts_on: "2022-01-01", ends_on: "2024-12-31" },
  { key: "phase-4", name: "Phase IV", starts_on: "2025-01-01", ends_on: "2027-12-31" },
];

const COUNTRIES = ["CN", "CO", "GH", "IN", "ID", "ZA", "VN", "PE", "BO"];

/** Phase IV targets; Phase III's are about two thirds of them. */
const PHASE_4: Record<string, (i: number) => number> = {
  institutions_embedding: (i) => 1 + (i % 3),
  non_ilo_cost_share: (i) => [50, 40, 60, 45, 55, 70, 65, 35, 30][i],
  paying_sponsors: (i) => 4 + (i % 4) * 2,
  clusters_selected: (i) => 2 + (i % 3),
  mous_signed: (i) => 2 + (i % 2),
  partner_staff_trained: (i) => 20 + (i % 4) * 5,
  business_plans: (i) => 1 + (i % 3),
  national_expert_trainers: (i) => 2 + (i % 3),
  centre_of_excellence: () => 1,
};

export const DEMO_MANUAL_ACTUALS = [
  {
    indicator_key: "centre_of_excellence",
    country: "GH",
    phase_key: "phase-4",
    value: 1,
    evidence: "https://example.org/score/ghana-centre-of-excellence-decree.pdf",
    note: "Designated by the national productivity council",
  },
  {
    indicator_key: "clusters_selected",
    country: "VN",
    phase_key: "phase-4",
    value: 3,
    evidence: "Steering committee minutes, 14 March 2025",
    note: "",
  },
];

export async function seedIndicatorDemo(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  await db
    .insertInto("programme_phases")
    .values(DEMO_PHASES)
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const targets = COUNTRIES.flatMap((country, i) =>
    Object.entries(PHASE_4).flatMap(([indicator_key, f]) => {
      const four = f(i);
      const three =
        indicator_key === "non_ilo_cost_share" || indicator_key === "centre_of_excellence"
          ? Math.max(four - 20, four === 1 ? 0 : 20)
          : Math.max(1, Math.round((four * 2) / 3));
      return [
        { id: crypto.randomUUID(), indicator_key, country, phase_key: "phase-3", target: three },
        { id: crypto.randomUUID(), indicator_key, country, phase_key: "phase-4", target: four },
      ];
    }),
  );
  await db
    .insertInto("indicator_targets")
    .values(targets)
    .onConflict((oc) => oc.columns(["indicator_key", "country", "phase_key", "dimension"]).doNothing())
    .execute();
  await db
    .insertInto("indicator_manual_actuals")
    .values(DEMO_MANUAL_ACTUALS)
    .onConflict((oc) => oc.columns(["indicator_key", "country", "phase_key"]).doNothing())
    .execute();
}
