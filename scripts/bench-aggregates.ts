/**
 * The aggregate pages at scale: `npm run bench:aggregates` makes a database on the PostgreSQL
 * server (TEST_POSTGRES_URL), loads the demo data, then inserts INSTITUTIONS institutions (default
 * 5,000) with their stage history, stored status, trainers, enterprises, commitments and CYCLES
 * training cycles (default 100,000) straight with SQL, and times each page's loader (server time, no
 * HTTP), counting its SQL statements through Kysely's log hook: one request at a time after a change
 * (the kept aggregates of decision 030 counted again), one at a time unchanged, and BURST (20) at
 * once after a change. Prints a table; asserts nothing. READ_MODEL_CACHE=off measures without the
 * kept aggregates; SLOW_MS=<ms> prints each slower statement; ONLY=<text> runs the pages whose label
 * has it. The database is dropped at the end (KEEP_DB=1 keeps it; BENCH_DB=<name>
 * measures again on a kept one, without inserting anything).
 */
import type { AppLoadContext } from "@remix-run/node";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { parseConfig } from "../app/platform/config";
import { loader as portfolioLoader } from "../app/routes/portfolio";
import { loader as analyticsLoader } from "../app/routes/analytics";
import { loader as logframeLoader } from "../app/routes/logframe._index";
import { loader as totalsLoader } from "../app/routes/totals";
import { loader as institutionLoader } from "../app/routes/institutions.$id._index";
import { loader as institutionsLoader } from "../app/routes/institutions._index";
import { migrateToLatest } from "../db/create-db";
import { ensureReferenceData } from "../db/reference-data";
import type { Database } from "../db/schema";
import { seedDemoData } from "../db/seed";
import { signInAs } from "../tests/support/session";

const BASE = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const INSTITUTIONS = Number(process.env.INSTITUTIONS ?? 5_000);
const CYCLES = Number(process.env.CYCLES ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);

const reuse = process.env.BENCH_DB;
const name = reuse ?? `pathways_bench_${process.pid}`;
if (!reuse) {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
}
const u = new URL(BASE);
u.pathname = `/${name}`;
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
const pool = new pg.Pool({ connectionString: u.toString(), max: 10, options: "-c jit=off" }); // as db/create-db.ts
pool.on("error", () => {}); // connections ended by the final drop database
let statements = 0;
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log: (e) => {
    if (e.level === "query") statements++;
    // SLOW_MS=<ms>: print each statement that took longer, to find where a page's time goes.
    if (process.env.SLOW_MS && e.queryDurationMillis > Number(process.env.SLOW_MS))
      console.log(`  ${e.queryDurationMillis.toFixed(0)} ms: ${e.query.sql.replace(/\s+/g, " ").slice(0, 300)}`);
  },
});

try {
  if (!reuse) await migrateToLatest(db);
  if (!reuse) {
    await ensureReferenceData(db);
    const now = new Date();
    await seedDemoData(db, now);
    const t0 = performance.now();
    await bulkInsert(db, now);
    console.log(`inserted ${INSTITUTIONS} institutions, ${CYCLES} cycles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (reuse) await migrateToLatest(db); // a kept database made before the latest migration
  await sql`analyze`.execute(db);

  const counts = await sql<{ i: number; c: number; t: number; tr: number }>`select
    (select count(*) from institutions) as i, (select count(*) from training_cycles) as c,
    (select count(*) from stage_transitions) as t, (select count(*) from trainers) as tr`.execute(db);
  console.log("rows:", counts.rows[0]);

  const manager = await signInAs(db, "programme_manager");
  const some = await db
    .selectFrom("institutions")
    .select("id")
    .where("name", "like", "Bench %")
    .orderBy("name")
    .executeTakeFirstOrThrow();
  const reporter = await signInAs(db, "institution_reporter", { institutionId: some.id });
  const context = {
    db,
    temporal: {},
    config: parseConfig({}),
    temporalUiUrl: null,
    namespace: "default",
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;

  type Loader = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;
  const pages: [string, Loader, string, string, Record<string, string>][] = [
    ["/portfolio", portfolioLoader as Loader, "/portfolio", manager.cookie, {}],
    ["/portfolio?stage=certification", portfolioLoader as Loader, "/portfolio?stage=certification", manager.cookie, {}],
    ["/portfolio (reporter)", portfolioLoader as Loader, "/portfolio", reporter.cookie, {}],
    ["/analytics", analyticsLoader as Loader, "/analytics", manager.cookie, {}],
    ["/logframe", logframeLoader as Loader, "/logframe", manager.cookie, {}],
    ["/totals", totalsLoader as Loader, "/totals", manager.cookie, {}],
    ["/institutions", institutionsLoader as Loader, "/institutions", manager.cookie, {}],
    [
      "/institutions?sort=stage&page=40",
      institutionsLoader as Loader,
      "/institutions?sort=stage&dir=desc&page=40",
      manager.cookie,
      {},
    ],
    ["/institutions/<id>", institutionLoader as Loader, `/institutions/${some.id}`, manager.cookie, { id: some.id }],
  ];
  const BURST = Number(process.env.BURST ?? 20);
  // A write to a counted table (none here: `where false`) still notes a change, so the next
  // request finds the kept aggregates out of date and counts again (decision 030).
  const change = () => sql`update countries set name = name where false`.execute(db);
  const once = async (loader: Loader, path: string, cookie: string, params: Record<string, string>) => {
    const start = performance.now();
    const res = await loader({ request: new Request(`http://bench${path}`, { headers: { Cookie: cookie } }), params, context });
    if (res instanceof Response) await res.text();
    return performance.now() - start;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `\n| page | statements after a change | ms after a change (median of ${RUNS}) | statements, unchanged | ms, unchanged (median of ${RUNS}) | ${BURST} at once after a change: slowest ms |\n| --- | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const [label, loader, path, cookie, params] of pages) {
    if (process.env.ONLY && !label.includes(process.env.ONLY)) continue; // ONLY=<text>: the pages whose label has it
    const cold: number[] = [];
    const warm: number[] = [];
    let nCold = 0;
    let nWarm = 0;
    for (let r = 0; r < RUNS; r++) {
      await change();
      statements = 0;
      cold.push(await once(loader, path, cookie, params));
      nCold = statements;
    }
    for (let r = 0; r < RUNS; r++) {
      statements = 0;
      warm.push(await once(loader, path, cookie, params));
      nWarm = statements;
    }
    await change();
    const burst = await Promise.all(Array.from({ length: BURST }, () => once(loader, path, cookie, params)));
    console.log(
      `| ${label} | ${nCold} | ${median(cold).toFixed(0)} | ${nWarm} | ${median(warm).toFixed(0)} | ${Math.max(...burst).toFixed(0)} |`,
    );
  }
} finally {
  await db.destroy();
  if (!process.env.KEEP_DB && !reuse) {
    const a = new pg.Client({ connectionString: BASE });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  } else console.log(`kept database ${name}`);
}

/** Everything in a handful of INSERT … SELECT statements, deterministic (setseed). */
async function bulkInsert(db: Kysely<Database>, now: Date) {
  const n = INSTITUTIONS;
  await sql`select setseed(0.42)`.execute(db);
  // Institutions: a stage 0–4, reached through that many advances after a start, one every 90–400 days.
  await sql`
    create temporary table bench_inst as
    select g as k, gen_random_uuid() as id,
      (array['CN','CO','GH','IN','ID','ZA','VN','PE','BO'])[1 + g % 9] as country,
      floor(random() * 5)::int as stage_index
    from generate_series(1, ${n}) g`.execute(db);
  await sql`create index on bench_inst (k)`.execute(db);
  await sql`
    create temporary table bench_moves as
    select b.id, b.k, s.ord, (array['engaged','tot','certification','cost_recovery','independent'])[s.ord + 1] as stage,
      (${now}::timestamptz - make_interval(days => 2400) + make_interval(days => (s.ord * 300 + (b.k * 37 + s.ord * 11) % 250)))
        + make_interval(secs => (b.k % 86400)) as at
    from bench_inst b cross join lateral generate_series(0, b.stage_index) s(ord)`.execute(db);
  await sql`
    insert into institutions (id, name, type, role, country_code, currency, template_id, stage_key, stage_entered_at,
      mou_signed_on, score_in_portfolio, business_plan_adopted_on, last_report_at, created_at)
    select b.id, 'Bench ' || lpad(b.k::text, 5, '0'), (array['government_training','employers_organisation','industry_association','private_provider'])[1 + b.k % 4],
      (array['implementing_partner','national_coordinator'])[1 + b.k % 2], b.country, c.currency, 'default@1',
      m.stage, m.at, case when b.k % 3 > 0 then (date '2019-01-01' + (b.k % 2000)) end, b.k % 4 > 0,
      case when b.k % 5 = 0 then (date '2020-01-01' + (b.k % 1500)) end,
      case when b.k % 2 = 0 then ${now}::timestamptz - make_interval(days => b.k % 200) end,
      ${now}::timestamptz - make_interval(days => 2400)
    from bench_inst b join countries c on c.code = b.country
    join bench_moves m on m.id = b.id and m.ord = b.stage_index`.execute(db);
  await sql`
    insert into stage_transitions (id, institution_id, from_stage, to_stage, kind, reason, decided_by, occurred_at)
    select gen_random_uuid(), m.id, lag(m.stage) over (partition by m.id order by m.ord), m.stage,
      case when m.ord = 0 then 'start' else 'advance' end, '', 'bench', m.at
    from bench_moves m`.execute(db);
  await sql`
    insert into institution_status (institution_id, stage_key, template_id, next_stage_key, next_gate, criteria_met,
      criteria_total, progress, awaiting_sign_off, failing_floors, next_expiry_on, reminder_after_days, evaluated_at)
    select i.id, i.stage_key, i.template_id, null, 'null', b.k % 4, 4, (b.k % 4) * 25, b.k % 7 = 0, '[]', null, 91, ${now}
    from institutions i join bench_inst b on b.id = i.id`.execute(db);
  // Two enterprises and two trainers per institution (≈ 9,600 each at 5,000 institutions … close enough).
  await sql`
    insert into enterprises (id, institution_id, name, size, sector, workers_female, workers_male)
    select gen_random_uuid(), b.id, 'Enterprise ' || b.k || '-' || e, 'small', 'manufacturing', (b.k * e) % 40, (b.k + e) % 60
    from bench_inst b cross join generate_series(1, 2) e`.execute(db);
  await sql`
    insert into trainers (id, institution_id, name, sex, national_expert, trained_on)
    select gen_random_uuid(), b.id, 'Trainer ' || b.k || '-' || t, case when (b.k + t) % 3 = 0 then 'female' else 'male' end,
      (b.k + t) % 10 = 0, date '2019-06-01' + ((b.k * 13 + t * 7) % 2000)
    from bench_inst b cross join generate_series(1, 2) t`.execute(db);
  await sql`
    insert into trainer_certifications (id, trainer_id, module_code, certified_on, expires_on)
    select gen_random_uuid(), t.id, 'M1', t.trained_on + 60, t.trained_on + 60 + 1095
    from trainers t join bench_inst b on b.id = t.institution_id`.execute(db);
  await sql`
    insert into funding_commitments (id, institution_id, kind, funder, starts_on, ends_on)
    select gen_random_uuid(), b.id, 'multi_year_sponsor', 'Funder ' || (b.k % 300), date '2020-01-01' + (b.k % 1500), null
    from bench_inst b where b.k % 2 = 0`.execute(db);
  // Cycles: spread evenly over the institutions, each with one of its enterprises.
  await sql`
    insert into training_cycles (id, institution_id, module_code, enterprise_id, started_on, ended_on, visits, managers_female,
      managers_male, workers_female, workers_male, currency, cost_minor, fund_enterprise_fee, fund_institution_funds,
      fund_government, fund_sponsor, fund_other_donor, fund_ilo, ilo_staff_involved)
    select gen_random_uuid(), e.institution_id, 'M' || (1 + g % 5), e.id, d, d + 120, 1 + g % 6, g % 3, g % 4, g % 7, g % 9,
      c.currency, 100000 + (g % 50) * 1000, (g % 50) * 1000, 20000, 0, 0, 0, 80000, g % 4 = 0
    from generate_series(1, ${CYCLES}) g
    cross join lateral (select date '2019-01-01' + (g * 7919) % 2400 as d) dd
    join bench_inst b on b.k = 1 + g % ${n}
    join lateral (select en.id, en.institution_id from enterprises en where en.institution_id = b.id order by en.id limit 1) e on true
    join institutions i on i.id = e.institution_id join countries c on c.code = i.country_code`.execute(db);
}
