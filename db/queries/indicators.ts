import { sql } from "kysely";
import {
  DEFAULT_INDICATOR_SETTINGS,
  type CountryCounts,
  type CountryRecords,
  type IndicatorSettings,
  type ManualActual,
  type RecordRef,
} from "../../app/features/indicators/indicators";
import { TemplateDefinitionSchema } from "../../app/domain/template";
import { appendAudit, type Db } from "./audit";

/** The logframe's reads and writes: phases, targets, manual actuals, settings, and the records indicators are computed from. */

export interface Phase {
  key: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
const big = (v: unknown): bigint => BigInt(v as string | number);

export async function listPhases(db: Db): Promise<Phase[]> {
  const rows = await db.selectFrom("programme_phases").selectAll().orderBy("starts_on").execute();
  return rows.map((r) => ({ key: r.key, name: r.name, startsOn: day(r.starts_on), endsOn: day(r.ends_on) }));
}

/** A phase's indicator definitions (indicator_phase_settings); a phase without a row has the defaults. */
export async function loadIndicatorSettings(db: Db, phaseKey?: string): Promise<IndicatorSettings> {
  if (!phaseKey) return DEFAULT_INDICATOR_SETTINGS;
  const row = await db
    .selectFrom("indicator_phase_settings")
    .select(["embedding_stage", "embedding_portfolio_flag"])
    .where("phase_key", "=", phaseKey)
    .executeTakeFirst();
  return row
    ? { embeddingStage: row.embedding_stage, embeddingPortfolioFlag: row.embedding_portfolio_flag }
    : DEFAULT_INDICATOR_SETTINGS;
}

/** Sets one phase's definition of the embedding indicator, audited with what it was; no other phase's row is touched. */
export async function savePhaseSettings(
  db: Db,
  phaseKey: string,
  settings: IndicatorSettings,
  actorId: string,
  at: Date,
): Promise<void> {
  const before = await loadIndicatorSettings(db, phaseKey);
  const set = {
    embedding_stage: settings.embeddingStage,
    embedding_portfolio_flag: settings.embeddingPortfolioFlag,
    updated_by: actorId,
    updated_at: at,
  };
  await db
    .insertInto("indicator_phase_settings")
    .values({ phase_key: phaseKey, ...set })
    .onConflict((oc) => oc.column("phase_key").doUpdateSet(set))
    .execute();
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.settings",
    entityType: "indicator_phase_setting",
    entityId: phaseKey,
    before,
    after: settings,
    at,
  });
}

/** The figures of a phase's targets for whole indicators, keyed `indicator|country` (qualitative ones and parts left out). */
export async function loadTargets(db: Db, phaseKey: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("indicator_targets")
    .select(["indicator_key", "country", "target"])
    .where("phase_key", "=", phaseKey)
    .where("dimension", "=", "")
    .where("target", "is not", null)
    .execute();
  return new Map(rows.map((r) => [`${r.indicator_key}|${r.country}`, Number(r.target)]));
}

export interface TargetDetail {
  target: number | null;
  /** A qualitative target. */
  text: string | null;
  note: string;
}

/** Every target of a phase, parts included, keyed `indicator|country|dimension` ('' for the whole). */
export async function loadTargetDetails(db: Db, phaseKey: string): Promise<Map<string, TargetDetail>> {
  const rows = await db
    .selectFrom("indicator_targets")
    .select(["indicator_key", "country", "dimension", "target", "target_text", "note"])
    .where("phase_key", "=", phaseKey)
    .execute();
  return new Map(
    rows.map((r): [string, TargetDetail] => [
      `${r.indicator_key}|${r.country}|${r.dimension}`,
      { target: r.target === null ? null : Number(r.target), text: r.target_text, note: r.note },
    ]),
  );
}

/** The whole-indicator numeric targets among a phase's details, keyed `indicator|country` (as `loadTargets`). */
export function wholeTargetsOf(details: Map<string, TargetDetail>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, d] of details) {
    const [indicator, country, dimension] = key.split("|");
    if (dimension === "" && d.target !== null) out.set(`${indicator}|${country}`, d.target);
  }
  return out;
}

/** Manual actuals of a phase, keyed `indicator|country`. */
export async function loadManualActuals(db: Db, phaseKey: string): Promise<Map<string, ManualActual>> {
  const rows = await db
    .selectFrom("indicator_manual_actuals as m")
    .leftJoin("users as u", "u.id", "m.entered_by")
    .select([
      "m.indicator_key",
      "m.country",
      "m.value",
      "m.unknown",
      "m.value_text",
      "m.evidence",
      "m.note",
      "m.entered_at",
      "u.name as entered_by_name",
    ])
    .where("m.phase_key", "=", phaseKey)
    .execute();
  return new Map(
    rows.map((r): [string, ManualActual] => [
      `${r.indicator_key}|${r.country}`,
      {
        value: r.unknown || r.value === null ? null : Number(r.value),
        text: r.value_text,
        evidence: r.evidence,
        note: r.note,
        enteredBy: r.entered_by_name ?? "",
        enteredAt: new Date(r.entered_at).toISOString(),
      },
    ]),
  );
}

export interface TargetInput {
  indicatorKey: string;
  country: string;
  phaseKey: string;
  /** '' for the whole indicator, else its part (app/features/indicators/dimensions.ts). */
  dimension?: string;
  /** A figure, or null with `text` for a qualitative target. */
  target: number | null;
  text?: string | null;
  note: string;
}

/** Sets a target by its natural key (indicator, country, phase): saving the same again changes nothing more. */
export async function upsertTarget(db: Db, t: TargetInput, actorId: string, at: Date): Promise<void> {
  const dimension = t.dimension ?? "";
  const set = { target: t.target, target_text: t.target === null ? (t.text ?? null) : null, note: t.note };
  await db
    .insertInto("indicator_targets")
    .values({
      id: crypto.randomUUID(),
      indicator_key: t.indicatorKey,
      country: t.country,
      phase_key: t.phaseKey,
      dimension,
      ...set,
      updated_by: actorId,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(["indicator_key", "country", "phase_key", "dimension"])
        .doUpdateSet({ ...set, updated_by: actorId, updated_at: at }),
    )
    .execute();
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.target",
    entityType: "indicator_target",
    entityId: `${t.indicatorKey}|${t.country}|${t.phaseKey}${dimension ? `|${dimension}` : ""}`,
    after: t,
    at,
  });
}

/** Clears a target (a blank target on the form), audited with what it was; clearing one that is not set changes nothing. */
export async function deleteTarget(
  db: Db,
  k: { indicatorKey: string; country: string; phaseKey: string; dimension?: string },
  actorId: string,
  at: Date,
): Promise<void> {
  const dimension = k.dimension ?? "";
  const gone = await db
    .deleteFrom("indicator_targets")
    .where("indicator_key", "=", k.indicatorKey)
    .where("country", "=", k.country)
    .where("phase_key", "=", k.phaseKey)
    .where("dimension", "=", dimension)
    .returning(["target", "target_text", "note"])
    .executeTakeFirst();
  if (!gone) return;
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.target_cleared",
    entityType: "indicator_target",
    entityId: `${k.indicatorKey}|${k.country}|${k.phaseKey}${dimension ? `|${dimension}` : ""}`,
    before: { target: gone.target === null ? null : Number(gone.target), text: gone.target_text, note: gone.note },
    at,
  });
}

export interface ManualActualInput {
  indicatorKey: string;
  country: string;
  phaseKey: string;
  /** null: "unknown" (or a qualitative actual, with `text`). */
  value: number | null;
  text?: string | null;
  evidence: string;
  note: string;
}

/** Sets a manual actual by its natural key; a repeat overwrites the same row. */
export async function upsertManualActual(db: Db, m: ManualActualInput, actorId: string, at: Date): Promise<void> {
  const text = m.value === null ? (m.text ?? null) : null;
  const set = {
    value: m.value,
    value_text: text,
    unknown: m.value === null && text === null,
    evidence: m.evidence,
    note: m.note,
    entered_by: actorId,
    entered_at: at,
  };
  await db
    .insertInto("indicator_manual_actuals")
    .values({ indicator_key: m.indicatorKey, country: m.country, phase_key: m.phaseKey, ...set })
    .onConflict((oc) => oc.columns(["indicator_key", "country", "phase_key"]).doUpdateSet(set))
    .execute();
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.manual_actual",
    entityType: "indicator_manual_actual",
    entityId: `${m.indicatorKey}|${m.country}|${m.phaseKey}`,
    after: m,
    at,
  });
}

/** Countries with institutions or targets: the logframe's columns, in name order. */
export async function logframeCountries(db: Db, phaseKey: string): Promise<{ code: string; name: string }[]> {
  return db
    .selectFrom("countries")
    .select(["code", "name"])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("institutions")
            .select(sql`1`.as("x"))
            .whereRef("institutions.country_code", "=", "countries.code"),
        ),
        eb.exists(
          eb
            .selectFrom("indicator_targets")
            .select(sql`1`.as("x"))
            .whereRef("indicator_targets.country", "=", "countries.code")
            .where("indicator_targets.phase_key", "=", phaseKey),
        ),
      ]),
    )
    .orderBy("name")
    .execute();
}

/** Every record the indicators read, for these countries, grouped by country. Verified records only (the tables hold nothing else). */
export async function loadCountryRecords(db: Db, countries: string[]): Promise<Map<string, CountryRecords>> {
  const out = new Map<string, CountryRecords>(
    countries.map((c) => [c, { institutions: [], trainers: [], cycles: [], commitments: [] }]),
  );
  if (countries.length === 0) return out;
  const institutions = await db
    .selectFrom("institutions as i")
    .innerJoin("pathway_templates as t", "t.id", "i.template_id")
    .select([
      "i.id",
      "i.name",
      "i.country_code",
      "i.mou_signed_on",
      "i.business_plan_adopted_on",
      "i.score_in_portfolio",
      "t.definition",
      (eb) =>
        eb
          .selectFrom("milestone_reports as r")
          .select(sql<string | null>`min(r.payload ->> 'listedOn')`.as("d"))
          .whereRef("r.institution_id", "=", "i.id")
          .where("r.kind", "=", "score_in_portfolio")
          .where("r.status", "=", "verified")
          .as("portfolio_listed_on"),
    ])
    .where("i.country_code", "in", countries)
    .execute();
  const countryOf = new Map(institutions.map((i) => [i.id, i.country_code]));
  const ids = institutions.map((i) => i.id);
  if (ids.length === 0) return out;
  const stagesOf = new Map<string, string[]>();
  const transitions = await db
    .selectFrom("stage_transitions")
    .select(["id", "institution_id", "to_stage", "occurred_at"])
    .where("institution_id", "in", ids)
    // Two transitions at the same instant: the one with the greater id counts as the later (as countIndicatorFacts has it).
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
  const byInst = new Map<string, { id: string; toStage: string; on: string; at: string }[]>();
  for (const t of transitions) {
    const at = new Date(t.occurred_at).toISOString();
    const list = byInst.get(t.institution_id) ?? [];
    list.push({ id: t.id, toStage: t.to_stage, on: at.slice(0, 10), at });
    byInst.set(t.institution_id, list);
  }
  for (const i of institutions) {
    const key = JSON.stringify(i.definition);
    let stages = stagesOf.get(key);
    if (!stages) stagesOf.set(key, (stages = TemplateDefinitionSchema.parse(i.definition).stages.map((s) => s.key)));
    out.get(i.country_code)!.institutions.push({
      id: i.id,
      name: i.name,
      stages,
      mouSignedOn: i.mou_signed_on ? day(i.mou_signed_on) : null,
      businessPlanAdoptedOn: i.business_plan_adopted_on ? day(i.business_plan_adopted_on) : null,
      scoreInPortfolio: i.score_in_portfolio,
      portfolioListedOn: i.portfolio_listed_on ? day(i.portfolio_listed_on) : null,
      transitions: byInst.get(i.id) ?? [],
    });
  }
  const trainers = await db
    .selectFrom("trainers as tr")
    .leftJoin("trainer_certifications as c", "c.trainer_id", "tr.id")
    .select([
      "tr.id",
      "tr.institution_id",
      "tr.sex",
      "tr.trained_on",
      "tr.national_expert",
      (eb) => eb.fn.min("c.certified_on").as("first_certified_on"),
    ])
    .where("tr.institution_id", "in", ids)
    .groupBy(["tr.id", "tr.institution_id", "tr.sex", "tr.trained_on", "tr.national_expert"])
    .execute();
  for (const t of trainers)
    out.get(countryOf.get(t.institution_id)!)!.trainers.push({
      id: t.id,
      institutionId: t.institution_id,
      sex: t.sex,
      trainedOn: t.trained_on ? day(t.trained_on) : null,
      nationalExpert: t.national_expert,
      firstCertifiedOn: t.first_certified_on ? day(t.first_certified_on) : null,
    });
  const cycles = await db.selectFrom("training_cycles").selectAll().where("institution_id", "in", ids).execute();
  for (const c of cycles)
    out.get(countryOf.get(c.institution_id)!)!.cycles.push({
      id: c.id,
      institutionId: c.institution_id,
      moduleCode: c.module_code,
      enterpriseId: c.enterprise_id,
      endedOn: day(c.ended_on),
      currency: c.currency,
      cost: big(c.cost_minor),
      funding: {
        enterprise_fee: big(c.fund_enterprise_fee),
        institution_funds: big(c.fund_institution_funds),
        government: big(c.fund_government),
        sponsor: big(c.fund_sponsor),
        other_donor: big(c.fund_other_donor),
        ilo: big(c.fund_ilo),
      },
    });
  const commitments = await db.selectFrom("funding_commitments").selectAll().where("institution_id", "in", ids).execute();
  for (const c of commitments)
    out.get(countryOf.get(c.institution_id)!)!.commitments.push({
      id: c.id,
      institutionId: c.institution_id,
      funder: c.funder,
      startsOn: day(c.starts_on),
      endsOn: c.ends_on ? day(c.ends_on) : null,
    });
  return out;
}

/**
 * What the computed indicators count, per country, for a period: one statement, grouped by
 * country, whatever the number of records (the definitions, in words and over records, are in
 * app/features/indicators/indicators.ts; each figure here counts what its `compute` counts).
 * Every country asked for is in the map, with zeros when it has nothing.
 */
export async function countIndicatorFacts(
  db: Db,
  countries: string[],
  period: { startsOn: string; endsOn: string },
  settings: IndicatorSettings,
): Promise<Map<string, CountryCounts>> {
  const out = new Map<string, CountryCounts>();
  if (countries.length === 0) return out;
  const { startsOn: from, endsOn: to } = period;
  const list = sql.join(countries);
  const { rows } = await sql<{
    code: string;
    embedding: number | string | null;
    cost: { currency: string; cost: string; non_ilo: string; n: number }[] | string | null;
    cost_by_module: { module: string; currency: string; cost: string; non_ilo: string; n: number }[] | string | null;
    payers: number | string | null;
    commitments: number | string | null;
    fee_cycles: number | string | null;
    mous: number | string | null;
    plans: number | string | null;
    trained: number | string | null;
    trained_women: number | string | null;
    experts: number | string | null;
    experts_women: number | string | null;
  }>`
    with inst as (
      select i.id, i.country_code, i.template_id, i.mou_signed_on, i.business_plan_adopted_on, i.score_in_portfolio
      from institutions i where i.country_code in (${list})
    ),
    -- The stage each institution was at on the period's last day (UTC): its latest transition by then.
    stage_then as (
      select distinct on (t.institution_id) t.institution_id, ti.template_id, t.to_stage
      from stage_transitions t join institutions ti on ti.id = t.institution_id and ti.country_code in (${list})
      where t.occurred_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
      order by t.institution_id, t.occurred_at desc, t.id desc
    ),
    stage_order as materialized (
      select p.id as template_id, e.value ->> 'key' as stage_key, e.ord
      from pathway_templates p cross join lateral jsonb_array_elements(p.definition::jsonb -> 'stages') with ordinality e(value, ord)
    ),
    -- The institutions at or past the embedding stage on the period's last day, counted once for all
    -- (a correlated subquery per institution re-ran stage_then for each: seconds at 5,000).
    past_stage as materialized (
      select st.institution_id
      from stage_then st
      join stage_order cur on cur.template_id = st.template_id and cur.stage_key = st.to_stage
      join stage_order thr on thr.template_id = st.template_id and thr.stage_key = ${settings.embeddingStage ?? ""}
      where cur.ord >= thr.ord
    ),
    -- The phase's definition (embedsOn): at or past a stage, with the portfolio flag (dated by its
    -- first verified listing, when there is one), or both.
    embedding as (
      select inst.country_code, count(*) as n
      from inst
      where (${!settings.embeddingPortfolioFlag} or (inst.score_in_portfolio and (
          not exists (select 1 from milestone_reports r where r.institution_id = inst.id
            and r.kind = 'score_in_portfolio' and r.status = 'verified')
          or exists (select 1 from milestone_reports r where r.institution_id = inst.id
            and r.kind = 'score_in_portfolio' and r.status = 'verified' and (r.payload ->> 'listedOn') <= ${to}))))
        and (${settings.embeddingStage === null && settings.embeddingPortfolioFlag} or inst.id in (select institution_id from past_stage))
      group by inst.country_code
    ),
    cyc as (
      select ci.country_code, c.module_code, c.currency, c.enterprise_id, c.fund_enterprise_fee, c.cost_minor::numeric as cost,
        c.fund_enterprise_fee::numeric + c.fund_institution_funds + c.fund_government + c.fund_sponsor + c.fund_other_donor as non_ilo
      -- The institutions table itself (not the CTE), so the planner knows its size and hashes the small side.
      from training_cycles c join institutions ci on ci.id = c.institution_id and ci.country_code in (${list})
      where c.ended_on between ${from} and ${to}
    ),
    cycles_by_module as (
      select country_code, module_code, currency, count(*) as n, sum(cost) as cost, sum(non_ilo) as non_ilo
      from cyc group by country_code, module_code, currency
    ),
    cycles as (
      select country_code, currency, sum(n) as n, sum(cost) as cost, sum(non_ilo) as non_ilo
      from cycles_by_module group by country_code, currency
    ),
    -- Payers: funders (by name, trimmed, any case) of commitments in force, and enterprises that paid a fee.
    -- The two kinds never coincide, so their distinct counts add up.
    funders as (
      select inst.country_code, count(*) as n, count(distinct lower(regexp_replace(f.funder, '^[[:space:]]+|[[:space:]]+$', '', 'g'))) as distinct_n
      from funding_commitments f join inst on inst.id = f.institution_id
      where f.starts_on <= ${to} and (f.ends_on is null or f.ends_on >= ${from})
      group by inst.country_code
    ),
    fees as (
      -- Grouped by enterprise first: a hash per (country, enterprise) instead of sorting every cycle.
      select country_code, sum(n) as n, count(*) as distinct_n
      from (select country_code, enterprise_id, count(*) as n from cyc where fund_enterprise_fee > 0 group by country_code, enterprise_id) x
      group by country_code
    ),
    dated as (
      select country_code, count(*) filter (where mou_signed_on <= ${to}) as mous,
        count(*) filter (where business_plan_adopted_on <= ${to}) as plans
      from inst group by country_code
    ),
    trained as (
      select inst.country_code, count(*) as n, count(*) filter (where tr.sex = 'female') as women
      from trainers tr join inst on inst.id = tr.institution_id
      where tr.trained_on between ${from} and ${to}
      group by inst.country_code
    ),
    experts as (
      select inst.country_code, count(*) as n, count(*) filter (where tr.sex = 'female') as women
      from trainers tr join inst on inst.id = tr.institution_id
      where tr.national_expert
        and exists (select 1 from trainer_certifications tc where tc.trainer_id = tr.id and tc.certified_on <= ${to})
      group by inst.country_code
    )
    select c.code, e.n as embedding,
      (select json_agg(json_build_object('currency', cy.currency, 'cost', cy.cost::text, 'non_ilo', cy.non_ilo::text, 'n', cy.n))
         from cycles cy where cy.country_code = c.code) as cost,
      (select json_agg(json_build_object('module', cm.module_code, 'currency', cm.currency, 'cost', cm.cost::text,
          'non_ilo', cm.non_ilo::text, 'n', cm.n))
         from cycles_by_module cm where cm.country_code = c.code) as cost_by_module,
      coalesce(fu.distinct_n, 0) + coalesce(fe.distinct_n, 0) as payers, fu.n as commitments, fe.n as fee_cycles, d.mous, d.plans,
      tr.n as trained, tr.women as trained_women, x.n as experts, x.women as experts_women
    from countries c
    left join embedding e on e.country_code = c.code
    left join funders fu on fu.country_code = c.code
    left join fees fe on fe.country_code = c.code
    left join dated d on d.country_code = c.code
    left join trained tr on tr.country_code = c.code
    left join experts x on x.country_code = c.code
    where c.code in (${list})`.execute(db);
  const n = (v: unknown) => Number(v ?? 0);
  for (const code of countries)
    out.set(code, {
      embedding: 0,
      costPerCurrency: [],
      costPerModule: [],
      payers: { distinct: 0, commitments: 0, feeCycles: 0 },
      mous: 0,
      plans: 0,
      trained: { people: 0, women: 0 },
      experts: { people: 0, women: 0 },
    });
  for (const r of rows) {
    const cost = (typeof r.cost === "string" ? JSON.parse(r.cost) : (r.cost ?? [])) as {
      currency: string;
      cost: string;
      non_ilo: string;
      n: number;
    }[];
    const byModule = (typeof r.cost_by_module === "string" ? JSON.parse(r.cost_by_module) : (r.cost_by_module ?? [])) as {
      module: string;
      currency: string;
      cost: string;
      non_ilo: string;
      n: number;
    }[];
    out.set(r.code, {
      embedding: n(r.embedding),
      costPerCurrency: cost.map((c) => ({ currency: c.currency, cost: big(c.cost), nonIlo: big(c.non_ilo), cycles: n(c.n) })),
      costPerModule: byModule.map((c) => ({
        module: c.module,
        currency: c.currency,
        cost: big(c.cost),
        nonIlo: big(c.non_ilo),
        cycles: n(c.n),
      })),
      payers: { distinct: n(r.payers), commitments: n(r.commitments), feeCycles: n(r.fee_cycles) },
      mous: n(r.mous),
      plans: n(r.plans),
      trained: { people: n(r.trained), women: n(r.trained_women) },
      experts: { people: n(r.experts), women: n(r.experts_women) },
    });
  }
  return out;
}

export interface RecordRow {
  type: RecordRef["type"];
  id: string;
  institutionId: string;
  institutionName: string;
  /** What the record is, in data (the page words it). */
  label: string;
  date: string | null;
  detail: Record<string, string | number | boolean | null>;
}

/**
 * The records behind an actual, with enough to list them: names, dates and the figures that counted.
 * In sections (institutions, trainers, cycles, commitments), each in its own order; with `window`,
 * only the rows from `offset` on, `limit` of them, each section paged by the database.
 */
export async function describeRecords(
  db: Db,
  refs: RecordRef[],
  window: { offset: number; limit: number } = { offset: 0, limit: Number.MAX_SAFE_INTEGER },
): Promise<RecordRow[]> {
  const of = (type: RecordRef["type"]) => refs.filter((r) => r.type === type).map((r) => r.id);
  const rows: RecordRow[] = [];
  // Where each section starts in the whole list, and which of its rows the window takes.
  let start = 0;
  const part = (n: number): { offset: number; limit: number } | null => {
    const lo = Math.max(window.offset, start);
    const hi = Math.min(window.offset + window.limit, start + n);
    const at = start;
    start += n;
    return hi > lo ? { offset: lo - at, limit: hi - lo } : null;
  };
  const inst = of("institution");
  const instPart = part(inst.length);
  if (instPart)
    for (const r of await db
      .selectFrom("institutions")
      .select(["id", "name", "stage_key", "mou_signed_on", "business_plan_adopted_on"])
      .where("id", "in", inst)
      .orderBy("name")
      .orderBy("id")
      .limit(instPart.limit)
      .offset(instPart.offset)
      .execute())
      rows.push({
        type: "institution",
        id: r.id,
        institutionId: r.id,
        institutionName: r.name,
        label: r.name,
        date: null,
        detail: {
          stage: r.stage_key,
          mouSignedOn: r.mou_signed_on ? day(r.mou_signed_on) : null,
          businessPlanAdoptedOn: r.business_plan_adopted_on ? day(r.business_plan_adopted_on) : null,
        },
      });
  const trainers = of("trainer");
  const trainerPart = part(trainers.length);
  if (trainerPart)
    for (const r of await db
      .selectFrom("trainers as t")
      .innerJoin("institutions as i", "i.id", "t.institution_id")
      .select([
        "t.id",
        "t.name",
        "t.sex",
        "t.trained_on",
        "t.national_expert",
        "i.id as institution_id",
        "i.name as institution_name",
      ])
      .where("t.id", "in", trainers)
      .orderBy("i.name")
      .orderBy("t.name")
      .orderBy("t.id")
      .limit(trainerPart.limit)
      .offset(trainerPart.offset)
      .execute())
      rows.push({
        type: "trainer",
        id: r.id,
        institutionId: r.institution_id,
        institutionName: r.institution_name,
        label: r.name,
        date: r.trained_on ? day(r.trained_on) : null,
        detail: { sex: r.sex, nationalExpert: r.national_expert },
      });
  const cycles = of("cycle");
  const cyclePart = part(cycles.length);
  if (cyclePart)
    for (const r of await db
      .selectFrom("training_cycles as c")
      .innerJoin("institutions as i", "i.id", "c.institution_id")
      .innerJoin("enterprises as e", "e.id", "c.enterprise_id")
      .select([
        "c.id",
        "c.module_code",
        "c.ended_on",
        "c.currency",
        "c.cost_minor",
        "c.fund_ilo",
        "c.fund_enterprise_fee",
        "e.name as enterprise",
        "i.id as institution_id",
        "i.name as institution_name",
      ])
      .where("c.id", "in", cycles)
      .orderBy("c.ended_on")
      .orderBy("c.id")
      .limit(cyclePart.limit)
      .offset(cyclePart.offset)
      .execute())
      rows.push({
        type: "cycle",
        id: r.id,
        institutionId: r.institution_id,
        institutionName: r.institution_name,
        label: `${r.module_code} · ${r.enterprise}`,
        date: day(r.ended_on),
        detail: {
          currency: r.currency,
          cost: String(r.cost_minor),
          ilo: String(r.fund_ilo),
          nonIlo: String(big(r.cost_minor) - big(r.fund_ilo)),
          enterpriseFee: String(r.fund_enterprise_fee),
        },
      });
  const commitments = of("commitment");
  const commitmentPart = part(commitments.length);
  if (commitmentPart)
    for (const r of await db
      .selectFrom("funding_commitments as f")
      .innerJoin("institutions as i", "i.id", "f.institution_id")
      .select(["f.id", "f.kind", "f.funder", "f.starts_on", "f.ends_on", "i.id as institution_id", "i.name as institution_name"])
      .where("f.id", "in", commitments)
      .orderBy("f.starts_on")
      .orderBy("f.id")
      .limit(commitmentPart.limit)
      .offset(commitmentPart.offset)
      .execute())
      rows.push({
        type: "commitment",
        id: r.id,
        institutionId: r.institution_id,
        institutionName: r.institution_name,
        label: r.funder,
        date: day(r.starts_on),
        detail: { kind: r.kind, endsOn: r.ends_on ? day(r.ends_on) : null },
      });
  return rows;
}

export interface ProgrammeTotals {
  institutions: number;
  trainersTrainedFemale: number;
  trainersTrainedMale: number;
  trainersCertifiedFemale: number;
  trainersCertifiedMale: number;
  enterprises: number;
  workersEmployedFemale: number;
  workersEmployedMale: number;
  visits: number;
  managersFemale: number;
  managersMale: number;
  workersFemale: number;
  workersMale: number;
}

/**
 * Programme totals per country for a period, by sex where the records hold it: institutions on
 * the pathway by the period's end; trainers trained (ToT ended) and certified in the period;
 * enterprises with a cycle ended in the period, their workers, the cycles' visits and classroom
 * participants.
 */
export async function loadProgrammeTotals(
  db: Db,
  countries: string[],
  period: { startsOn: string; endsOn: string },
): Promise<Map<string, ProgrammeTotals>> {
  const out = new Map<string, ProgrammeTotals>();
  if (countries.length === 0) return out;
  const { startsOn: from, endsOn: to } = period;
  const list = sql.join(countries);
  // One pass over each table, grouped by country (not one sub-query per country and figure).
  const rows = await sql<Record<string, string | number | null> & { code: string }>`
    with inst as (select i.id, i.country_code from institutions i where i.country_code in (${list})),
    on_pathway as (
      select inst.country_code, count(*) as n from inst
      where exists (select 1 from stage_transitions t where t.institution_id = inst.id and t.occurred_at < (${to}::date + 1))
      group by inst.country_code
    ),
    trained as (
      select inst.country_code, count(*) filter (where tr.sex = 'female') as f, count(*) filter (where tr.sex = 'male') as m
      from trainers tr join inst on inst.id = tr.institution_id
      where tr.trained_on between ${from} and ${to}
      group by inst.country_code
    ),
    certified as (
      select inst.country_code, count(distinct tr.id) filter (where tr.sex = 'female') as f,
        count(distinct tr.id) filter (where tr.sex = 'male') as m
      from trainers tr join inst on inst.id = tr.institution_id join trainer_certifications tc on tc.trainer_id = tr.id
      where tc.certified_on between ${from} and ${to}
      group by inst.country_code
    ),
    cyc as (
      select ci.country_code, tc.enterprise_id, tc.visits, tc.managers_female, tc.managers_male, tc.workers_female, tc.workers_male
      from training_cycles tc join institutions ci on ci.id = tc.institution_id and ci.country_code in (${list})
      where tc.ended_on between ${from} and ${to}
    ),
    ent as (
      select x.country_code, count(*) as n, coalesce(sum(e.workers_female), 0) as f, coalesce(sum(e.workers_male), 0) as m
      from (select distinct country_code, enterprise_id from cyc) x join enterprises e on e.id = x.enterprise_id
      group by x.country_code
    ),
    sums as (
      select country_code, sum(visits) as visits, sum(managers_female) as managers_female, sum(managers_male) as managers_male,
        sum(workers_female) as workers_female, sum(workers_male) as workers_male
      from cyc group by country_code
    )
    select c.code, op.n as institutions, tt.f as trainers_trained_female, tt.m as trainers_trained_male,
      ce.f as trainers_certified_female, ce.m as trainers_certified_male,
      ent.n as enterprises, ent.f as workers_employed_female, ent.m as workers_employed_male,
      s.visits, s.managers_female, s.managers_male, s.workers_female, s.workers_male
    from countries c
    left join on_pathway op on op.country_code = c.code
    left join trained tt on tt.country_code = c.code
    left join certified ce on ce.country_code = c.code
    left join ent on ent.country_code = c.code
    left join sums s on s.country_code = c.code
    where c.code in (${list})`.execute(db);
  const n = (v: unknown) => Number(v ?? 0);
  for (const r of rows.rows)
    out.set(r.code, {
      institutions: n(r.institutions),
      trainersTrainedFemale: n(r.trainers_trained_female),
      trainersTrainedMale: n(r.trainers_trained_male),
      trainersCertifiedFemale: n(r.trainers_certified_female),
      trainersCertifiedMale: n(r.trainers_certified_male),
      enterprises: n(r.enterprises),
      workersEmployedFemale: n(r.workers_employed_female),
      workersEmployedMale: n(r.workers_employed_male),
      visits: n(r.visits),
      managersFemale: n(r.managers_female),
      managersMale: n(r.managers_male),
      workersFemale: n(r.workers_female),
      workersMale: n(r.workers_male),
    });
  return out;
}

/** The target set for one indicator (or one of its parts) in one country and phase, if any. */
export async function getTarget(db: Db, indicatorKey: string, country: string, phaseKey: string, dimension = "") {
  return db
    .selectFrom("indicator_targets")
    .select(["target", "target_text", "note"])
    .where("indicator_key", "=", indicatorKey)
    .where("country", "=", country)
    .where("phase_key", "=", phaseKey)
    .where("dimension", "=", dimension)
    .executeTakeFirst();
}
