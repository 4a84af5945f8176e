import { sql } from "kysely";
import { TemplateDefinitionSchema, type PathwayTemplate } from "../../app/domain/template";
import type { PathwayRecords } from "../../app/domain/records";
import type { Institution, InstitutionRole, InstitutionType } from "../schema";
import { appendAudit, type Db } from "./audit";
import { loadRecordsFor } from "./portfolio";

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

export async function getTemplate(db: Db, id: string): Promise<PathwayTemplate> {
  const row = await db.selectFrom("pathway_templates").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    definition: TemplateDefinitionSchema.parse(row.definition),
  };
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

/** Everything the gate rules read about one institution, verified records only. */
export async function loadPathwayRecords(db: Db, institutionId: string): Promise<PathwayRecords> {
  const records = (await loadRecordsFor(db, [institutionId])).get(institutionId);
  if (!records) throw new Error(`Institution ${institutionId} does not exist`);
  return records;
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
