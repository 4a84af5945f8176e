import { createHash } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { getTemplate } from "./queries/institutions";
import { evaluateAndStoreStatus } from "./queries/status";
import { DEFAULT_TEMPLATE_ID } from "./reference-data";
import type { Database } from "./schema";
import { buildDemoData, type DemoRows, type Rng } from "./seed-build";
import { DEMO_INSTITUTIONS, type InstitutionPlan } from "./seed-catalogue";
import { seedScorecard } from "./seed-scorecard";
import { seedIndicatorDemo } from "./seed-indicators";
import { seedTemplateVersions } from "./seed-templates";

/**
 * Demo data for a first `npm start`: about 25 invented partner institutions across the nine
 * countries and every stage, with the records, reports and history behind each one. The data is
 * the same for the same `now`; what it contains and why is told in seed-build.ts.
 */

export { SEED_ACTOR as DEMO_SEED_ACTOR } from "./seed-build";

const names = (keep: (p: InstitutionPlan) => boolean) => DEMO_INSTITUTIONS.filter(keep).map((p) => p.name);

/** The main demo story: at Engaged with MoU and portfolio, waiting for its first ToT cohort report. */
export const DEMO_STORY_INSTITUTION = names((p) => p.story === "demo")[0];
/** Institutions whose next gate is already met: they wait for an ILO officer's sign-off. */
export const DEMO_AWAITING_SIGN_OFF = names((p) => p.story === "awaiting");
/** The only institutions that fail a gate of a stage they have reached (the stories in seed-build.ts). */
export const DEMO_AT_RISK = names((p) => p.story === "at_risk_certification" || p.story === "at_risk_funding");

/** Any constant will do: it only has to be the same for every process that seeds this database. */
const SEED_LOCK_KEY = 7_242_001;
const BATCH = 500;

/** mulberry32: a small, fast PRNG, so the demo data is the same on every machine. */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: turns an institution's key into the seed of its own random stream. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A name-based UUID (version 5 layout): the same parts give the same id in every database. */
export function demoId(...parts: (string | number)[]): string {
  const h = createHash("sha1")
    .update(`pathways-demo:${parts.join(":")}`)
    .digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Loads the demo data once: does nothing when any institution exists. Two processes starting
 * together both wait on one advisory lock inside the transaction, so the second sees the first's
 * rows and loads nothing.
 */
export async function seedDemoData(db: Kysely<Database>, now: Date): Promise<{ institutions: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(SEED_LOCK_KEY)})`.execute(trx);
    const existing = await trx.selectFrom("institutions").select("id").limit(1).executeTakeFirst();
    if (existing) return { institutions: 0 };
    const rows = await buildRows(trx, now);
    await insertRows(trx, rows);
    await seedScorecard(trx, now, { rngFor: (key) => seededRandom(hashString(key)), id: demoId });
    await seedIndicatorDemo(trx);
    await seedTemplateVersions(trx, now, [DEMO_STORY_INSTITUTION, ...DEMO_AWAITING_SIGN_OFF, ...DEMO_AT_RISK]);
    // The pathway status read model, as the workflows would store it: a fresh demo shows every
    // gate at once instead of "being re-evaluated" until each pathway has started and evaluated.
    // Last, so each institution is evaluated on its final template and records.
    for (const inst of rows.institutions) await evaluateAndStoreStatus(trx, { institutionId: inst.id, at: now });
    return { institutions: rows.institutions.length };
  });
}

async function buildRows(trx: Transaction<Database>, now: Date): Promise<DemoRows> {
  const template = await getTemplate(trx, DEFAULT_TEMPLATE_ID);
  const countries = await trx.selectFrom("countries").select(["code", "currency"]).execute();
  const currency = new Map(countries.map((c) => [c.code, c.currency]));
  return buildDemoData(DEMO_INSTITUTIONS, {
    now,
    template: template.definition,
    templateId: template.id,
    currencyOf: (code) => currency.get(code) ?? "USD",
    rngFor: (key) => seededRandom(hashString(key)),
    id: demoId,
  });
}

/** Parents before children, in batches: a few dozen statements for the whole data set. */
async function insertRows(trx: Transaction<Database>, rows: DemoRows): Promise<void> {
  const order = [
    "institutions",
    "reports",
    "cohorts",
    "trainers",
    "certifications",
    "enterprises",
    "cycles",
    "commitments",
    "transitions",
    "notifications",
    "audit",
  ] as const;
  const table: Record<(typeof order)[number], keyof Database> = {
    institutions: "institutions",
    reports: "milestone_reports",
    cohorts: "tot_cohorts",
    trainers: "trainers",
    certifications: "trainer_certifications",
    enterprises: "enterprises",
    cycles: "training_cycles",
    commitments: "funding_commitments",
    transitions: "stage_transitions",
    notifications: "notifications",
    audit: "audit_log",
  };
  for (const key of order) {
    const list = rows[key] as object[];
    for (let i = 0; i < list.length; i += BATCH)
      await trx
        .insertInto(table[key])
        .values(list.slice(i, i + BATCH) as never)
        .execute();
  }
}
