import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { Database } from "../db/schema";

const BASE = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The benchmarks' database on the PostgreSQL server: a new one named `<prefix>_<pid>`, or the kept
 * one BENCH_DB names. `finish()` drops a new one unless KEEP_DB is set, and says which it kept.
 */
export async function benchDatabase(prefix: string) {
  const reused = process.env.BENCH_DB;
  const name = reused ?? `${prefix}_${process.pid}`;
  const onServer = async (statement: string) => {
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  if (!reused) await onServer(`create database ${name}`);
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    reused: reused !== undefined,
    async finish() {
      if (!process.env.KEEP_DB && !reused) await onServer(`drop database if exists ${name} with (force)`);
      else console.log(`kept database ${name}`);
    },
  };
}

/**
 * The benchmarks' big data set (bench:aggregates, bench:exports, bench:page-cpu on a kept database):
 * institutions across nine countries at stages 0–4 with their transitions, two enterprises and two
 * trainers each, and training cycles spread over them, in a handful of INSERT … SELECT statements,
 * deterministic (setseed). Straight into the tables, not through the import (bench:scale does that).
 */
export async function bulkInsert(db: Kysely<Database>, now: Date, sizes: { institutions: number; cycles: number }) {
  const n = sizes.institutions;
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
    from generate_series(1, ${sizes.cycles}) g
    cross join lateral (select date '2019-01-01' + (g * 7919) % 2400 as d) dd
    join bench_inst b on b.k = 1 + g % ${n}
    join lateral (select en.id, en.institution_id from enterprises en where en.institution_id = b.id order by en.id limit 1) e on true
    join institutions i on i.id = e.institution_id join countries c on c.code = i.country_code`.execute(db);
}
