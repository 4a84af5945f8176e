import type { Kysely } from "kysely";
import { sql } from "kysely";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAnalytics } from "../../app/features/analytics/analytics.server";
import { loadLogframe, logframeInputs } from "../../app/features/indicators/logframe.server";
import { forecastOf } from "../../app/features/pathway/forecast.server";
import { loadPortfolioGraph } from "../../app/features/portfolio/load.server";
import type { Actor } from "../../app/platform/access.server";
import { countInScope, forecastFacts, movesPerQuarter, stuckRows, timeInStageRows } from "../../db/queries/aggregates";
import { countIndicatorFacts, listPhases, loadIndicatorSettings, loadProgrammeTotals } from "../../db/queries/indicators";
import { NO_STATUS, readModel } from "../../db/queries/read-model";
import { programmePace } from "../../app/features/pathway/forecast.server";
import type { Database } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import type { AppLoadContext } from "@remix-run/node";
import { loadHeader } from "../../app/platform/header.server";
import { parseConfig } from "../../app/platform/config";
import { requestState } from "../../app/platform/request-state.server";
import { addNotification, markReadFor } from "../../db/queries/notifications";
import { signInAs } from "../support/session";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The aggregates kept per process (db/queries/read-model.ts, decision 030): one computation shared
 * while nothing changed, and a write (through any path: these are plain SQL) followed by a read
 * shows the new figure; each reader's scope keeps its own figures. On PGlite and on the server.
 */

const now = new Date(Date.UTC(2026, 5, 1, 10, 0, 0));

const actor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({
  id: randomUUID(),
  name: role,
  email: `${role}@cache.test`,
  role,
  institutionId: null,
  countries: "all",
  ...extra,
});

/** A copy of an institution under a new id and name, at the given stage, with its stage history. */
async function addInstitution(db: Kysely<Database>, from: string, stage: string): Promise<string> {
  const id = randomUUID();
  await sql`insert into institutions (id, name, type, role, country_code, currency, template_id, stage_key, stage_entered_at,
      mou_signed_on, score_in_portfolio, business_plan_adopted_on, last_report_at, created_at)
    select ${id}, 'Cache test ' || ${id}, type, role, country_code, currency, template_id, ${stage}, ${new Date(now.getTime() - 400 * 86_400_000)},
      mou_signed_on, score_in_portfolio, business_plan_adopted_on, last_report_at, created_at
    from institutions where id = ${from}`.execute(db);
  await sql`insert into stage_transitions (id, institution_id, from_stage, to_stage, kind, reason, decided_by, occurred_at)
    values (${randomUUID()}, ${id}, null, ${stage}, 'start', '', 'test', ${new Date(now.getTime() - 400 * 86_400_000)})`.execute(
    db,
  );
  return id;
}

describe.each(["pglite", "postgres"] as const)("kept aggregates (%s)", (kind) => {
  let handle: TestDb;
  let db: Kysely<Database>;
  let some: { id: string; stage_key: string; country_code: string };
  const manager = actor("programme_manager");

  beforeAll(async () => {
    handle = await createTestDb(kind);
    db = handle.db;
    await seedDemoData(db, now);
    some = await db
      .selectFrom("institutions")
      .select(["id", "stage_key", "country_code"])
      .orderBy("name")
      .executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("computes once while nothing changes, twenty readers at once included, and again after a write", async () => {
    let computed = 0;
    const compute = async () => ++computed;
    const first = await readModel(db);
    expect(await first.cached("k", compute)).toBe(1);
    const again = await readModel(db);
    expect(await Promise.all(Array.from({ length: 20 }, () => again.cached("k", compute)))).toEqual(Array(20).fill(1));
    expect(computed).toBe(1);
    // Any write to a counted table, even one that changes no row, counts as a change.
    await sql`update countries set name = name where false`.execute(db);
    const after = await readModel(db);
    expect(await after.cached("k", compute)).toBe(2);
    // A write to a table no aggregate counts is no change.
    await sql`update users set name = name where false`.execute(db);
    expect(await (await readModel(db)).cached("k", compute)).toBe(2);
  });

  it("inside a transaction nothing is kept", async () => {
    let computed = 0;
    await db.transaction().execute(async (trx) => {
      const rm = await readModel(trx);
      await rm.cached("t", async () => ++computed);
      await rm.cached("t", async () => ++computed);
    });
    expect(computed).toBe(2);
  });

  it("the portfolio shows an institution added after it was read, and the reporter still sees only their own", async () => {
    const reporter = actor("institution_reporter", { institutionId: some.id });
    const before = await loadPortfolioGraph(db, manager, new URLSearchParams(), now);
    const mine = await loadPortfolioGraph(db, reporter, new URLSearchParams(), now);
    expect(mine.total).toBe(1);
    expect((await loadPortfolioGraph(db, manager, new URLSearchParams(), now)).total).toBe(before.total);

    await addInstitution(db, some.id, "tot");
    const after = await loadPortfolioGraph(db, manager, new URLSearchParams(), now);
    expect(after.total).toBe(before.total + 1);
    const count = (d: typeof before, key: string) => d.stages.find((s) => s.key === key)!.count;
    expect(count(after, "tot")).toBe(count(before, "tot") + 1);
    // The reporter's figures are their own, before and after the write, whoever read first.
    expect((await loadPortfolioGraph(db, reporter, new URLSearchParams(), now)).total).toBe(1);
    // The chosen stage's list names the new institution.
    const listed = await loadPortfolioGraph(db, manager, new URLSearchParams({ stage: "tot" }), now);
    expect(listed.window.total).toBe(count(after, "tot"));
  });

  it("the analytics count a stage change made after they were read", async () => {
    const id = await addInstitution(db, some.id, "engaged");
    const before = await loadAnalytics(db, manager, new URLSearchParams(), now);
    const moves = (d: typeof before) => d.quarters.reduce((n, q) => n + q.advances, 0);
    await sql`insert into stage_transitions (id, institution_id, from_stage, to_stage, kind, reason, decided_by, occurred_at)
      values (${randomUUID()}, ${id}, 'engaged', 'tot', 'advance', '', 'test', ${new Date(now.getTime() - 10 * 86_400_000)})`.execute(
      db,
    );
    await sql`update institutions set stage_key = 'tot' where id = ${id}`.execute(db);
    const after = await loadAnalytics(db, manager, new URLSearchParams(), now);
    expect(moves(after)).toBe(moves(before) + 1);
    expect(after.institutions).toBe(before.institutions);
  });

  it("a page of the stuck list is that slice of the whole list, named, with its window", async () => {
    const params = new URLSearchParams({ stuck: "1" });
    const whole = await loadAnalytics(db, manager, params, now, "en");
    expect(whole.stuck.length).toBeGreaterThan(4);
    expect(whole.stuckWindow.total).toBe(whole.stuck.length);
    const page = await loadAnalytics(db, manager, params, now, "en", { page: 2, per: 2 });
    expect(page.stuck).toEqual(whole.stuck.slice(2, 4));
    expect(page.stuck.every((s) => s.stage && s.stage !== s.stageKey)).toBe(true);
    expect(page.stuckWindow).toMatchObject({ page: 2, per: 2, total: whole.stuck.length, from: 3, to: 4 });
    // A page past the end shows the last one, as the other lists do.
    const last = await loadAnalytics(db, manager, params, now, "en", { page: 10_000, per: 2 });
    expect(last.stuck).toEqual(whole.stuck.slice(last.stuckWindow.offset));
  });

  it("the forecast's programme pace counts a stay completed after it was read", async () => {
    const stageKeys = ["engaged", "tot", "certification", "cost_recovery", "independent"];
    const probe = await addInstitution(db, some.id, "engaged");
    const before = await forecastOf(db, probe, stageKeys, now);
    const id = await addInstitution(db, some.id, "engaged");
    await sql`insert into stage_transitions (id, institution_id, from_stage, to_stage, kind, reason, decided_by, occurred_at)
      values (${randomUUID()}, ${id}, 'engaged', 'tot', 'advance', '', 'test', ${new Date(now.getTime() - 5 * 86_400_000)})`.execute(
      db,
    );
    const after = await forecastOf(db, probe, stageKeys, now);
    // One more completed stay in the programme's pace; each institution's own stays are its own.
    expect(after.basis.portfolioStays).toBe((before.basis.portfolioStays ?? 0) + 1);
    expect(after.currentStageKey).toBe("engaged");
    expect((await forecastOf(db, id, stageKeys, now)).currentStageKey).toBe("tot");
  });

  it("the logframe counts a training cycle recorded after it was read", async () => {
    const data = (await loadLogframe(db, manager, null, now))!;
    const country = data.countries[0]!.code;
    const cycles = (d: typeof data) =>
      d.rows
        .filter((r) => r.dimension === "")
        .reduce((n, r) => n + (r.cells.find((c) => c.country === country)?.recordCount ?? 0), 0);
    const inst = await db
      .selectFrom("institutions")
      .select(["id", "currency"])
      .where("country_code", "=", country)
      .executeTakeFirstOrThrow();
    const enterprise = await db.selectFrom("enterprises").select("id").where("institution_id", "=", inst.id).executeTakeFirst();
    const ended = data.asAt;
    await sql`insert into training_cycles (id, institution_id, module_code, enterprise_id, started_on, ended_on, visits, managers_female,
        managers_male, workers_female, workers_male, currency, cost_minor, fund_enterprise_fee, fund_institution_funds,
        fund_government, fund_sponsor, fund_other_donor, fund_ilo, ilo_staff_involved)
      values (${randomUUID()}, ${inst.id}, 'M1', ${enterprise?.id ?? null}, ${data.phase.startsOn}, ${ended}, 1, 1, 1, 1, 1,
        ${inst.currency}, 100000, 10000, 0, 0, 0, 0, 90000, false)`.execute(db);
    const after = (await loadLogframe(db, manager, null, now))!;
    expect(cycles(after)).toBeGreaterThan(cycles(data));
  });

  it("the logframe shows a phase renamed, a target changed and a manual actual entered after it was read", async () => {
    const data = (await loadLogframe(db, manager, null, now))!;
    const row = data.rows.find((r) => r.dimension === "" && r.source === "computed" && r.cells.some((c) => c.target !== null))!;
    const cell = row.cells.find((c) => c.target !== null)!;
    const manualRow = data.rows.find((r) => r.dimension === "" && r.source === "manual")!;
    const manualCountry = manualRow.cells[0]!.country;
    await sql`update programme_phases set name = name || ' (renamed)' where key = ${data.phase.key}`.execute(db);
    await sql`update indicator_targets set target = target + 7
      where phase_key = ${data.phase.key} and indicator_key = ${row.key} and country = ${cell.country} and dimension = ''`.execute(
      db,
    );
    await sql`delete from indicator_manual_actuals
      where phase_key = ${data.phase.key} and indicator_key = ${manualRow.key} and country = ${manualCountry}`.execute(db);
    await sql`insert into indicator_manual_actuals (phase_key, indicator_key, country, value, unknown, evidence, note, entered_at)
      values (${data.phase.key}, ${manualRow.key}, ${manualCountry}, 4321, false, 'https://evidence.test/kept', '', ${now})`.execute(
      db,
    );
    const after = (await loadLogframe(db, manager, null, now))!;
    expect(after.phase.name).toBe(`${data.phase.name} (renamed)`);
    const afterRow = after.rows.find((r) => r.key === row.key && r.dimension === "")!;
    expect(afterRow.cells.find((c) => c.country === cell.country)!.target).toBe(cell.target! + 7);
    const afterManual = after.rows
      .find((r) => r.key === manualRow.key && r.dimension === "")!
      .cells.find((c) => c.country === manualCountry)!;
    expect(afterManual).toMatchObject({ value: 4321, evidence: "https://evidence.test/kept", entered: true });
  });

  it("a write of the stored status only keeps the values that read no status, and drops the others", async () => {
    let records = 0;
    let status = 0;
    const rm = await readModel(db);
    await rm.cached("records-value", async () => ++records, NO_STATUS);
    await rm.cached("status-value", async () => ++status);
    // A workflow stores an evaluation: only institution_status is written.
    await sql`update institution_status set evaluated_at = evaluated_at where institution_id = ${some.id}`.execute(db);
    const afterStatus = await readModel(db);
    expect(await afterStatus.cached("records-value", async () => ++records, NO_STATUS)).toBe(1);
    expect(await afterStatus.cached("status-value", async () => ++status)).toBe(2);
    // Any other watched write drops both.
    await sql`update countries set name = name where false`.execute(db);
    const afterRecords = await readModel(db);
    expect(await afterRecords.cached("records-value", async () => ++records, NO_STATUS)).toBe(2);
    expect(await afterRecords.cached("status-value", async () => ++status)).toBe(3);
  });

  it("one transaction that writes the stored status and a record, in either order, drops both", async () => {
    for (const statusFirst of [true, false]) {
      let n = 0;
      const key = `both-${statusFirst}`;
      expect(await (await readModel(db)).cached(key, async () => ++n, NO_STATUS)).toBe(1);
      await db.transaction().execute(async (trx) => {
        const writeStatus = sql`update institution_status set evaluated_at = evaluated_at where institution_id = ${some.id}`;
        const writeRecord = sql`update institutions set name = name where id = ${some.id}`;
        for (const w of statusFirst ? [writeStatus, writeRecord] : [writeRecord, writeStatus]) await w.execute(trx);
      });
      expect(await (await readModel(db)).cached(key, async () => ++n, NO_STATUS)).toBe(2);
    }
  });

  it("every value kept across status writes reads no stored status: the same with every status row changed", async () => {
    const phases = await listPhases(db);
    const phase = phases[0];
    const codes = (await db.selectFrom("countries").select("code").execute()).map((c) => c.code);
    const settings = await loadIndicatorSettings(db, phase.key);
    const scope = { ids: null };
    const figures = (d: Kysely<Database>) =>
      Promise.all([
        countIndicatorFacts(d, codes, phase, settings).then((m) => [...m]),
        loadProgrammeTotals(d, codes, phase).then((m) => [...m]),
        countInScope(d, scope),
        timeInStageRows(d, scope, now),
        stuckRows(d, scope, "independent", 30, now),
        movesPerQuarter(d, scope),
        programmePace(d, now),
        forecastFacts(d, some.id, now),
        listPhases(d),
        logframeInputs(d, phase.key).then((i) => [i.countries, [...i.details], [...i.manual], i.settings]),
      ]);
    const before = await figures(db);
    // Inside a transaction rolled back: every stored status says something else, then none is left.
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`update institution_status set stage_key = 'engaged', next_stage_key = null, next_gate = null,
          criteria_met = 0, criteria_total = 0, progress = 0, awaiting_sign_off = true, next_expiry_on = null,
          evaluated_at = ${new Date(0)}`.execute(trx);
        expect(await figures(trx)).toEqual(before);
        await sql`delete from institution_status`.execute(trx);
        expect(await figures(trx)).toEqual(before);
        throw new Error("roll back");
      })
      .catch((e: Error) => expect(e.message).toBe("roll back"));
    expect((await db.selectFrom("institution_status").select("institution_id").execute()).length).toBeGreaterThan(0);
  });

  it("the header's counts are kept, and follow a notification written, a notification read and a plan submitted (decision 042)", async () => {
    const officer = await signInAs(db, "ilo_officer", { countries: [some.country_code] });
    const context = { db, config: parseConfig({}) } as unknown as AppLoadContext;
    const header = async () =>
      (await loadHeader(new Request("http://header.test/", { headers: { Cookie: officer.cookie } }), context)).user!;
    const before = await header();

    // A notification for the ILO about the officer's country: one more unread.
    const id = randomUUID();
    await addNotification(db, {
      id,
      institutionId: some.id,
      kind: "report_to_verify",
      audience: "ilo",
      message: "A report waits for verification",
      at: now,
    });
    const written = await header();
    expect(written.unread).toBe(before.unread + 1);

    // Read: one fewer.
    await markReadFor(
      db,
      { userId: officer.userId, role: "ilo_officer", institutionId: null, countries: [some.country_code] },
      [id],
      now,
    );
    expect((await header()).unread).toBe(before.unread);

    // A plan of the country submitted for review: one more in the officer's review queue.
    const plan = randomUUID();
    await sql`insert into handover_plans (id, institution_id, name, currency, usd_rate_num, usd_rate_den, exit_year, status,
        created_by, created_at, updated_at)
      values (${plan}, ${some.id}, 'Header test plan', 'USD', 1, 1, 2030, 'draft', 'test', ${now}, ${now})`.execute(db);
    expect((await header()).queues.plans).toBe(before.queues.plans);
    await sql`update handover_plans set status = 'submitted' where id = ${plan}`.execute(db);
    expect((await header()).queues.plans).toBe(before.queues.plans + 1);
  });

  it("the loaders of one GET share one read-model check; an action's do not", async () => {
    let checks = 0;
    const counted = db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        if (JSON.stringify(a.result.rows[0] ?? {}).includes('"snap"')) checks++;
        return a.result;
      },
    });
    await requestState.run({ databaseLost: false, reads: true }, async () => {
      const [a, b] = await Promise.all([readModel(counted), readModel(counted)]);
      expect(a).toBe(b);
      await readModel(counted);
    });
    expect(checks).toBe(1);
    await requestState.run({ databaseLost: false, reads: false }, async () => {
      await readModel(counted);
      await readModel(counted);
    });
    expect(checks).toBe(3);
  });
});
