import { sql } from "kysely";
import { TemplateDefinitionSchema, type PathwayTemplate, type TemplateDefinition } from "../../app/domain/template";
import type { TemplateStatus } from "../schema";
import { appendAudit, type Db } from "./audit";

/**
 * Pathway template versions. A key (e.g. `default`, `gh`) belongs to one country or to none;
 * its versions are numbered 1, 2, … and identified as `<key>@<version>`. Only a draft can be
 * changed; publishing makes it immutable and gives it to new institutions.
 */

export interface TemplateVersion extends PathwayTemplate {
  countryCode: string | null;
  status: TemplateStatus;
  createdBy: string;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  notes: string;
}

export class TemplateStateError extends Error {
  constructor(
    message: string,
    readonly code: "notDraft" | "notPublished" | "draftExists" | "notFound" | "keyCountry",
  ) {
    super(message);
  }
}

export function templateId(key: string, version: number): string {
  return `${key}@${version}`;
}

function toVersion(row: {
  id: string;
  key: string;
  version: number;
  name: string;
  country_code: string | null;
  definition: unknown;
  status: TemplateStatus;
  created_by: string;
  created_at: Date;
  published_by: string | null;
  published_at: Date | null;
  notes: string;
}): TemplateVersion {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    definition: TemplateDefinitionSchema.parse(row.definition),
    countryCode: row.country_code,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    notes: row.notes,
  };
}

export async function getTemplateVersion(db: Db, id: string): Promise<TemplateVersion | null> {
  const row = await db.selectFrom("pathway_templates").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** Every version, by country (the default first) and key, newest version first, with how many institutions are on each. */
export async function listTemplateVersions(db: Db) {
  const rows = await db
    .selectFrom("pathway_templates as t")
    .leftJoin("institutions as i", "i.template_id", "t.id")
    .select([
      "t.id",
      "t.key",
      "t.version",
      "t.name",
      "t.country_code",
      "t.status",
      "t.created_by",
      "t.created_at",
      "t.published_by",
      "t.published_at",
      "t.notes",
      sql<number>`count(i.id)::int`.as("institutions"),
    ])
    .groupBy("t.id")
    .orderBy(sql`t.country_code is not null`)
    .orderBy("t.country_code")
    .orderBy("t.key")
    .orderBy("t.version", "desc")
    .execute();
  return rows;
}

/**
 * A new draft, copied from `fromId`: the next version of the same key, or, with `countryCode`,
 * of that country's own key (`<country>`, version 1 when it has none yet).
 */
export async function createDraft(
  db: Db,
  input: { fromId: string; countryCode?: string | null; actor: string; now: Date },
): Promise<TemplateVersion> {
  const from = await getTemplateVersion(db, input.fromId);
  if (!from) throw new TemplateStateError(`Template ${input.fromId} does not exist`, "notFound");
  const countryCode = input.countryCode === undefined ? from.countryCode : input.countryCode;
  const key = countryCode === from.countryCode ? from.key : countryCode ? countryCode.toLowerCase() : "default";
  const sameKey = await db
    .selectFrom("pathway_templates")
    .select(["country_code", "status", "id"])
    .where("key", "=", key)
    .execute();
  if (sameKey.some((r) => r.country_code !== (countryCode ?? null))) {
    throw new TemplateStateError(`The template key ${key} belongs to another country`, "keyCountry");
  }
  const draft = sameKey.find((r) => r.status === "draft");
  if (draft)
    throw new TemplateStateError(
      `${draft.id} is already a draft of this template: continue it or publish it first`,
      "draftExists",
    );
  const { max } = await db
    .selectFrom("pathway_templates")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("max"))
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  const version = max + 1;
  const id = templateId(key, version);
  await db
    .insertInto("pathway_templates")
    .values({
      id,
      key,
      version,
      name: from.name,
      country_code: countryCode ?? null,
      definition: JSON.stringify(from.definition),
      status: "draft",
      created_by: input.actor,
      created_at: input.now,
      notes: "",
    } as never)
    .execute();
  await appendAudit(db, {
    actor: input.actor,
    action: "template.draft_created",
    entityType: "template",
    entityId: id,
    after: { from: from.id, country: countryCode ?? null },
    at: input.now,
  });
  return (await getTemplateVersion(db, id))!;
}

/** Replaces a draft's content. Refused for a version that is no longer a draft. */
export async function saveDraft(
  db: Db,
  id: string,
  definition: TemplateDefinition,
  notes: string,
  actor: string,
  now: Date,
): Promise<void> {
  const before = await getTemplateVersion(db, id);
  if (!before) throw new TemplateStateError(`Template ${id} does not exist`, "notFound");
  const result = await db
    .updateTable("pathway_templates")
    .set({ definition: JSON.stringify(definition), notes })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new TemplateStateError(`${id} is published and cannot change; start a new draft`, "notDraft");
  await appendAudit(db, {
    actor,
    action: "template.draft_saved",
    entityType: "template",
    entityId: id,
    before: before.definition,
    after: definition,
    at: now,
  });
}

/** Publishes a draft: from now on it is immutable and new institutions of its country start on it. */
export async function publishDraft(db: Db, id: string, actor: string, now: Date): Promise<void> {
  const result = await db
    .updateTable("pathway_templates")
    .set({ status: "published", published_by: actor, published_at: now })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new TemplateStateError(`${id} is not a draft`, "notDraft");
  await appendAudit(db, {
    actor,
    action: "template.published",
    entityType: "template",
    entityId: id,
    after: { status: "published" },
    at: now,
  });
}

/** Retires a published version: no new institution starts on it and none is moved to it; those on it stay. */
export async function retireVersion(db: Db, id: string, actor: string, now: Date): Promise<void> {
  const result = await db
    .updateTable("pathway_templates")
    .set({ status: "retired" })
    .where("id", "=", id)
    .where("status", "=", "published")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new TemplateStateError(`${id} is not published`, "notPublished");
  await appendAudit(db, {
    actor,
    action: "template.retired",
    entityType: "template",
    entityId: id,
    before: { status: "published" },
    after: { status: "retired" },
    at: now,
  });
}

/** Published versions a running institution of `countryCode` may be moved to. */
export async function moveTargetsFor(db: Db, countryCode: string) {
  return db
    .selectFrom("pathway_templates")
    .select(["id", "key", "version", "name", "country_code"])
    .where("status", "=", "published")
    .where((eb) => eb.or([eb("country_code", "=", countryCode), eb("country_code", "is", null)]))
    .orderBy("key")
    .orderBy("version", "desc")
    .execute();
}

/** Active institutions that could be moved to `target`: of its country (any, for a default template) and not on it already. */
export async function moveCandidates(db: Db, target: { id: string; country_code: string | null }) {
  let q = db
    .selectFrom("institutions")
    .select(["id", "name", "country_code", "template_id", "stage_key"])
    .where("status", "=", "active")
    .where("template_id", "<>", target.id);
  if (target.country_code) q = q.where("country_code", "=", target.country_code);
  return q.orderBy("country_code").orderBy("name").execute();
}

export interface TemplateMoveInput {
  moveId: string;
  institutionId: string;
  fromTemplateId: string;
  toTemplateId: string;
  stageKey: string;
  reason: string;
  decidedBy: string;
  at: Date;
}

/**
 * Records a move and points the institution at its new template, with its audit entry, once
 * per move id: a retry finds the move recorded and changes nothing.
 */
export async function recordTemplateMove(db: Db, m: TemplateMoveInput): Promise<{ created: boolean }> {
  const inserted = await db
    .insertInto("template_moves")
    .values({
      id: m.moveId,
      institution_id: m.institutionId,
      from_template_id: m.fromTemplateId,
      to_template_id: m.toTemplateId,
      stage_key: m.stageKey,
      reason: m.reason,
      decided_by: m.decidedBy,
      occurred_at: m.at,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return { created: false };
  await db.updateTable("institutions").set({ template_id: m.toTemplateId }).where("id", "=", m.institutionId).execute();
  await appendAudit(db, {
    actor: m.decidedBy,
    action: "institution.template_moved",
    entityType: "institution",
    entityId: m.institutionId,
    institutionId: m.institutionId,
    before: { template: m.fromTemplateId, stage: m.stageKey },
    after: { template: m.toTemplateId, stage: m.stageKey, reason: m.reason, move: m.moveId },
    at: m.at,
  });
  return { created: true };
}

export async function getTemplateMove(db: Db, moveId: string) {
  return db.selectFrom("template_moves").selectAll().where("id", "=", moveId).executeTakeFirst();
}
