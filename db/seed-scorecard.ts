import type { Transaction } from "kysely";
import { addMonths, isoDate } from "../app/domain/dates";
import { SCORECARD_CRITERIA, type AssessmentKind } from "../app/features/scorecard/scorecard";
import type { Database } from "./schema";
import { DEMO_INSTITUTIONS } from "./seed-catalogue";
import type { Rng } from "./seed-build";

/**
 * Demo readiness assessments. About two institutions in three have an ILO assessment and a
 * self-assessment, scored from their stage (later stages score higher) with some noise; the
 * self-assessment leans optimistic, as it tends to. The demo story's institution has a baseline
 * and a current ILO assessment, and a self-assessment with wide gaps both ways, to talk about.
 * No audit entries: the seed's audit log stays in time order (see tests/db/seed.test.ts).
 */

const STAGE_LEVEL: Record<string, number> = { engaged: 1.4, tot: 2, certification: 2.5, cost_recovery: 3, independent: 3.5 };
const SELF_BIAS = [0, 0, 0, 1, 1, -1, 2];

/** The demo story: a new partner that rates its technical and financial readiness higher than the ILO does. */
const STORY = {
  baseline: {
    trainer_pool: 1,
    quality_assurance: 1,
    delivery_standard: 1,
    kpi_collection: 1,
    strategy: 2,
    dedicated_team: 1,
    marketing_sales: 1,
    monitoring_reporting: 1,
    pricing_cost_recovery: 1,
    funding_diversity: 1,
    secured_funding: 1,
    financial_management: 1,
  },
  ilo: {
    trainer_pool: 1,
    quality_assurance: 1,
    delivery_standard: 2,
    kpi_collection: 1,
    strategy: 4,
    dedicated_team: 2,
    marketing_sales: 1,
    monitoring_reporting: 2,
    pricing_cost_recovery: 1,
    funding_diversity: 1,
    secured_funding: 1,
    financial_management: 2,
  },
  self: {
    trainer_pool: 2,
    quality_assurance: 3,
    delivery_standard: 2,
    kpi_collection: 2,
    strategy: 2,
    dedicated_team: 3,
    marketing_sales: 3,
    monitoring_reporting: 2,
    pricing_cost_recovery: 3,
    funding_diversity: 2,
    secured_funding: 1,
    financial_management: 2,
  },
  comments: {
    ilo: {
      strategy: "SCORE is in the centre's 2026–2028 strategy, with targets the board reviews.",
      pricing_cost_recovery: "No cost calculation yet; the fee was set by comparison with other courses.",
      quality_assurance: "No national expert trainer yet.",
    },
    self: {
      pricing_cost_recovery: "Our fee covers trainer time for the first two modules.",
      marketing_sales: "Three enterprises approached us after the launch event.",
    },
  } as Record<AssessmentKind, Record<string, string>>,
};

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const clamp = (n: number) => Math.min(4, Math.max(1, Math.round(n)));

interface Planned {
  institutionId: string;
  kind: AssessmentKind;
  on: string;
  by: string;
  scores: Record<string, number>;
  comments?: Record<string, string>;
}

function plan(institutionId: string, key: string, stage: string, story: boolean, now: Date, rng: Rng): Planned[] {
  const today = isoDate(now);
  if (story) {
    return [
      { institutionId, kind: "ilo", on: addMonths(today, -8), by: "Lucía Fernández", scores: STORY.baseline },
      {
        institutionId,
        kind: "self",
        on: addMonths(today, -2),
        by: "Kwame Mensah",
        scores: STORY.self,
        comments: STORY.comments.self,
      },
      {
        institutionId,
        kind: "ilo",
        on: addMonths(today, -1),
        by: "Lucía Fernández",
        scores: STORY.ilo,
        comments: STORY.comments.ilo,
      },
    ];
  }
  if (hash(key) % 3 === 0) return [];
  const level = STAGE_LEVEL[stage] ?? 2;
  const ilo: Record<string, number> = {};
  const self: Record<string, number> = {};
  for (const c of SCORECARD_CRITERIA) {
    // Financial capacity comes last on the pathway: it trails the other two until cost recovery.
    const lag = c.dimension === "financial" && level < 3 ? -0.5 : 0;
    ilo[c.key] = clamp(level + lag + (rng() - 0.5) * 1.4);
    self[c.key] = clamp(ilo[c.key] + SELF_BIAS[Math.floor(rng() * SELF_BIAS.length)]);
  }
  return [
    { institutionId, kind: "self", on: addMonths(today, -3), by: "Institution management", scores: self },
    { institutionId, kind: "ilo", on: addMonths(today, -2), by: "ILO country office", scores: ilo },
  ];
}

/** Inserts the demo assessments inside the seed's transaction; ids are name-based, the same everywhere. */
export async function seedScorecard(
  trx: Transaction<Database>,
  now: Date,
  opts: { rngFor: (key: string) => Rng; id: (...parts: (string | number)[]) => string },
) {
  const institutions = await trx.selectFrom("institutions").select(["id", "name", "stage_key"]).execute();
  const byName = new Map(DEMO_INSTITUTIONS.map((p) => [p.name, p]));
  const planned = institutions.flatMap((i) => {
    const p = byName.get(i.name);
    return p ? plan(i.id, p.key, i.stage_key, p.story === "demo", now, opts.rngFor(`scorecard:${p.key}`)) : [];
  });
  if (planned.length === 0) return;
  const rows = planned.map((a, n) => ({ ...a, id: opts.id("assessment", a.institutionId, a.kind, a.on, n) }));
  await trx
    .insertInto("readiness_assessments")
    .values(
      rows.map((a) => ({
        id: a.id,
        institution_id: a.institutionId,
        kind: a.kind,
        assessed_by: a.by,
        assessed_by_user_id: null,
        assessed_on: a.on,
        created_at: new Date(`${a.on}T10:00:00Z`),
      })),
    )
    .execute();
  await trx
    .insertInto("readiness_scores")
    .values(
      rows.flatMap((a) =>
        SCORECARD_CRITERIA.map((c) => ({
          assessment_id: a.id,
          criterion_key: c.key,
          score: a.scores[c.key],
          comment: a.comments?.[c.key] ?? "",
        })),
      ),
    )
    .execute();
}
