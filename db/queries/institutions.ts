import { sql } from "kysely";
import { TemplateDefinitionSchema, type PathwayTemplate } from "../../app/domain/template";
import type { CycleRecord, FundingCommitmentRecord, PathwayRecords, TrainerRecord } from "../../app/domain/records";
import type { Institution, InstitutionRole, InstitutionType } from "../schema";
import { readinessFromAssessment } from "../../app/features/scorecard/scorecard";
import { appendAudit, type Db } from "./audit";

export const INSTITUTION_TYPES: Record<InstitutionType, string> = {
  government_training: "Government training organisation",
  employers_organisation: "Employers' organisation",
  industry_association: "Industry association",
  private_provider: "Private training provider",
};

export const INSTITUTION_ROLES: Record<InstitutionRole, string> = {
  national_coordinator: "National coordinator",
  implementing_partner: "Implementing partner",
  sponsor: "Sponsor",
};

export interface InstitutionFilter {
  country?: string;
  type?: string;
  stage?: string;
}

export async function listInstitutions(db: Db, f: InstitutionFilter = {}) {
  let q = db
    .selectFrom("institutions as i")
    .innerJoin("countries as c", "c.code", "i.country_code")
    .selectAll("i")
    .select("c.name as country_name")
    .orderBy("c.name")
    .orderBy("i.name");
  if (f.country) q = q.where("i.country_code", "=", f.country);
  if (f.type) q = q.where("i.type", "=", f.type as InstitutionType);
  if (f.stage) q = q.where("i.stage_key", "=", f.stage);
  return q.execute();
}

export async function getInstitution(db: Db, id: string) {
  return db
    .selectFrom("institutions as i")
    .innerJoin("countries as c", "c.code", "i.country_code")
    .selectAll("i")
    .select("c.name as country_name")
    .where("i.id", "=", id)
    .executeTakeFirst();
}

export async function listCountries(db: Db) {
  return db.selectFrom("countries").selectAll().orderBy("name").execute();
}

export async function listModules(db: Db) {
  return db.selectFrom("modules").selectAll().orderBy("sort_order").execute();
}

/**
 * Published template versions never change (db/queries/templates.ts refuses it): each database
 * handle keeps the ones it has read, parsed, so a page of an institution neither reads nor parses
 * its template again. Drafts are read every time.
 */
const publishedTemplates = new WeakMap<Db, Map<string, PathwayTemplate>>();
const KEPT_TEMPLATES = 200;

export async function getTemplate(db: Db, id: string): Promise<PathwayTemplate> {
  const kept = publishedTemplates.get(db)?.get(id);
  if (kept) return kept;
  const row = await db.selectFrom("pathway_templates").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const template: PathwayTemplate = {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    definition: TemplateDefinitionSchema.parse(row.definition),
  };
  if (row.status === "published") {
    let map = publishedTemplates.get(db);
    if (!map) publishedTemplates.set(db, (map = new Map()));
    if (map.size >= KEPT_TEMPLATES) map.clear();
    map.set(id, template);
  }
  return template;
}

/** The template a new institution in this country starts on: the latest published version of the country's own, else of the default. */
export async function currentTemplateFor(db: Db, countryCode: string): Promise<PathwayTemplate> {
  const row = await db
    .selectFrom("pathway_templates")
    .select("id")
    .where((eb) => eb.or([eb("country_code", "=", countryCode), eb("country_code", "is", null)]))
    .where("status", "=", "published")
    .orderBy(sql`country_code is null`)
    .orderBy("version", "desc")
    .executeTakeFirstOrThrow();
  return getTemplate(db, row.id);
}

export interface NewInstitutionInput {
  id: string;
  name: string;
  type: InstitutionType;
  role: InstitutionRole;
  countryCode: string;
}

/** Creates an institution at its template's first stage, with its start transition and audit entry. */
export async function createInstitution(db: Db, input: NewInstitutionInput, actor: string, now: Date): Promise<Institution> {
  const country = await db.selectFrom("countries").selectAll().where("code", "=", input.countryCode).executeTakeFirstOrThrow();
  const template = await currentTemplateFor(db, input.countryCode);
  const firstStage = template.definition.stages[0].key;
  const row = await db
    .insertInto("institutions")
    .values({
      id: input.id,
      name: input.name,
      type: input.type,
      role: input.role,
      country_code: input.countryCode,
      currency: country.currency,
      template_id: template.id,
      stage_key: firstStage,
      stage_entered_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto("stage_transitions")
    .values({
      id: `start-${input.id}`,
      institution_id: input.id,
      from_stage: null,
      to_stage: firstStage,
      kind: "start",
      decided_by: actor,
      occurred_at: now,
    })
    .execute();
  await appendAudit(db, {
    actor,
    action: "institution.created",
    entityType: "institution",
    entityId: input.id,
    institutionId: input.id,
    after: { name: input.name, type: input.type, role: input.role, country: input.countryCode, template: template.id },
    at: now,
  });
  return row;
}

/**
 * Everything the gate rules read about one institution, verified records only: one statement
 * (each kind of record a JSON array built by PostgreSQL), where `loadRecordsFor` runs seven for
 * many institutions. The institution page and the `evaluatePathway` activity read it on every
 * view and every report. Same shape and order as `loadRecordsFor`: trainers by name, each one's
 * certifications by date, cycles by end date.
 */
export async function loadPathwayRecords(db: Db, institutionId: string): Promise<PathwayRecords> {
  const { rows } = await sql<RecordsRow>`
    select i.mou_signed_on, i.score_in_portfolio, i.business_plan_adopted_on,
      coalesce((
        select json_agg(json_build_object(
          'id', t.id, 'sex', t.sex, 'nationalExpert', t.national_expert,
          'trainedOn', t.trained_on, 'lastActiveOn', t.last_active_on,
          'certifications', coalesce((
            select json_agg(json_build_object('module', c.module_code, 'certifiedOn', c.certified_on, 'expiresOn', c.expires_on)
                            order by c.certified_on)
            from trainer_certifications c where c.trainer_id = t.id), '[]'::json)
        ) order by t.name)
        from trainers t where t.institution_id = i.id), '[]'::json) as trainers,
      coalesce((
        select json_agg(json_build_object(
          'module', y.module_code, 'endedOn', y.ended_on, 'iloStaffInvolved', y.ilo_staff_involved,
          'funding', json_build_object(
            'enterprise_fee', y.fund_enterprise_fee, 'institution_funds', y.fund_institution_funds,
            'government', y.fund_government, 'sponsor', y.fund_sponsor,
            'other_donor', y.fund_other_donor, 'ilo', y.fund_ilo)
        ) order by y.ended_on)
        from training_cycles y where y.institution_id = i.id), '[]'::json) as cycles,
      coalesce((
        select json_agg(json_build_object('kind', f.kind, 'startsOn', f.starts_on, 'endsOn', f.ends_on))
        from funding_commitments f where f.institution_id = i.id), '[]'::json) as commitments,
      (select json_build_object(
          'assessedOn', a.assessed_on,
          'scores', coalesce((select json_object_agg(s.criterion_key, s.score) from readiness_scores s where s.assessment_id = a.id), '{}'::json))
        from readiness_assessments a
        where a.institution_id = i.id and a.kind = 'ilo'
        order by a.assessed_on desc, a.created_at desc, a.id
        limit 1) as readiness
    from institutions i
    where i.id = ${institutionId}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`Institution ${institutionId} does not exist`);
  const readiness = row.readiness
    ? readinessFromAssessment({
        assessedOn: row.readiness.assessedOn,
        scores: Object.fromEntries(Object.entries(row.readiness.scores).map(([k, v]) => [k, { score: Number(v) }])),
      })
    : null;
  return {
    mouSignedOn: row.mou_signed_on,
    scoreInPortfolio: row.score_in_portfolio,
    businessPlanAdoptedOn: row.business_plan_adopted_on,
    trainers: row.trainers,
    cycles: row.cycles.map((c) => ({
      ...c,
      // The same numbers pg and PGlite return for the bigint columns, whatever JSON made of them.
      funding: Object.fromEntries(Object.entries(c.funding).map(([k, v]) => [k, Number(v)])) as CycleRecord["funding"],
    })),
    commitments: row.commitments,
    readiness,
  };
}

interface RecordsRow {
  mou_signed_on: string | null;
  score_in_portfolio: boolean;
  business_plan_adopted_on: string | null;
  trainers: TrainerRecord[];
  cycles: CycleRecord[];
  commitments: FundingCommitmentRecord[];
  readiness: { assessedOn: string; scores: Record<string, number | string> } | null;
}

export async function listTrainers(db: Db, institutionId: string) {
  return db.selectFrom("trainers").selectAll().where("institution_id", "=", institutionId).orderBy("name").execute();
}

export async function listTransitions(db: Db, institutionId: string) {
  return db
    .selectFrom("stage_transitions")
    .selectAll()
    .where("institution_id", "=", institutionId)
    .orderBy("occurred_at", "desc")
    .execute();
}

/** An institution's name (for the header of its reporters), or undefined. */
export async function getInstitutionName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom("institutions").select("name").where("id", "=", id).executeTakeFirst())?.name;
}

/** An institution's name and template, whatever its status. */
export async function getInstitutionTemplate(db: Db, id: string) {
  return db.selectFrom("institutions").select(["name", "template_id"]).where("id", "=", id).executeTakeFirst();
}

/** Ids of the active institutions: each has its pathway running. */
export async function listActiveInstitutionIds(db: Db): Promise<string[]> {
  return (await db.selectFrom("institutions").select("id").where("status", "=", "active").execute()).map((r) => r.id);
}

/** Every institution by name, with its country: for choosing a reporter's institution. */
export async function listInstitutionChoices(db: Db) {
  return db.selectFrom("institutions").select(["id", "name", "country_code"]).orderBy("name").execute();
}

export async function getCountry(db: Db, code: string): Promise<{ code: string; name: string } | undefined> {
  return db.selectFrom("countries").select(["code", "name"]).where("code", "=", code).executeTakeFirst();
}
