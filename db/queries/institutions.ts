import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { TemplateDefinitionSchema, type PathwayTemplate } from "../../app/domain/template";
import type { CycleRecord, FundingCommitmentRecord, PathwayRecords, TrainerRecord } from "../../app/domain/records";
import type { Institution, InstitutionRole, InstitutionType, NewInstitution } from "../schema";
import { readinessFromAssessment } from "../../app/features/scorecard/scorecard";
import { appendAuditMany, type Db } from "./audit";

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
 * Published and retired template versions never change (db/queries/templates.ts refuses it; a
 * retired one keeps the institutions still running on it): each database handle keeps the ones it
 * has read, parsed, so a page of an institution neither reads nor parses its template again.
 * Drafts are read every time.
 */
const keptTemplates = new WeakMap<Db, Map<string, PathwayTemplate>>();
const KEPT_TEMPLATES = 200;

export async function getTemplate(db: Db, id: string): Promise<PathwayTemplate> {
  const kept = keptTemplates.get(db)?.get(id);
  if (kept) return kept;
  const row = await db.selectFrom("pathway_templates").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const template: PathwayTemplate = {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    definition: TemplateDefinitionSchema.parse(row.definition),
  };
  if (row.status !== "draft") {
    let map = keptTemplates.get(db);
    if (!map) keptTemplates.set(db, (map = new Map()));
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
  /** Columns set from the start besides (an import's dates and flags, and its batch); the rest take their defaults. */
  columns?: Partial<
    Pick<NewInstitution, "mou_signed_on" | "business_plan_adopted_on" | "score_in_portfolio" | "import_batch_id">
  >;
}

/** Creates an institution at its template's first stage, with its start transition and audit entry. */
export async function createInstitution(db: Db, input: NewInstitutionInput, actor: string, now: Date): Promise<Institution> {
  return (await createInstitutions(db, [input], actor, now))[0];
}

/**
 * Creates institutions, each at the first stage of its country's current template, with its start
 * transition (`start-<id>`) and its "institution.created" audit entry, in their order: one
 * statement per table whatever their number, and each country and its template read once. The
 * single-institution form and the bulk import both create institutions here. Keep a call's
 * institutions to a few thousand (each one's columns are bound parameters of one statement).
 */
export async function createInstitutions(
  db: Db,
  inputs: NewInstitutionInput[],
  actor: string,
  now: Date,
): Promise<Institution[]> {
  if (inputs.length === 0) return [];
  const codes = [...new Set(inputs.map((i) => i.countryCode))];
  const countries = new Map(
    (await db.selectFrom("countries").select(["code", "currency"]).where("code", "in", codes).execute()).map((c) => [
      c.code,
      c.currency,
    ]),
  );
  const templates = new Map<string, PathwayTemplate>();
  for (const code of codes) {
    if (!countries.has(code)) throw new Error(`No country ${code}`);
    templates.set(code, await currentTemplateFor(db, code));
  }
  const firstStage = (i: NewInstitutionInput) => templates.get(i.countryCode)!.definition.stages[0].key;
  const rows = await db
    .insertInto("institutions")
    .values(
      inputs.map((i) => ({
        ...i.columns,
        id: i.id,
        name: i.name,
        type: i.type,
        role: i.role,
        country_code: i.countryCode,
        currency: countries.get(i.countryCode)!,
        template_id: templates.get(i.countryCode)!.id,
        stage_key: firstStage(i),
        stage_entered_at: now,
      })),
    )
    .returningAll()
    .execute();
  await db
    .insertInto("stage_transitions")
    .values(
      inputs.map((i) => ({
        id: `start-${i.id}`,
        institution_id: i.id,
        from_stage: null,
        to_stage: firstStage(i),
        kind: "start" as const,
        decided_by: actor,
        occurred_at: now,
      })),
    )
    .execute();
  await appendAuditMany(
    db,
    inputs.map((i) => ({
      actor,
      action: "institution.created",
      entityType: "institution",
      entityId: i.id,
      institutionId: i.id,
      after: { name: i.name, type: i.type, role: i.role, country: i.countryCode, template: templates.get(i.countryCode)!.id },
      at: now,
    })),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return inputs.map((i) => byId.get(i.id)!);
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

/** A row as it comes out of `json_agg`: its timestamps as ISO strings. */
export type AsJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/**
 * What the institution page lists besides its pathway: its stage history and reports (newest
 * first), its trainers (by name) and its latest notifications, in one statement (four round trips
 * before). Only the columns the page shows.
 */
export async function loadInstitutionLists(db: Db, institutionId: string, notifications: number) {
  const row = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("stage_transitions")
          .select([
            "id",
            "kind",
            "from_stage",
            "to_stage",
            "reason",
            "reason_key",
            "reason_params",
            "decided_by",
            "import_batch_id",
            "occurred_at",
          ])
          .where("institution_id", "=", institutionId)
          .orderBy("occurred_at", "desc"),
      ).as("transitions"),
      jsonArrayFrom(
        eb
          .selectFrom("milestone_reports")
          .select(["id", "kind", "status", "submitted_by", "submitted_at", "decided_by", "decision_comment", "escalated_at"])
          .where("institution_id", "=", institutionId)
          .orderBy("submitted_at", "desc"),
      ).as("reports"),
      jsonArrayFrom(
        eb
          .selectFrom("notifications")
          .select(["id", "audience", "message", "message_key", "message_params", "created_at"])
          .where("institution_id", "=", institutionId)
          .orderBy("created_at", "desc")
          .limit(notifications),
      ).as("notifications"),
      jsonArrayFrom(
        eb
          .selectFrom("trainers")
          .select(["id", "name", "sex", "national_expert", "trained_on", "last_active_on"])
          .where("institution_id", "=", institutionId)
          .orderBy("name"),
      ).as("trainers"),
    ])
    .executeTakeFirstOrThrow();
  return {
    transitions: row.transitions as unknown as AsJson<(typeof row.transitions)[number]>[],
    reports: row.reports as unknown as AsJson<(typeof row.reports)[number]>[],
    notifications: row.notifications as unknown as AsJson<(typeof row.notifications)[number]>[],
    trainers: row.trainers,
  };
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
