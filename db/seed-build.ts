import { STORED_SCALE } from "../app/domain/currency";
import type { Insertable } from "kysely";
import { addDays, addMonths, isoDate } from "../app/domain/dates";
import { evaluateCriterion } from "../app/domain/gate";
import { FUNDING_SOURCES, type FundingSource, type FundingSplit, type PathwayRecords } from "../app/domain/records";
import { reportEffects, type ReportEffect, type VerifiedReport } from "../app/domain/report-effects";
import type { ReportBody } from "../app/domain/reports";
import type { TemplateDefinition } from "../app/domain/template";
import {
  COUNTRY_PROFILES,
  SECTORS,
  SIGN_OFF_NOTES,
  STAGE_ORDER,
  type CountryProfile,
  type InstitutionPlan,
  type SectorKey,
  type StageKey,
  type Story,
} from "./seed-catalogue";
import {
  enterpriseChanges,
  fundingCommitmentRow,
  institutionChanges,
  totCohortRow,
  trainerRow,
  trainingCycleRow,
} from "./queries/report-effects";
import { noticeOf } from "./migrations/011_message_keys";
import type { Database, EnterprisesTable, ReportStatus } from "./schema";

/**
 * Builds the demo data as rows, without touching the database: pure, so the same `now` and the
 * same random streams always give the same rows. Every date is counted in days before `now`.
 * What a verified report put into the records comes from its effects (report-effects.ts), the
 * same ones verification writes, under the seed's own stable ids.
 *
 * Each stage has an ordinary profile (below) that meets the gates of every stage reached and
 * misses the next one. Stories (seed-catalogue.ts) bend it:
 * - "demo": Accra Enterprise Skills Centre has its MoU and SCORE in its portfolio but no trainers
 *   yet, so reporting one ToT cohort of 6+ trainers (30%+ women) meets the ToT gate.
 * - "awaiting": the next gate is already met (Kumasi at ToT, Lima Norte at Certification, Binh
 *   Duong at Cost recovery), so the ILO officer can sign them off.
 * - "at_risk_certification": Eastern Cape Automotive Suppliers Forum certified two M1 trainers
 *   three years ago and never renewed them; both lapsed about 25 days ago, leaving 3 certified
 *   trainers against 4 required. The certification floor failed at that expiry, so the institution
 *   carries a slip flag back to ToT for an officer to confirm or dismiss; a renewal report waits
 *   for verification and, once verified, brings it back to 4.
 * - "at_risk_funding": Surabaya Enterprise Training Partners lost its lead-buyer sponsor last year;
 *   the ILO has covered most cycles since, so its non-ILO share over the last 12 months is
 *   30–40% against the 50% floor. That floor needs two consecutive failed reviews, so no flag yet.
 * - "expiring_soon": Ghana Federation of Private Employers meets its gate today with exactly 4
 *   certified trainers, one of whose certificates expires in about three weeks.
 */

export type Rng = () => number;

export interface SeedTools {
  now: Date;
  template: TemplateDefinition;
  templateId: string;
  currencyOf(countryCode: string): string;
  /** A random stream of its own per key, so one institution's data never shifts another's. */
  rngFor(key: string): Rng;
  /** A stable UUID made from its parts. */
  id(...parts: (string | number)[]): string;
}

type Row<T extends keyof Database> = Insertable<Database[T]>;

export interface DemoRows {
  institutions: Row<"institutions">[];
  reports: Row<"milestone_reports">[];
  cohorts: Row<"tot_cohorts">[];
  trainers: Row<"trainers">[];
  certifications: Row<"trainer_certifications">[];
  enterprises: Row<"enterprises">[];
  cycles: Row<"training_cycles">[];
  commitments: Row<"funding_commitments">[];
  transitions: Row<"stage_transitions">[];
  notifications: Row<"notifications">[];
  audit: Row<"audit_log">[];
}

export const SEED_ACTOR = "demo-seed";

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const at = (iso: string, hour: number) => new Date(`${iso}T${String(hour).padStart(2, "0")}:00:00Z`);

interface Ctx {
  plan: InstitutionPlan;
  profile: CountryProfile;
  tools: SeedTools;
  rng: Rng;
  out: DemoRows;
  instId: string;
  today: string;
  officer: string;
  reporter: string;
  reportCount: number;
  usedNames: Set<string>;
  /** When the at-risk story's certificates lapsed. */
  lapsedOn?: string;
}

function day(ctx: Ctx, ago: number): string {
  return addDays(ctx.today, -ago);
}

export function buildDemoData(plans: InstitutionPlan[], tools: SeedTools): DemoRows {
  const out: DemoRows = {
    institutions: [],
    reports: [],
    cohorts: [],
    trainers: [],
    certifications: [],
    enterprises: [],
    cycles: [],
    commitments: [],
    transitions: [],
    notifications: [],
    audit: [],
  };
  for (const plan of plans) buildInstitution(plan, tools, out);
  out.audit.sort((a, b) => new Date(a.occurred_at).getTime() - new Date(b.occurred_at).getTime());
  return out;
}

function buildInstitution(plan: InstitutionPlan, tools: SeedTools, out: DemoRows): void {
  const rng = tools.rngFor(plan.key);
  const profile = COUNTRY_PROFILES[plan.country];
  const ctx: Ctx = {
    plan,
    profile,
    tools,
    rng,
    out,
    instId: tools.id(plan.key, "institution"),
    today: isoDate(tools.now),
    officer: pick(rng, profile.officers),
    reporter: "",
    reportCount: 0,
    usedNames: new Set(),
  };
  ctx.reporter = `${personName(ctx, rng() < 0.5 ? "female" : "male")} (${plan.name})`;
  const tl = timeline(ctx);
  const before = countRows(out);
  addInstitution(ctx, tl);
  addTransitions(ctx, tl);
  const trainers = addCohorts(ctx, tl);
  addCertifications(ctx, trainers);
  addCycles(ctx);
  addCommitment(ctx, tl);
  addStoryReports(ctx, trainers);
  addSlipFlag(ctx);
  finishInstitution(ctx, before);
}

// ---------------------------------------------------------------- timeline and institution

/** How long ago the current stage was entered, and how long each earlier stage lasted. */
const CURRENT_AGO: Record<StageKey, [number, number]> = {
  engaged: [40, 300],
  tot: [90, 330],
  certification: [120, 400],
  cost_recovery: [150, 420],
  independent: [60, 300],
};
const STAY: Record<StageKey, [number, number]> = {
  engaged: [200, 360],
  tot: [300, 480],
  certification: [360, 540],
  cost_recovery: [420, 600],
  independent: [0, 0],
};
/** Stories whose dates must line up with their records. */
const STORY_TIMELINE: Partial<Record<Story, number[]>> = {
  demo: [75],
  at_risk_certification: [1500, 1250, 380],
  at_risk_funding: [1700, 1350, 900, 430],
};

/** Days ago each reached stage was entered, engaged first. */
function timeline(ctx: Ctx): number[] {
  const fixed = ctx.plan.story && STORY_TIMELINE[ctx.plan.story];
  if (fixed) return fixed;
  const current = STAGE_ORDER.indexOf(ctx.plan.stage);
  const ago = [int(ctx.rng, ...CURRENT_AGO[ctx.plan.stage])];
  for (let i = current - 1; i >= 0; i--) ago.unshift(ago[0] + int(ctx.rng, ...STAY[STAGE_ORDER[i]]));
  return ago;
}

function stageReached(ctx: Ctx, stage: StageKey): boolean {
  return STAGE_ORDER.indexOf(ctx.plan.stage) >= STAGE_ORDER.indexOf(stage);
}

function addInstitution(ctx: Ctx, tl: number[]): void {
  const { plan } = ctx;
  const mouAgo = mouSignedAgo(ctx, tl);
  const listAgo = portfolioListedAgo(ctx, mouAgo);
  const planAgo = businessPlanAgo(ctx, tl);
  ctx.out.institutions.push({
    id: ctx.instId,
    name: plan.name,
    type: plan.type,
    role: plan.role,
    country_code: plan.country,
    currency: ctx.tools.currencyOf(plan.country),
    template_id: ctx.tools.templateId,
    stage_key: plan.stage,
    stage_entered_at: transitionAt(ctx, tl, tl.length - 1),
    mou_signed_on: null,
    score_in_portfolio: false,
    business_plan_adopted_on: null,
    created_at: transitionAt(ctx, tl, 0),
  });
  const inst = ctx.out.institutions.at(-1)!;
  const apply = (body: ReportBody, submittedAgo: number, evidence: string) => {
    for (const e of verifiedEffects(ctx, verified(ctx, body, submittedAgo, evidence), body, () => ctx.instId))
      if (e.type === "institution_updated") Object.assign(inst, institutionChanges(e));
  };
  if (mouAgo !== null) apply({ kind: "mou_signed", payload: { signedOn: day(ctx, mouAgo) } }, mouAgo - 2, "Signed MoU");
  if (listAgo !== null)
    apply(
      { kind: "score_in_portfolio", payload: { listedOn: day(ctx, listAgo) } },
      listAgo - 1,
      "Service catalogue listing SCORE",
    );
  if (planAgo !== null)
    apply(
      { kind: "business_plan_adopted", payload: { adoptedOn: day(ctx, planAgo) } },
      planAgo - 3,
      "Board-approved business plan",
    );
}

/** Signed within weeks of registering, long before the ToT sign-off. */
function mouSignedAgo(ctx: Ctx, tl: number[]): number | null {
  if (ctx.plan.story === "no_mou") return null;
  if (ctx.plan.story === "demo") return 60;
  return stageReached(ctx, "tot") ? tl[0] - int(ctx.rng, 10, 60) : Math.max(10, tl[0] - int(ctx.rng, 5, 30));
}

function portfolioListedAgo(ctx: Ctx, mouAgo: number | null): number | null {
  if (mouAgo === null || ctx.plan.story === "portfolio_returned") return null;
  return ctx.plan.story === "demo" ? 30 : Math.max(5, mouAgo - int(ctx.rng, 5, 60));
}

/** Adopted before cost recovery; at Certification some have one already, though ILO money still dominates. */
function businessPlanAgo(ctx: Ctx, tl: number[]): number | null {
  if (stageReached(ctx, "cost_recovery")) return tl[3] + int(ctx.rng, 30, 90);
  if (ctx.plan.stage !== "certification") return null;
  if (ctx.plan.story === "awaiting") return 50;
  return ctx.rng() < 0.4 ? int(ctx.rng, 60, 200) : null;
}

/** Registered in the morning; signed off in the afternoon. */
function transitionAt(ctx: Ctx, tl: number[], i: number): Date {
  return at(day(ctx, tl[i]), i === 0 ? 8 : 15);
}

function addTransitions(ctx: Ctx, tl: number[]): void {
  tl.forEach((_, i) => {
    const stage = STAGE_ORDER[i];
    const row = {
      id: i === 0 ? `start-${ctx.instId}` : ctx.tools.id(ctx.plan.key, "transition", stage),
      institution_id: ctx.instId,
      from_stage: i === 0 ? null : STAGE_ORDER[i - 1],
      to_stage: stage,
      kind: i === 0 ? ("start" as const) : ("advance" as const),
      reason: SIGN_OFF_NOTES[stage],
      decided_by: ctx.officer,
      occurred_at: transitionAt(ctx, tl, i),
    };
    ctx.out.transitions.push(row);
    audit(
      ctx,
      row.occurred_at,
      i === 0 ? "institution.created" : "stage.signed_off",
      "institution",
      ctx.instId,
      i === 0 ? null : { stage: row.from_stage },
      i === 0
        ? {
            name: ctx.plan.name,
            type: ctx.plan.type,
            role: ctx.plan.role,
            country: ctx.plan.country,
            template: ctx.tools.templateId,
          }
        : { stage, reason: row.reason, decidedBy: ctx.officer },
    );
  });
}

// ---------------------------------------------------------------- trainers and certifications

interface TrainerDraft {
  row: Row<"trainers"> & { trained_on: string };
  certs: Row<"trainer_certifications">[];
  active: boolean;
}

function personName(ctx: Ctx, sex: "female" | "male"): string {
  const p = ctx.profile.people;
  for (;;) {
    const first = pick(ctx.rng, p[sex]);
    const family = pick(ctx.rng, p.family);
    const name = p.familyFirst ? `${family} ${first}` : `${first} ${family}`;
    if (!ctx.usedNames.has(name)) {
      ctx.usedNames.add(name);
      return name;
    }
  }
}

function cohortSizes(ctx: Ctx): { size: number; women: number }[] {
  const { plan, rng } = ctx;
  if (plan.story === "small_cohort") return [{ size: 4, women: 1 }];
  const n = { engaged: 0, tot: plan.story === "awaiting" ? 2 : 1, certification: 2, cost_recovery: 2, independent: 3 }[
    plan.stage
  ];
  return Array.from({ length: n }, () => {
    const size = int(rng, 6, 9);
    const women = Math.min(size, Math.max(Math.ceil(size * 0.3), Math.round(size * (0.3 + rng() * 0.25))));
    return { size, women };
  });
}

function addCohorts(ctx: Ctx, tl: number[]): TrainerDraft[] {
  const sizes = cohortSizes(ctx);
  const firstAgo = ctx.plan.story === "small_cohort" ? 30 : (tl[1] ?? 0) + int(ctx.rng, 20, 60);
  // Later cohorts are spread between the first one and a few months ago, each on a further module.
  return sizes.flatMap((c, k) => {
    const endedAgo = k === 0 ? firstAgo : Math.max(45, Math.round((firstAgo * (sizes.length - k)) / sizes.length));
    return addCohort(ctx, k, k === 0 ? "M1" : k === 1 ? "M2" : pick(ctx.rng, ["M3", "M4", "M5"]), c, endedAgo);
  });
}

function addCohort(ctx: Ctx, k: number, module: string, c: { size: number; women: number }, endedAgo: number): TrainerDraft[] {
  const sexes = Array.from({ length: c.size }, (_, i) => (i < c.women ? ("female" as const) : ("male" as const)));
  for (let i = sexes.length - 1; i > 0; i--) {
    const j = Math.floor(ctx.rng() * (i + 1));
    [sexes[i], sexes[j]] = [sexes[j], sexes[i]];
  }
  const people = sexes.map((sex) => ({ name: personName(ctx, sex), sex }));
  const endedOn = day(ctx, endedAgo);
  const startedOn = addDays(endedOn, -int(ctx.rng, 5, 10));
  const body: ReportBody = { kind: "tot_cohort", payload: { module, startedOn, endedOn, trainers: people } };
  const reportId = verified(ctx, body, endedAgo - 3, "ToT attendance sheet");
  const effects = verifiedEffects(ctx, reportId, body, (key) =>
    key === "cohort"
      ? ctx.tools.id(ctx.plan.key, "cohort", k)
      : ctx.tools.id(ctx.plan.key, "trainer", k, Number(key.split(":")[1])),
  );
  const drafts: TrainerDraft[] = [];
  for (const e of effects) {
    if (e.type === "tot_cohort_added") ctx.out.cohorts.push(totCohortRow(e));
    if (e.type === "trainer_added") drafts.push({ row: trainerRow(e), certs: [], active: false });
  }
  return drafts;
}

interface CertPlan {
  modules: string[];
  expert?: boolean;
  /** A single certificate, never renewed, expiring this many days from now (negative: already lapsed). */
  expiresInDays?: number;
}

const ROTATION = ["M1", "M2", "M3", "M1", "M4", "M5", "M1", "M2", "M3"];

function certPlans(ctx: Ctx, trainerCount: number): CertPlan[] {
  const { plan, rng } = ctx;
  if (plan.story === "awaiting" && plan.stage === "tot")
    return [
      { modules: ["M1"], expert: true },
      { modules: ["M1", "M3"] },
      { modules: ["M1"] },
      { modules: ["M2"] },
      { modules: ["M3"] },
    ];
  if (plan.story === "at_risk_certification")
    return [
      { modules: ["M1"], expiresInDays: -25 },
      { modules: ["M1"], expiresInDays: -25 },
      { modules: ["M1"], expert: true },
      { modules: ["M2"] },
      { modules: ["M3"] },
    ];
  if (plan.story === "expiring_soon")
    return [
      { modules: ["M1"], expert: true },
      { modules: ["M1", "M3"] },
      { modules: ["M2"] },
      { modules: ["M4"], expiresInDays: 20 },
    ];
  if (plan.stage === "engaged") return [];
  // At ToT some trainers already hold M1 but nobody else: the certification gate stays unmet.
  if (plan.stage === "tot") return Array.from({ length: int(rng, 0, 3) }, () => ({ modules: ["M1"] }));
  const range: [number, number] = plan.stage === "certification" ? [4, 6] : plan.stage === "cost_recovery" ? [5, 8] : [6, 9];
  const n = Math.min(trainerCount - 1, int(rng, ...range));
  return Array.from({ length: n }, (_, i) => {
    const modules = new Set([ROTATION[i]]);
    if (rng() < 0.6) modules.add("M1");
    if (rng() < 0.35) modules.add(pick(rng, ["M2", "M3", "M4", "M5"]));
    return { modules: [...modules].sort(), expert: i === 0 || (i === 1 && plan.stage !== "certification") };
  });
}

function addCertifications(ctx: Ctx, trainers: TrainerDraft[]): void {
  const plans = certPlans(ctx, trainers.length);
  const activeCount = Math.ceil(plans.length * 0.7);
  plans.forEach((p, i) => {
    const t = trainers[i];
    t.row.national_expert = !!p.expert;
    // Most certified trainers delivered this year; the stories' few trainers all did.
    t.active = i < activeCount || !!ctx.plan.story;
    const trainedAgo = daysBetween(t.row.trained_on, ctx.today);
    p.modules.forEach((module, m) => {
      const ago = Math.max(20, trainedAgo - int(ctx.rng, 60, 200) - (m === 0 ? 0 : int(ctx.rng, 60, 400)));
      t.certs.push(...certHistory(ctx, t, module, ago, p.expiresInDays));
    });
  });
  for (const t of trainers) finishTrainer(ctx, t);
}

/**
 * One module's certifications for a trainer: renewed shortly before each expiry (the default),
 * or a single certificate timed to expire `expiresInDays` from now (negative: already lapsed).
 */
function certHistory(
  ctx: Ctx,
  t: TrainerDraft,
  module: string,
  firstAgo: number,
  expiresInDays?: number,
): Row<"trainer_certifications">[] {
  const months = ctx.tools.template.timers.certificationValidityMonths;
  const dates: string[] = [];
  if (expiresInDays !== undefined) {
    dates.push(addMonths(addDays(ctx.today, expiresInDays), -months));
    if (expiresInDays < 0) ctx.lapsedOn = addMonths(dates[0], months);
  } else {
    dates.push(day(ctx, firstAgo));
    // Renew 60 days before expiry whenever a certificate would run out within 45 days of now.
    while (addMonths(dates[dates.length - 1], months) <= addDays(ctx.today, 45))
      dates.push(addDays(addMonths(dates[dates.length - 1], months), -60));
  }
  return dates.map((certifiedOn) => ({
    id: ctx.tools.id(ctx.plan.key, "certification", t.row.id, module, certifiedOn),
    trainer_id: t.row.id,
    module_code: module,
    certified_on: certifiedOn,
    expires_on: addMonths(certifiedOn, months),
    source_report_id: null,
  }));
}

/** Attrition is real: many trained trainers never deliver, some certified ones go quiet. */
function lastDelivered(ctx: Ctx, t: TrainerDraft): string {
  if (t.active) return day(ctx, int(ctx.rng, 10, 200));
  if (t.certs.length > 0) return day(ctx, int(ctx.rng, 400, 700));
  return ctx.rng() < 0.4 ? day(ctx, int(ctx.rng, 30, 300)) : t.row.trained_on;
}

function finishTrainer(ctx: Ctx, t: TrainerDraft): void {
  const candidate = lastDelivered(ctx, t);
  // Certifying a trainer counts as activity, as it does when a report is verified.
  t.row.last_active_on = [candidate, t.row.trained_on, ...t.certs.map((c) => c.certified_on)]
    .filter((d) => d <= ctx.today)
    .sort()
    .pop()!;
  ctx.out.trainers.push(t.row);
  ctx.out.certifications.push(...t.certs);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

// ---------------------------------------------------------------- enterprises and cycles

type ProfileKey = "pilot" | "supervised" | "cost_recovery" | "sponsor_lost" | "independent";

interface FundingProfile {
  ilo: [number, number];
  iloStaff: number;
  sources: Partial<Record<FundingSource, number>>;
}

/** The funding mix of one cycle: the ILO pays most while trainers learn, little once partners stand alone. */
function fundingProfile(ctx: Ctx, key: ProfileKey): FundingProfile {
  const { plan } = ctx;
  const budgetLine = plan.commitment ? plan.commitment.kind === "government_budget_line" : plan.type === "government_training";
  const second: FundingSource = budgetLine ? "government" : "sponsor";
  switch (key) {
    case "pilot":
      return { ilo: [85, 100], iloStaff: 1, sources: { enterprise_fee: 1 } };
    case "supervised":
      return { ilo: [65, 85], iloStaff: 1, sources: { enterprise_fee: 3, institution_funds: 1 } };
    case "cost_recovery":
      return {
        ilo: [25, 42],
        iloStaff: 0.5,
        sources: { enterprise_fee: 4, [second]: 2, institution_funds: 1, ...(ctx.rng() < 0.3 ? { other_donor: 1 } : {}) },
      };
    case "sponsor_lost":
      return { ilo: [60, 70], iloStaff: 0.7, sources: { enterprise_fee: 4, institution_funds: 1 } };
    case "independent":
      return { ilo: [0, 0], iloStaff: 0, sources: { enterprise_fee: 5, [second]: 3, institution_funds: 1 } };
  }
}

type Slot = [lo: number, hi: number, profile: ProfileKey];

/** When cycles ended (days ago) and how they were funded. Recent ones stay well inside the 12-month window, old ones well outside. */
function cycleSlots(ctx: Ctx): Slot[] {
  const { plan } = ctx;
  switch (plan.stage) {
    case "engaged":
      return [];
    case "tot":
      if (plan.story === "awaiting")
        return [
          [200, 300, "pilot"],
          [60, 150, "pilot"],
        ];
      return ctx.rng() < 0.6 || plan.story === "cycle_returned" ? [[60, 250, "pilot"]] : [];
    case "certification": {
      const recent: ProfileKey = plan.story === "awaiting" ? "cost_recovery" : "supervised";
      return [
        [420, 520, "pilot"],
        [150, 300, recent],
        [40, 140, recent],
      ];
    }
    case "cost_recovery": {
      if (plan.story === "at_risk_funding")
        return [
          [560, 650, "cost_recovery"],
          [400, 480, "cost_recovery"],
          [250, 320, "sponsor_lost"],
          [120, 240, "sponsor_lost"],
          [30, 110, "sponsor_lost"],
        ];
      const recent: ProfileKey = plan.story === "awaiting" ? "independent" : "cost_recovery";
      return [
        [500, 700, "supervised"],
        [400, 480, "supervised"],
        [250, 320, recent],
        [120, 240, recent],
        [30, 110, recent],
      ];
    }
    case "independent":
      return [
        [600, 800, "cost_recovery"],
        [420, 520, "cost_recovery"],
        [280, 330, "independent"],
        [200, 270, "independent"],
        [110, 190, "independent"],
        [25, 100, "independent"],
      ];
  }
}

/** Enterprises 0–3 carry the stored cycles; reports still open name new clients from here on. */
const NEW_CLIENT = 6;

interface EnterpriseDraft {
  row: Row<"enterprises">;
  modules: string[];
}

function newEnterprise(ctx: Ctx, index: number): EnterpriseDraft["row"] {
  const { rng, plan } = ctx;
  const sector = SECTORS[pick(rng, plan.sectors) as SectorKey];
  // SCORE works with SMEs: mostly small and medium, a few large suppliers.
  const size = pick(rng, ["small", "small", "small", "medium", "medium", "medium", "large"] as const);
  const workers = { small: int(rng, 15, 49), medium: int(rng, 60, 240), large: int(rng, 260, 650) }[size];
  const women = Math.round(workers * Math.min(0.95, Math.max(0.05, sector.womenShare + (rng() - 0.5) * 0.2)));
  const root = ctx.profile.companyRoots[(index + plan.key.length) % ctx.profile.companyRoots.length];
  return {
    id: ctx.tools.id(plan.key, "enterprise", index),
    institution_id: ctx.instId,
    name: ctx.profile.companyName(root, sector),
    size,
    sector: sector.label,
    workers_female: women,
    workers_male: workers - women,
  };
}

function addCycles(ctx: Ctx): void {
  const slots = cycleSlots(ctx);
  const enterprises: EnterpriseDraft[] = [];
  const perEnterprise = Math.max(1, Math.ceil(slots.length * 0.6));
  slots.forEach(([lo, hi, profile], i) => {
    const e = i % perEnterprise;
    enterprises[e] ??= { row: newEnterprise(ctx, e), modules: [] };
    const ent = enterprises[e];
    const module =
      ent.modules.length === 0
        ? "M1"
        : pick(
            ctx.rng,
            ["M2", "M3", "M4", "M5"].filter((m) => !ent.modules.includes(m)),
          );
    ent.modules.push(module);
    const body = cycleBody(ctx, ent.row, module, int(ctx.rng, lo, hi), profile);
    // The two latest cycles came in as reports; older ones predate reporting in Pathways: the
    // same effects, with no report behind them.
    const reportId =
      i >= slots.length - 2
        ? verified(ctx, body, daysBetween(body.payload.endedOn, ctx.today) - int(ctx.rng, 3, 10), "Visit reports and invoices")
        : null;
    const cycleId = ctx.tools.id(ctx.plan.key, "cycle", i);
    for (const e of verifiedEffects(ctx, reportId ?? cycleId, body, (key) => (key === "cycle" ? cycleId : ent.row.id))) {
      if (e.type === "enterprise_upserted") Object.assign(ent.row, enterpriseChanges(e));
      if (e.type === "training_cycle_added")
        ctx.out.cycles.push(trainingCycleRow({ ...e, sourceReportId: reportId }, ent.row.id));
    }
  });
  ctx.out.enterprises.push(...enterprises.map((e) => e.row));
}

type CycleBody = Extract<ReportBody, { kind: "training_cycle" }>;

function cycleBody(
  ctx: Ctx,
  ent: Pick<EnterprisesTable, "name" | "size">,
  module: string,
  endedAgo: number,
  profileKey: ProfileKey,
): CycleBody {
  const { rng } = ctx;
  const profile = fundingProfile(ctx, profileKey);
  const endedOn = day(ctx, endedAgo);
  const managers = int(rng, 2, 3);
  const workers = int(rng, 2, 4);
  const managersFemale = Array.from({ length: managers }, () => rng() < 0.3).filter(Boolean).length;
  const workersFemale = Array.from({ length: workers }, () => rng() < 0.35).filter(Boolean).length;
  const cost = cycleCost(ctx, ent.size);
  return {
    kind: "training_cycle",
    payload: {
      module,
      enterpriseName: ent.name,
      enterpriseSize: ent.size,
      startedOn: addDays(endedOn, -int(rng, 80, 100)),
      endedOn,
      visits: pick(rng, [3, 3, 3, 2, 4]),
      participants: {
        managersFemale,
        managersMale: managers - managersFemale,
        workersFemale,
        workersMale: workers - workersFemale,
      },
      cost,
      funding: splitCost(ctx, cost, profile),
      iloStaffInvolved: rng() < profile.iloStaff,
    },
  };
}

/**
 * Full cost of one module cycle for one enterprise, in stored hundredths of the currency whatever
 * its digits in use (decision 006: VND too, as the report form and the import store it).
 */
function cycleCost(ctx: Ctx, size: EnterprisesTable["size"]): number {
  const factor = { micro: 0.8, small: 0.9, medium: 1.1, large: 1.3 }[size] * (0.9 + ctx.rng() * 0.2);
  const { cycleCost: base, roundTo } = ctx.profile;
  return Math.round((base * factor) / roundTo) * roundTo * STORED_SCALE;
}

/** Whole percentages per source, so every amount is exact in minor units and the split adds up to the cost. */
function splitCost(ctx: Ctx, cost: number, profile: FundingProfile): FundingSplit {
  const split = Object.fromEntries(FUNDING_SOURCES.map((s) => [s, 0])) as FundingSplit;
  const ilo = int(ctx.rng, ...profile.ilo);
  const rest = 100 - ilo;
  const weights = Object.entries(profile.sources).map(([s, w]) => [s as FundingSource, w! * (0.75 + ctx.rng() * 0.5)] as const);
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const pct = weights.map(([s, w]) => [s, Math.floor((rest * w) / total)] as const);
  const unit = cost / 100;
  for (const [s, p] of pct) split[s] = p * unit;
  split[pct[0][0]] += (rest - pct.reduce((sum, [, p]) => sum + p, 0)) * unit;
  split.ilo = ilo * unit;
  return split;
}

function addCommitment(ctx: Ctx, tl: number[]): void {
  const c = ctx.plan.commitment;
  if (!c || !stageReached(ctx, "cost_recovery")) return;
  const startsAgo =
    ctx.plan.stage === "independent"
      ? tl[4] + int(ctx.rng, 30, 120)
      : ctx.plan.story === "awaiting"
        ? 90
        : int(ctx.rng, 200, 320);
  const body = {
    kind: "funding_secured" as const,
    payload: {
      kind: c.kind,
      funder: c.funder,
      startsOn: day(ctx, startsAgo),
      endsOn: c.kind === "government_budget_line" ? null : day(ctx, -int(ctx.rng, 300, 900)),
    },
  };
  const reportId = verified(ctx, body, startsAgo - 5, "Funding agreement");
  for (const e of verifiedEffects(ctx, reportId, body, () => ctx.tools.id(ctx.plan.key, "commitment")))
    if (e.type === "funding_commitment_added") ctx.out.commitments.push(fundingCommitmentRow(e));
}

// ---------------------------------------------------------------- reports

interface ReportOptions {
  submittedAgo: number;
  status: ReportStatus;
  decidedAgo?: number;
  comment?: string;
  evidence: string;
}

function addReport(ctx: Ctx, body: ReportBody, o: ReportOptions): string {
  const id = ctx.tools.id(ctx.plan.key, "report", ctx.reportCount++);
  const submittedAt = at(day(ctx, o.submittedAgo), 9);
  const decidedAt = o.decidedAgo === undefined ? null : at(day(ctx, o.decidedAgo), 14);
  ctx.out.reports.push({
    id,
    institution_id: ctx.instId,
    kind: body.kind,
    payload: JSON.stringify(body.payload),
    evidence: JSON.stringify([{ label: o.evidence, reference: `${body.kind}-${ctx.plan.key}-${day(ctx, o.submittedAgo)}.pdf` }]),
    status: o.status,
    submitted_by: ctx.reporter,
    submitted_at: submittedAt,
    decided_by: decidedAt ? ctx.officer : null,
    decided_at: decidedAt,
    decision_comment: o.comment ?? null,
  });
  audit(ctx, submittedAt, "report.submitted", "milestone_report", id, null, { kind: body.kind, submittedBy: ctx.reporter });
  if (decidedAt)
    audit(
      ctx,
      decidedAt,
      `report.${o.status}`,
      "milestone_report",
      id,
      { status: "submitted" },
      { status: o.status, decidedBy: ctx.officer, comment: o.comment ?? "" },
    );
  // The same notice the workflow sends when an officer returns a report.
  if (decidedAt && o.status === "returned")
    notify(ctx, `decision-${id}`, "returned", "institution", `A report was returned: ${o.comment}`, decidedAt);
  return id;
}

/**
 * What verifying the report wrote, as verification computes it, with the records the seed made
 * so far; `idFor` gives each effect's record the seed's own stable id.
 */
function verifiedEffects(ctx: Ctx, reportId: string, body: ReportBody, idFor: (key: string) => string): ReportEffect[] {
  const report = { reportId, institutionId: ctx.instId, ...body } as VerifiedReport;
  return reportEffects(report, recordsOf(ctx), {
    certificationValidityMonths: ctx.tools.template.timers.certificationValidityMonths,
    currency: ctx.tools.currencyOf(ctx.plan.country),
    idFor,
  });
}

/** A report the ILO verified a few days after it came in. */
function verified(ctx: Ctx, body: ReportBody, submittedAgo: number, evidence: string): string {
  const submitted = Math.max(2, submittedAgo);
  return addReport(ctx, body, {
    submittedAgo: submitted,
    status: "verified",
    decidedAgo: Math.max(1, submitted - int(ctx.rng, 2, 8)),
    evidence,
  });
}

/** Reports still waiting for an ILO decision, and the ones sent back, per story. */
function addStoryReports(ctx: Ctx, trainers: TrainerDraft[]): void {
  const { plan } = ctx;
  if (plan.story === "tot_report_pending") {
    const sexes = ["female", "male", "male", "female", "male", "female", "male"] as const;
    const people = sexes.map((sex) => ({ name: personName(ctx, sex), sex }));
    addReport(
      ctx,
      { kind: "tot_cohort", payload: { module: "M1", startedOn: day(ctx, 16), endedOn: day(ctx, 9), trainers: people } },
      { submittedAgo: 5, status: "submitted", evidence: "ToT attendance sheet" },
    );
  }
  if (plan.story === "awaiting" && plan.stage === "tot") pendingCertification(ctx, trainers[5], "M4");
  if (plan.pending === "certification") pendingCertification(ctx, trainers[trainers.length - 1], "M1");
  if (plan.story === "at_risk_certification") pendingCertification(ctx, trainers[0], "M1");
  if (plan.story === "portfolio_returned")
    addReport(
      ctx,
      { kind: "score_in_portfolio", payload: { listedOn: day(ctx, 45) } },
      {
        submittedAgo: 40,
        status: "returned",
        decidedAgo: 33,
        evidence: "Service brochure",
        comment:
          "The attached brochure is the 2022 edition and does not list SCORE. Please attach the current service catalogue or the board decision adding SCORE.",
      },
    );
  if (plan.story === "cycle_returned") returnedCycle(ctx);
  if (plan.pending === "cycle" || plan.pending === "escalated_cycle")
    pendingCycle(ctx, plan.pending === "escalated_cycle" ? 19 : 6);
}

function pendingCertification(ctx: Ctx, t: TrainerDraft, module: string): void {
  addReport(
    ctx,
    { kind: "trainer_certified", payload: { trainerId: t.row.id, module, certifiedOn: day(ctx, 7), nationalExpert: false } },
    { submittedAgo: 3, status: "submitted", evidence: "Expert trainer recommendation" },
  );
}

function returnedCycle(ctx: Ctx): void {
  const ent = newEnterprise(ctx, NEW_CLIENT);
  const body = cycleBody(ctx, ent, "M1", 35, "pilot");
  addReport(ctx, body, {
    submittedAgo: 27,
    status: "returned",
    decidedAgo: 22,
    evidence: "Visit reports",
    comment:
      "Only two visit reports are attached for three visits, and the enterprise fee has no invoice. Please attach both and resubmit.",
  });
}

function pendingCycle(ctx: Ctx, submittedAgo: number): void {
  const ent = newEnterprise(ctx, NEW_CLIENT + 1);
  const profile: ProfileKey = ctx.plan.stage === "independent" ? "independent" : "cost_recovery";
  addReport(ctx, cycleBody(ctx, ent, "M1", submittedAgo + 6, profile), {
    submittedAgo,
    status: "submitted",
    evidence: "Visit reports and invoices",
  });
  const escalateAfter = ctx.tools.template.timers.escalateAfterDays;
  if (submittedAgo <= escalateAfter) return;
  // Past the escalation time: escalated as the workflow would, so its timer finds nothing left to do.
  const report = ctx.out.reports.at(-1)!;
  const escalatedAt = at(day(ctx, submittedAgo - escalateAfter), 9);
  report.escalated_at = escalatedAt;
  notify(
    ctx,
    `escalation-${report.id}`,
    "escalation",
    "ilo",
    `A report (training cycle) has waited for verification since ${day(ctx, submittedAgo)}.`,
    escalatedAt,
  );
}

// ---------------------------------------------------------------- slip flag, audit, notifications

/** The at-risk certification story: the floor failed when two certificates lapsed, as the workflow flags it. */
function addSlipFlag(ctx: Ctx): void {
  if (ctx.plan.story !== "at_risk_certification") return;
  const stage = ctx.tools.template.stages.find((s) => s.key === "certification")!;
  const criterion = stage.gate.find((c) => c.key === "certified")!;
  const result = evaluateCriterion(criterion, recordsOf(ctx), ctx.today);
  const lapsedOn = ctx.lapsedOn!;
  const flag = {
    toStage: "tot",
    reason: `${result.label}: ${result.value} against ${result.threshold} required (${result.basis})`,
    flaggedAt: at(lapsedOn, 0).toISOString(),
  };
  const inst = ctx.out.institutions.at(-1)!;
  inst.slip_flag = JSON.stringify(flag);
  audit(ctx, at(lapsedOn, 0), "stage.slip_flagged", "institution", ctx.instId, { slipFlag: null }, { slipFlag: flag });
  notify(
    ctx,
    `slip-${ctx.instId}-certification-${lapsedOn}`,
    "slip_flagged",
    "ilo",
    `Flagged for review: may move back to Training of Trainers. ${flag.reason}`,
    at(lapsedOn, 0),
  );
}

/** The trainer part of this institution's records, as loadPathwayRecords will return them once stored. */
function recordsOf(ctx: Ctx): PathwayRecords {
  const inst = ctx.out.institutions.at(-1)!;
  const trainers = ctx.out.trainers.filter((t) => t.institution_id === ctx.instId);
  return {
    mouSignedOn: inst.mou_signed_on ?? null,
    scoreInPortfolio: !!inst.score_in_portfolio,
    businessPlanAdoptedOn: inst.business_plan_adopted_on ?? null,
    trainers: trainers.map((t) => ({
      id: t.id,
      sex: t.sex,
      nationalExpert: !!t.national_expert,
      trainedOn: t.trained_on ?? null,
      lastActiveOn: t.last_active_on ?? null,
      certifications: ctx.out.certifications
        .filter((c) => c.trainer_id === t.id)
        .map((c) => ({ module: c.module_code, certifiedOn: c.certified_on, expiresOn: c.expires_on })),
    })),
    cycles: [],
    commitments: [],
  };
}

function audit(
  ctx: Ctx,
  occurredAt: Date,
  action: string,
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): void {
  ctx.out.audit.push({
    occurred_at: occurredAt,
    actor: SEED_ACTOR,
    action,
    entity_type: entityType,
    entity_id: entityId,
    institution_id: ctx.instId,
    before: before === null ? null : JSON.stringify(before),
    after: after === null ? null : JSON.stringify(after),
  });
}

function notify(ctx: Ctx, id: string, kind: string, audience: "ilo" | "institution", message: string, createdAt: Date): void {
  // Keyed as the workflow keys what it writes, so the notice reads in each reader's language (dates included).
  const keyed = noticeOf(message);
  ctx.out.notifications.push({
    id,
    institution_id: ctx.instId,
    kind,
    audience,
    message,
    message_key: keyed?.key ?? null,
    message_params: keyed?.params ? JSON.stringify(keyed.params) : null,
    created_at: createdAt,
  });
}

type Counts = Record<keyof DemoRows, number>;

function countRows(out: DemoRows): Counts {
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length])) as Counts;
}

/** Last touches: when the institution last reported, and one audit entry naming what the seed loaded. */
function finishInstitution(ctx: Ctx, before: Counts): void {
  const inst = ctx.out.institutions.at(-1)!;
  const mine = ctx.out.reports.filter((r) => r.institution_id === ctx.instId).map((r) => new Date(r.submitted_at).getTime());
  inst.last_report_at = mine.length ? new Date(Math.max(...mine)) : null;
  const after = countRows(ctx.out);
  const loaded = Object.fromEntries(
    (["trainers", "certifications", "enterprises", "cycles", "commitments", "reports"] as const).map((k) => [
      k,
      after[k] - before[k],
    ]),
  );
  audit(ctx, ctx.tools.now, "demo.seeded", "institution", ctx.instId, null, { loaded });
}
