import { sql } from "kysely";
import {
  DEFAULT_INDICATOR_SETTINGS,
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

export async function loadIndicatorSettings(db: Db): Promise<IndicatorSettings> {
  const row = await db.selectFrom("indicator_settings").select("value").where("key", "=", "embedding_stage").executeTakeFirst();
  return typeof row?.value === "string" ? { embeddingStage: row.value } : DEFAULT_INDICATOR_SETTINGS;
}

export async function saveEmbeddingStage(db: Db, stage: string, actorId: string, at: Date): Promise<void> {
  await db
    .insertInto("indicator_settings")
    .values({ key: "embedding_stage", value: JSON.stringify(stage), updated_by: actorId, updated_at: at })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(stage), updated_by: actorId, updated_at: at }))
    .execute();
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.settings",
    entityType: "indicator_setting",
    entityId: "embedding_stage",
    after: { stage },
    at,
  });
}

/** Targets of a phase, keyed `indicator|country`. */
export async function loadTargets(db: Db, phaseKey: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("indicator_targets")
    .select(["indicator_key", "country", "target"])
    .where("phase_key", "=", phaseKey)
    .execute();
  return new Map(rows.map((r) => [`${r.indicator_key}|${r.country}`, Number(r.target)]));
}

/** Manual actuals of a phase, keyed `indicator|country`. */
export async function loadManualActuals(db: Db, phaseKey: string): Promise<Map<string, ManualActual>> {
  const rows = await db
    .selectFrom("indicator_manual_actuals as m")
    .leftJoin("users as u", "u.id", "m.entered_by")
    .select(["m.indicator_key", "m.country", "m.value", "m.evidence", "m.note", "m.entered_at", "u.name as entered_by_name"])
    .where("m.phase_key", "=", phaseKey)
    .execute();
  return new Map(
    rows.map((r): [string, ManualActual] => [
      `${r.indicator_key}|${r.country}`,
      {
        value: Number(r.value),
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
  target: number;
  note: string;
}

/** Sets a target by its natural key (indicator, country, phase): saving the same again changes nothing more. */
export async function upsertTarget(db: Db, t: TargetInput, actorId: string, at: Date): Promise<void> {
  await db
    .insertInto("indicator_targets")
    .values({
      id: crypto.randomUUID(),
      indicator_key: t.indicatorKey,
      country: t.country,
      phase_key: t.phaseKey,
      target: t.target,
      note: t.note,
      updated_by: actorId,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(["indicator_key", "country", "phase_key"])
        .doUpdateSet({ target: t.target, note: t.note, updated_by: actorId, updated_at: at }),
    )
    .execute();
  await appendAudit(db, {
    actor: actorId,
    action: "indicator.target",
    entityType: "indicator_target",
    entityId: `${t.indicatorKey}|${t.country}|${t.phaseKey}`,
    after: t,
    at,
  });
}

export interface ManualActualInput {
  indicatorKey: string;
  country: string;
  phaseKey: string;
  value: number;
  evidence: string;
  note: string;
}

/** Sets a manual actual by its natural key; a repeat overwrites the same row. */
export async function upsertManualActual(db: Db, m: ManualActualInput, actorId: string, at: Date): Promise<void> {
  const set = { value: m.value, evidence: m.evidence, note: m.note, entered_by: actorId, entered_at: at };
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
    .select(["i.id", "i.name", "i.country_code", "i.mou_signed_on", "i.business_plan_adopted_on", "t.definition"])
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
    .orderBy("occurred_at")
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

/** The records behind an actual, with enough to list them: names, dates and the figures that counted. */
export async function describeRecords(db: Db, refs: RecordRef[]): Promise<RecordRow[]> {
  const of = (type: RecordRef["type"]) => refs.filter((r) => r.type === type).map((r) => r.id);
  const rows: RecordRow[] = [];
  const inst = of("institution");
  if (inst.length)
    for (const r of await db
      .selectFrom("institutions")
      .select(["id", "name", "stage_key", "mou_signed_on", "business_plan_adopted_on"])
      .where("id", "in", inst)
      .orderBy("name")
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
  if (trainers.length)
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
  if (cycles.length)
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
  if (commitments.length)
    for (const r of await db
      .selectFrom("funding_commitments as f")
      .innerJoin("institutions as i", "i.id", "f.institution_id")
      .select(["f.id", "f.kind", "f.funder", "f.starts_on", "f.ends_on", "i.id as institution_id", "i.name as institution_name"])
      .where("f.id", "in", commitments)
      .orderBy("f.starts_on")
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
  const rows = await sql<Record<string, string | number | null> & { code: string }>`
    select c.code,
      (select count(*) from institutions i where i.country_code = c.code
        and exists (select 1 from stage_transitions t where t.institution_id = i.id and t.occurred_at < (${to}::date + 1))) as institutions,
      (select count(*) filter (where tr.sex = 'female') from trainers tr join institutions i on i.id = tr.institution_id
        where i.country_code = c.code and tr.trained_on between ${from} and ${to}) as trainers_trained_female,
      (select count(*) filter (where tr.sex = 'male') from trainers tr join institutions i on i.id = tr.institution_id
        where i.country_code = c.code and tr.trained_on between ${from} and ${to}) as trainers_trained_male,
      (select count(distinct tr.id) filter (where tr.sex = 'female') from trainers tr join institutions i on i.id = tr.institution_id
        join trainer_certifications tc on tc.trainer_id = tr.id
        where i.country_code = c.code and tc.certified_on between ${from} and ${to}) as trainers_certified_female,
      (select count(distinct tr.id) filter (where tr.sex = 'male') from trainers tr join institutions i on i.id = tr.institution_id
        join trainer_certifications tc on tc.trainer_id = tr.id
        where i.country_code = c.code and tc.certified_on between ${from} and ${to}) as trainers_certified_male,
      (select count(*) from enterprises e where e.id in (select tc.enterprise_id from training_cycles tc join institutions i on i.id = tc.institution_id
        where i.country_code = c.code and tc.ended_on between ${from} and ${to})) as enterprises,
      (select coalesce(sum(e.workers_female), 0) from enterprises e where e.id in (select tc.enterprise_id from training_cycles tc join institutions i on i.id = tc.institution_id
        where i.country_code = c.code and tc.ended_on between ${from} and ${to})) as workers_employed_female,
      (select coalesce(sum(e.workers_male), 0) from enterprises e where e.id in (select tc.enterprise_id from training_cycles tc join institutions i on i.id = tc.institution_id
        where i.country_code = c.code and tc.ended_on between ${from} and ${to})) as workers_employed_male,
      cy.visits, cy.managers_female, cy.managers_male, cy.workers_female, cy.workers_male
    from countries c
    cross join lateral (
      select coalesce(sum(tc.visits), 0) as visits, coalesce(sum(tc.managers_female), 0) as managers_female,
        coalesce(sum(tc.managers_male), 0) as managers_male, coalesce(sum(tc.workers_female), 0) as workers_female,
        coalesce(sum(tc.workers_male), 0) as workers_male
      from training_cycles tc join institutions i on i.id = tc.institution_id
      where i.country_code = c.code and tc.ended_on between ${from} and ${to}
    ) cy
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

/** The target set for one indicator in one country and phase, if any. */
export async function getTarget(db: Db, indicatorKey: string, country: string, phaseKey: string) {
  return db
    .selectFrom("indicator_targets")
    .select(["target", "note"])
    .where("indicator_key", "=", indicatorKey)
    .where("country", "=", country)
    .where("phase_key", "=", phaseKey)
    .executeTakeFirst();
}
