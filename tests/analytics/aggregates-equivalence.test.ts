import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../app/domain/dates";
import {
  staysFrom,
  stuckInstitutions,
  timeInStage,
  transitionsPerQuarter,
  type InstitutionHistory,
  type TransitionEvent,
} from "../../app/features/analytics/analytics";
import { loadAnalytics } from "../../app/features/analytics/analytics.server";
import { INDICATORS, logframeCell } from "../../app/features/indicators/indicators";
import { loadLogframe } from "../../app/features/indicators/logframe.server";
import { portfolioPace } from "../../app/features/pathway/forecast";
import { programmePace } from "../../app/features/pathway/forecast.server";
import { loadPortfolioGraph } from "../../app/features/portfolio/load.server";
import { tenancyOf } from "../../app/features/portfolio/scope.server";
import type { Actor } from "../../app/platform/access.server";
import { portfolioStageCounts } from "../../db/queries/aggregates";
import { loadCountryRecords, loadIndicatorSettings, loadProgrammeTotals } from "../../db/queries/indicators";
import { currentStatuses } from "../../db/queries/pathway-status";
import { DEFAULT_TEMPLATE_ID } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The SQL aggregates (db/queries/aggregates.ts, countIndicatorFacts, loadProgrammeTotals) against
 * an independent computation in JavaScript over every row of a generated data set: 60 institutions
 * with random stage histories (advances and slips back, several on one day), stored statuses in
 * every state, trainers, certifications, enterprises, cycles in two currencies and commitments.
 * The generator is seeded, so a failure repeats. Runs on the PostgreSQL server and on PGlite.
 */

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent"];
const COUNTRIES = ["GH", "VN", "ZA", "PE", "CO"];
const PHASE = { key: "gen-phase", name: "Generated phase", startsOn: "2023-01-01", endsOn: "2024-06-30" };
const now = new Date(Date.UTC(2025, 4, 17, 13, 7, 11, 345));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const actor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({
  id: randomUUID(),
  name: role,
  email: `${role}@gen.test`,
  role,
  institutionId: null,
  countries: "all",
  ...extra,
});

async function generate(db: Kysely<Database>, seed: number): Promise<string[]> {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const base = Date.UTC(2019, 0, 1);
  const ids: string[] = [];
  await db
    .insertInto("programme_phases")
    .values({ key: PHASE.key, name: PHASE.name, starts_on: PHASE.startsOn, ends_on: PHASE.endsOn })
    .execute();
  for (let k = 0; k < 60; k++) {
    const id = randomUUID();
    ids.push(id);
    const country = COUNTRIES[k % COUNTRIES.length];
    // A history: a start, then moves forward or back, some on the same day (even the same millisecond).
    let at = base + Math.floor(r() * 900 * DAY_MS);
    let stage = 0;
    const moves: { from: string | null; to: string; kind: "start" | "advance" | "slip_back"; at: number }[] = [
      { from: null, to: STAGES[0], kind: "start", at },
    ];
    const n = Math.floor(r() * 7);
    for (let m = 0; m < n; m++) {
      const gap = r() < 0.15 ? (r() < 0.5 ? 0 : Math.floor(r() * 3_600_000)) : Math.floor(r() * 500 * DAY_MS);
      at += gap;
      if (at > now.getTime()) break;
      const back = stage > 0 && r() < 0.25;
      const next = back ? stage - 1 : Math.min(stage + 1, STAGES.length - 1);
      if (next === stage) break;
      moves.push({ from: STAGES[stage], to: STAGES[next], kind: back ? "slip_back" : "advance", at });
      stage = next;
    }
    const last = moves.at(-1)!;
    const created = new Date(moves[0].at - Math.floor(r() * 30 * DAY_MS));
    await db
      .insertInto("institutions")
      .values({
        id,
        name: `Gen ${String(k).padStart(2, "0")} ${pick(["Centre", "Institute", "Forum"])}`,
        type: pick(["government_training", "employers_organisation", "industry_association", "private_provider"] as const),
        role: pick(["national_coordinator", "implementing_partner", "sponsor"] as const),
        country_code: country,
        currency: "USD",
        status: r() < 0.1 ? "discontinued" : "active",
        template_id: DEFAULT_TEMPLATE_ID,
        stage_key: last.to,
        stage_entered_at: new Date(last.at),
        mou_signed_on: r() < 0.7 ? day(base + Math.floor(r() * 2000 * DAY_MS)) : null,
        business_plan_adopted_on: r() < 0.4 ? day(base + Math.floor(r() * 2000 * DAY_MS)) : null,
        slip_flag: r() < 0.2 ? JSON.stringify({ toStage: STAGES[0], reason: "generated" }) : null,
        last_report_at: r() < 0.6 ? new Date(now.getTime() - Math.floor(r() * 200 * DAY_MS)) : null,
        created_at: created,
      })
      .execute();
    await db
      .insertInto("stage_transitions")
      .values(
        moves.map((m, i) => ({
          id: `${id}-${i}`,
          institution_id: id,
          from_stage: m.from,
          to_stage: m.to,
          kind: m.kind,
          reason: "",
          decided_by: "gen",
          occurred_at: new Date(m.at),
        })),
      )
      .execute();
    // The stored status: missing, at another stage, counted a certification that has since expired, or current.
    const state = r();
    if (state > 0.1) {
      const evaluatedAt = new Date(now.getTime() - Math.floor(r() * 100 * DAY_MS));
      const expired = state < 0.25;
      await db
        .insertInto("institution_status")
        .values({
          institution_id: id,
          stage_key: state < 0.18 ? STAGES[(STAGES.indexOf(last.to) + 1) % STAGES.length] : last.to,
          template_id: DEFAULT_TEMPLATE_ID,
          next_stage_key: null,
          next_gate: "null",
          criteria_met: 1,
          criteria_total: 3,
          progress: 33,
          awaiting_sign_off: r() < 0.5,
          failing_floors: "[]",
          next_expiry_on: expired ? day(evaluatedAt.getTime() + 5 * DAY_MS) : null,
          reminder_after_days: 91,
          evaluated_at: evaluatedAt,
        })
        .execute();
      // A report verified after the evaluation makes it stale too.
      if (r() < 0.15)
        await db
          .insertInto("milestone_reports")
          .values({
            id: randomUUID(),
            institution_id: id,
            kind: "mou_signed",
            payload: JSON.stringify({}),
            evidence: JSON.stringify([]),
            status: "verified",
            submitted_by: "gen",
            submitted_at: evaluatedAt,
            decided_by: "gen",
            decided_at: new Date(evaluatedAt.getTime() + DAY_MS),
          })
          .execute();
    }
    const enterprises = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, e) => ({
      id: randomUUID(),
      institution_id: id,
      name: `E${k}-${e}`,
      size: "small" as const,
      sector: "textiles",
      workers_female: Math.floor(r() * 50),
      workers_male: Math.floor(r() * 50),
    }));
    await db.insertInto("enterprises").values(enterprises).execute();
    for (let t = 0; t < Math.floor(r() * 5); t++) {
      const trainerId = randomUUID();
      await db
        .insertInto("trainers")
        .values({
          id: trainerId,
          institution_id: id,
          name: `T${k}-${t}`,
          sex: r() < 0.45 ? "female" : "male",
          national_expert: r() < 0.3,
          trained_on: r() < 0.9 ? day(base + Math.floor(r() * 2000 * DAY_MS)) : null,
        })
        .execute();
      for (let c = 0; c < Math.floor(r() * 3); c++) {
        const on = base + Math.floor(r() * 2000 * DAY_MS);
        await db
          .insertInto("trainer_certifications")
          .values({
            id: randomUUID(),
            trainer_id: trainerId,
            module_code: `M${1 + c}`,
            certified_on: day(on),
            expires_on: day(on + 1000 * DAY_MS),
          })
          .execute();
      }
    }
    const cycles = Array.from({ length: Math.floor(r() * 8) }, () => {
      const ended = base + Math.floor(r() * 2000 * DAY_MS);
      const fee = r() < 0.5 ? Math.floor(r() * 90_000) : 0;
      const ilo = Math.floor(r() * 90_000);
      const gov = Math.floor(r() * 20_000);
      return {
        id: randomUUID(),
        institution_id: id,
        module_code: pick(["M1", "M2", "M3"]),
        enterprise_id: pick(enterprises).id,
        started_on: day(ended - 60 * DAY_MS),
        ended_on: day(ended),
        visits: Math.floor(r() * 6),
        managers_female: Math.floor(r() * 4),
        managers_male: Math.floor(r() * 4),
        workers_female: Math.floor(r() * 9),
        workers_male: Math.floor(r() * 9),
        // Ghana's cycles come in two currencies: no country value, one share per currency.
        currency: country === "GH" && r() < 0.5 ? "GHS" : "USD",
        cost_minor: fee + ilo + gov,
        fund_enterprise_fee: fee,
        fund_institution_funds: 0,
        fund_government: gov,
        fund_sponsor: 0,
        fund_other_donor: 0,
        fund_ilo: ilo,
        ilo_staff_involved: r() < 0.5,
      };
    });
    if (cycles.length) await db.insertInto("training_cycles").values(cycles).execute();
    if (r() < 0.6)
      await db
        .insertInto("funding_commitments")
        .values({
          id: randomUUID(),
          institution_id: id,
          kind: pick(["government_budget_line", "multi_year_sponsor"] as const),
          funder: pick(["Ministry of Labour", " ministry of labour ", "ACME Foundation", "acme foundation", "City Council"]),
          starts_on: day(base + Math.floor(r() * 2000 * DAY_MS)),
          ends_on: r() < 0.5 ? day(base + Math.floor(r() * 2500 * DAY_MS)) : null,
        })
        .execute();
  }
  return ids;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

for (const kind of ["postgres", "pglite"] as const)
  describe(`SQL aggregates on ${kind} equal an independent count over every row`, () => {
    let handle: TestDb;
    let db: Kysely<Database>;
    let ids: string[] = [];
    const manager = actor("programme_manager");

    /** Every institution with its history, loaded whole: the independent side. */
    async function everything() {
      const institutions = await db
        .selectFrom("institutions as i")
        .innerJoin("countries as c", "c.code", "i.country_code")
        .selectAll("i")
        .select("c.name as country_name")
        .execute();
      const transitions = await db.selectFrom("stage_transitions").selectAll().orderBy("occurred_at").orderBy("id").execute();
      const byInst = new Map<string, TransitionEvent[]>();
      for (const t of transitions)
        byInst.set(t.institution_id, [
          ...(byInst.get(t.institution_id) ?? []),
          { fromStage: t.from_stage, toStage: t.to_stage, kind: t.kind, at: new Date(t.occurred_at) },
        ]);
      const histories: InstitutionHistory[] = institutions.map((i) => ({
        id: i.id,
        name: i.name,
        country: i.country_name,
        stageKey: i.stage_key,
        stays: staysFrom(byInst.get(i.id) ?? [], now),
      }));
      return { institutions, byInst, histories };
    }

    beforeAll(async () => {
      handle = await createTestDb(kind);
      db = handle.db;
      ids = await generate(db, kind === "postgres" ? 20_251 : 7);
    });
    afterAll(async () => {
      await handle?.close();
    });

    it("portfolio: institutions, awaiting sign-off, slip flags and overdue per stage", async () => {
      const { institutions } = await everything();
      const statuses = await currentStatuses(
        db,
        institutions.map((i) => i.id),
        now,
      );
      const data = await loadPortfolioGraph(db, manager, new URLSearchParams(), now);
      const expected = STAGES.map((key) => {
        const here = institutions.filter((i) => i.stage_key === key);
        return {
          key,
          count: here.length,
          awaitingSignOff: here.filter((i) => statuses.get(i.id)!.awaitingSignOff).length,
          slipFlagged: here.filter((i) => i.slip_flag).length,
          overdueReporting: here.filter((i) => now.getTime() - new Date(i.last_report_at ?? i.created_at).getTime() > 91 * DAY_MS)
            .length,
        };
      });
      expect(
        data.stages.map(({ key, count, awaitingSignOff, slipFlagged, overdueReporting }) => ({
          key,
          count,
          awaitingSignOff,
          slipFlagged,
          overdueReporting,
        })),
      ).toEqual(expected);
      expect(data.total).toBe(institutions.length);
      // The generated states reach every branch of the rule.
      const states = new Set([...statuses.values()].map((s) => s.state));
      expect(states).toEqual(new Set(["missing", "stale", "current"]));

      // A chosen stage lists its institutions, each flagged as the stored status says.
      for (const stage of STAGES) {
        const listed = await loadPortfolioGraph(db, manager, new URLSearchParams({ stage }), now);
        const here = institutions.filter((i) => i.stage_key === stage);
        expect(listed.institutions.map((i) => i.id).sort()).toEqual(here.map((i) => i.id).sort());
        for (const i of listed.institutions) {
          const s = statuses.get(i.id)!;
          expect(i.awaitingSignOff).toBe(s.awaitingSignOff);
          expect(i.gatePending).toBe(s.state !== "current" && stage !== "independent");
        }
      }
    });

    it("portfolio pace: the median and quartiles of every completed stay, whoever looks", async () => {
      const { histories } = await everything();
      const expected = portfolioPace(histories.map((h) => h.stays));
      expect(expected).not.toBeNull();
      expect(await programmePace(db, now)).toEqual(expected);
      const reporter = actor("institution_reporter", { institutionId: ids[0] });
      expect((await loadPortfolioGraph(db, reporter, new URLSearchParams(), now)).pace).toEqual(expected);
    });

    it("analytics: time in stage per stage and country, stuck institutions, moves per quarter", async () => {
      const { histories, byInst } = await everything();
      for (const query of ["", "country=GH", "stuck=100"]) {
        const params = new URLSearchParams(query);
        const data = await loadAnalytics(db, manager, params, now);
        const country = params.get("country");
        const inScope = histories.filter((h) => !country || h.country === (country === "GH" ? "Ghana" : h.country));
        const rows = timeInStage(inScope, STAGES).map((t) => ({
          stageKey: t.stageKey,
          country: t.country,
          stays: t.stays,
          open: t.open,
          median: t.spread && round1(t.spread.median),
          p25: t.spread && round1(t.spread.p25),
          p75: t.spread && round1(t.spread.p75),
          min: t.spread && round1(t.spread.min),
          max: t.spread && round1(t.spread.max),
        }));
        expect(data.timeInStage.map(({ stage: _s, ...r }) => r)).toEqual(rows);
        expect(data.stuck.map(({ stage: _s, ...s }) => s)).toEqual(
          stuckInstitutions(inScope, STAGES, Number(params.get("stuck") ?? 365)),
        );
        expect(data.quarters).toEqual(
          transitionsPerQuarter(
            inScope.flatMap((h) => byInst.get(h.id) ?? []),
            now,
          ),
        );
        expect(data.institutions).toBe(inScope.length);
      }
    });

    it("logframe: every computed indicator's value, women, shares and record count per country", async () => {
      const data = (await loadLogframe(db, manager, PHASE.key, now))!;
      const settings = await loadIndicatorSettings(db);
      const records = await loadCountryRecords(
        db,
        data.countries.map((c) => c.code),
      );
      expect(data.countries.map((c) => c.code).sort()).toEqual([...COUNTRIES].sort());
      let nonZero = 0;
      for (const def of INDICATORS.filter((d) => d.source === "computed"))
        for (const c of data.countries) {
          const cell = logframeCell(def, c.code, records.get(c.code)!, PHASE, settings, null, null);
          const shown = data.rows.find((r) => r.key === def.key)!.cells.find((x) => x.country === c.code)!;
          const a = cell.actual;
          if (a.kind !== "computed") throw new Error("computed expected");
          expect({ key: def.key, country: c.code, value: shown.value, records: shown.recordCount, women: shown.women }).toEqual({
            key: def.key,
            country: c.code,
            value: a.value,
            records: a.records.length,
            women: a.women ?? null,
          });
          expect(shown.perCurrency).toEqual(
            a.perCurrency && a.perCurrency.length > 1
              ? a.perCurrency.map((p) => ({ currency: p.currency, percent: p.percent }))
              : null,
          );
          if (a.value) nonZero++;
        }
      expect(nonZero).toBeGreaterThan(20);
    });

    it("totals: each figure per country, counted over the loaded rows", async () => {
      const totals = await loadProgrammeTotals(db, COUNTRIES, PHASE);
      const inst = await db.selectFrom("institutions").select(["id", "country_code"]).execute();
      const countryOf = new Map(inst.map((i) => [i.id, i.country_code]));
      const transitions = await db.selectFrom("stage_transitions").select(["institution_id", "occurred_at"]).execute();
      const trainers = await db.selectFrom("trainers").selectAll().execute();
      const certs = await db.selectFrom("trainer_certifications").selectAll().execute();
      const cycles = await db.selectFrom("training_cycles").selectAll().execute();
      const enterprises = new Map((await db.selectFrom("enterprises").selectAll().execute()).map((e) => [e.id, e]));
      const within = (d: string | null) => d !== null && d >= PHASE.startsOn && d <= PHASE.endsOn;
      const endExclusive = Date.parse(`${PHASE.endsOn}T00:00:00Z`) + DAY_MS;
      for (const code of COUNTRIES) {
        const mine = (id: string) => countryOf.get(id) === code;
        const trained = trainers.filter((t) => mine(t.institution_id) && within(t.trained_on));
        const certified = trainers.filter(
          (t) => mine(t.institution_id) && certs.some((c) => c.trainer_id === t.id && within(c.certified_on)),
        );
        const cyc = cycles.filter((c) => mine(c.institution_id) && within(c.ended_on));
        const ents = [...new Set(cyc.map((c) => c.enterprise_id))].map((id) => enterprises.get(id)!);
        const sum = (xs: { [k: string]: unknown }[], k: string) => xs.reduce((n, x) => n + Number(x[k]), 0);
        expect(totals.get(code)).toEqual({
          institutions: inst.filter(
            (i) =>
              i.country_code === code &&
              transitions.some((t) => t.institution_id === i.id && new Date(t.occurred_at).getTime() < endExclusive),
          ).length,
          trainersTrainedFemale: trained.filter((t) => t.sex === "female").length,
          trainersTrainedMale: trained.filter((t) => t.sex === "male").length,
          trainersCertifiedFemale: certified.filter((t) => t.sex === "female").length,
          trainersCertifiedMale: certified.filter((t) => t.sex === "male").length,
          enterprises: ents.length,
          workersEmployedFemale: sum(ents, "workers_female"),
          workersEmployedMale: sum(ents, "workers_male"),
          visits: sum(cyc, "visits"),
          managersFemale: sum(cyc, "managers_female"),
          managersMale: sum(cyc, "managers_male"),
          workersFemale: sum(cyc, "workers_female"),
          workersMale: sum(cyc, "workers_male"),
        });
      }
    });

    it("tenancy: a reporter counts only their institution; an officer what the policy's view row gives them", async () => {
      const { institutions, histories } = await everything();
      const own = institutions[3];
      const reporter = actor("institution_reporter", { institutionId: own.id });
      const graph = await loadPortfolioGraph(db, reporter, new URLSearchParams(), now);
      expect(graph.total).toBe(1);
      expect(graph.stages.filter((s) => s.count > 0).map((s) => s.key)).toEqual([own.stage_key]);
      const analytics = await loadAnalytics(db, reporter, new URLSearchParams("stuck=1"), now);
      expect(analytics.institutions).toBe(1);
      const ownStays = histories.find((h) => h.id === own.id)!.stays.length;
      expect(analytics.timeInStage.filter((r) => r.country === null).reduce((n, r) => n + r.stays, 0)).toBe(ownStays);
      expect(analytics.stuck.every((s) => s.id === own.id)).toBe(true);

      // Officers read the whole programme (policy.ts: view is "all" for them): the same counts as a manager's.
      const officer = actor("ilo_officer", { countries: ["GH"] });
      expect(tenancyOf(officer)).toEqual({ ids: null });
      const asOfficer = await loadPortfolioGraph(db, officer, new URLSearchParams(), now);
      expect(asOfficer.stages).toEqual((await loadPortfolioGraph(db, manager, new URLSearchParams(), now)).stages);
      // Were the policy to narrow a role to its countries, the narrowing happens in SQL.
      const counts = await portfolioStageCounts(db, { ids: null, countries: ["GH", "VN"] }, now);
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(
        institutions.filter((i) => i.country_code === "GH" || i.country_code === "VN").length,
      );
      expect(await portfolioStageCounts(db, { ids: [] }, now)).toEqual([]);
    });
  });
