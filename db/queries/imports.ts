import { sql, type Insertable, type Updateable } from "kysely";
import type { Problem } from "../../app/features/import/rules/columns";
import { FUNDING_COLUMNS } from "../../app/features/import/rules/cycles";
import {
  enterpriseKey,
  institutionKey,
  trainerKey,
  tidy,
  type ImportReference,
  type InstitutionPathway,
  type ParsedRow,
} from "../../app/features/import/rules/entity";
import type { ImportEntityName } from "../../app/features/import/rules/index";
import { rowStage } from "../../app/features/import/rules/stage-history";
import { isoDate } from "../../app/domain/dates";
import { normaliseDecimal } from "../../app/features/import/rules/columns";
import type { ValidRow } from "../../app/features/import/rules/validate";
import { FUNDING_SOURCES } from "../../app/domain/records";
import type { Database, ImportEntity, ImportStatus, InstitutionRole, InstitutionType } from "../schema";
import { appendAudit, type Db } from "./audit";
import { createInstitutions, getTemplate } from "./institutions";

/**
 * The database side of bulk imports: what a file is checked against, what each valid row would
 * do (create, update or leave unchanged, by natural key), and writing it. The caller opens the
 * transaction; `applyImport` must run inside one so that a failure anywhere writes nothing.
 */

export async function loadImportReference(db: Db, entity: ImportEntityName, now = new Date()): Promise<ImportReference> {
  const [countries, modules, phases] = await Promise.all([
    db.selectFrom("countries").select("code").orderBy("code").execute(),
    db.selectFrom("modules").select("code").orderBy("sort_order").execute(),
    db.selectFrom("programme_phases").select("key").orderBy("starts_on").execute(),
  ]);
  const institutions = new Map<string, { id: string; currency: string }>();
  if (entity !== "targets")
    for (const i of await db.selectFrom("institutions").select(["id", "name", "country_code", "currency"]).execute())
      institutions.set(institutionKey(i.country_code, i.name), { id: i.id, currency: i.currency });
  const trainers = new Map<string, string>();
  if (entity === "certifications")
    for (const t of await db
      .selectFrom("trainers")
      .select(["id", "institution_id", "external_code"])
      .where("external_code", "is not", null)
      .execute())
      trainers.set(trainerKey(t.institution_id, t.external_code!), t.id);
  const enterprises = new Map<string, string>();
  if (entity === "training_cycles")
    for (const e of await db.selectFrom("enterprises").select(["id", "institution_id", "name"]).execute())
      enterprises.set(enterpriseKey(e.institution_id, e.name), e.id);
  return {
    countries: countries.map((c) => c.code),
    modules: modules.map((m) => m.code),
    phases: phases.map((p) => p.key),
    institutions,
    enterprises,
    trainers,
    pathways: entity === "stage_history" ? await loadPathways(db) : undefined,
    today: isoDate(now),
  };
}

/** Every institution's stages, current stage and the day it last reached each stage, for stage history. */
async function loadPathways(db: Db): Promise<Map<string, InstitutionPathway>> {
  const [institutions, templates, reached] = await Promise.all([
    db.selectFrom("institutions").select(["id", "template_id", "stage_key"]).execute(),
    db.selectFrom("pathway_templates").select("id").execute(),
    db
      .selectFrom("stage_transitions")
      .select(["institution_id", "to_stage", "occurred_at"])
      .orderBy("occurred_at", "desc")
      .orderBy("id", "desc")
      .execute(),
  ]);
  const stagesOf = new Map<string, { key: string; name: string }[]>();
  for (const t of templates)
    stagesOf.set(
      t.id,
      (await getTemplate(db, t.id)).definition.stages.map((s) => ({ key: s.key, name: s.name })),
    );
  const lastReached = new Map<string, Record<string, string>>();
  for (const r of reached) {
    const days = lastReached.get(r.institution_id) ?? {};
    days[r.to_stage] ??= isoDate(new Date(r.occurred_at));
    lastReached.set(r.institution_id, days);
  }
  return new Map(
    institutions.map((i) => [
      i.id,
      { stages: stagesOf.get(i.template_id) ?? [], current: i.stage_key, reached: lastReached.get(i.id) ?? {} },
    ]),
  );
}

type Values = Record<string, string | number | boolean | null>;

interface Existing {
  id: string;
  values: Values;
}

export interface PlannedRow {
  row: number;
  action: "create" | "update" | "unchanged";
  /** The existing record's id for updates and unchanged rows. */
  id: string | null;
  key: string;
  /** The record's columns the file sets (optional cells left empty are left as they are). */
  values: Values;
  /** For updates: the stored values the row changes. */
  before?: Values;
}

export interface ImportPlan {
  entity: ImportEntityName;
  rows: PlannedRow[];
  created: number;
  updated: number;
  unchanged: number;
}

interface Adapter {
  /** The row's natural key in database terms, and the columns it sets. */
  toRecord(v: ParsedRow, ref: ImportReference): { key: string; values: Values };
  existing(db: Db): Promise<Map<string, Existing>>;
  insert(db: Db, rows: PlannedRow[], ctx: ApplyContext): Promise<void>;
  update(db: Db, row: PlannedRow, ctx: ApplyContext): Promise<void>;
  /** After every row is written: what the rows decide together (an institution's stage, its first plan). */
  afterWrite?(db: Db, plan: ImportPlan, ctx: ApplyContext): Promise<void>;
}

interface ApplyContext {
  batchId: string;
  actorId: string;
  actorName: string;
  now: Date;
  createdInstitutions: string[];
  /** Institutions the import moved to another stage: their pathways take it without a sign-off. */
  movedInstitutions: string[];
}

const inst = (v: ParsedRow, ref: ImportReference) =>
  ref.institutions.get(institutionKey(v.country as string, v.institution as string))!;
/** Drops optional cells left empty: an import never clears a value it was not given. */
const given = (o: Values): Values => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== null));
const CHUNK = 500;
const chunks = <T>(xs: T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

type ImportTable = "institutions" | "trainers" | "enterprises" | "training_cycles" | "indicator_targets";

/** The columns an import writes from a file's cells, per table (a name that is no column fails to compile). */
const IMPORTED_COLUMNS = {
  institutions: ["country_code", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"],
  trainers: ["institution_id", "external_code", "name", "sex", "national_expert", "trained_on", "last_active_on"],
  enterprises: ["institution_id", "name", "size", "sector", "workers_female", "workers_male"],
  training_cycles: [
    "institution_id",
    "module_code",
    "enterprise_id",
    "started_on",
    "ended_on",
    "external_code",
    "visits",
    "managers_female",
    "managers_male",
    "workers_female",
    "workers_male",
    "currency",
    "cost_minor",
    ...FUNDING_SOURCES.map((s) => `fund_${s}` as const),
    "ilo_staff_involved",
  ],
  indicator_targets: ["indicator_key", "country", "phase_key", "dimension", "target", "target_text", "note"],
} satisfies { [T in ImportTable]: (keyof Database[T] & string)[] };

/**
 * A planned row's values as columns of `table`. The loose `Values` become typed here, and only here:
 * each cell's type was checked against the import's column specs when the file was validated
 * (app/domain/import), which TypeScript cannot follow; the column names are checked now.
 */
function imported<T extends ImportTable>(table: T, values: Values): Partial<Insertable<Database[T]>> {
  const columns: readonly string[] = IMPORTED_COLUMNS[table];
  for (const column of Object.keys(values))
    if (!columns.includes(column)) throw new Error(`An import does not write ${table}.${column}`);
  return values as Partial<Insertable<Database[T]>>;
}

/** New records of `table`: the file's values completed with what the import adds to each (ids, batch, actor). */
function newRecords<T extends ImportTable>(
  table: T,
  rows: PlannedRow[],
  add: () => Partial<Insertable<Database[T]>>,
): Insertable<Database[T]>[] {
  return rows.map((r) => ({ ...imported(table, r.values), ...add() }) as Insertable<Database[T]>);
}

/** The changes an import makes to a record of `table`, with what the import sets besides. */
function changes<T extends ImportTable>(table: T, values: Values, add: Updateable<Database[T]>): Updateable<Database[T]> {
  return { ...(imported(table, values) as Updateable<Database[T]>), ...add };
}

const ADAPTERS: Record<ImportEntityName, Adapter> = {
  institutions: {
    toRecord: (v) => ({
      key: institutionKey(v.country as string, v.name as string),
      values: given({
        country_code: v.country,
        name: tidy(v.name as string),
        type: v.type,
        role: v.role,
        mou_signed_on: v.mou_signed_on,
        business_plan_adopted_on: v.business_plan_adopted_on,
        score_in_portfolio: v.score_in_portfolio,
      }),
    }),
    async existing(db) {
      const rows = await db
        .selectFrom("institutions")
        .select(["id", "country_code", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"])
        .execute();
      return new Map(rows.map(({ id, ...values }) => [institutionKey(values.country_code, values.name), { id, values }]));
    },
    async insert(db, rows, ctx) {
      // The rows come a chunk at a time: each table is written in one statement per chunk.
      const made = await createInstitutions(
        db,
        rows.map((r) => {
          const { country_code, name, type, role, ...extra } = r.values;
          return {
            id: crypto.randomUUID(),
            name: name as string,
            countryCode: country_code as string,
            type: type as InstitutionType,
            role: role as InstitutionRole,
            columns: { ...imported("institutions", extra), import_batch_id: ctx.batchId },
          };
        }),
        ctx.actorName,
        ctx.now,
      );
      ctx.createdInstitutions.push(...made.map((i) => i.id));
    },
    async update(db, r, ctx) {
      const { country_code: _c, name: _n, ...stored } = r.values;
      await db
        .updateTable("institutions")
        .set(changes("institutions", stored, { import_batch_id: ctx.batchId }))
        .where("id", "=", r.id!)
        .execute();
      // An institution's own history shows what an import changed on it.
      await appendAudit(db, {
        actor: ctx.actorName,
        action: "institution.imported",
        entityType: "institution",
        entityId: r.id!,
        institutionId: r.id!,
        before: r.before,
        after: { ...r.values, importBatchId: ctx.batchId },
        at: ctx.now,
      });
    },
  },

  trainers: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      return {
        key: `${institutionId}|${tidy(v.trainer_code as string)}`,
        values: given({
          institution_id: institutionId,
          external_code: tidy(v.trainer_code as string),
          name: tidy(v.name as string),
          sex: v.sex,
          national_expert: v.national_expert,
          trained_on: v.trained_on,
          last_active_on: v.last_active_on,
        }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("trainers")
        .select(["id", "institution_id", "external_code", "name", "sex", "national_expert", "trained_on", "last_active_on"])
        .where("external_code", "is not", null)
        .execute();
      return new Map(rows.map(({ id, ...values }) => [`${values.institution_id}|${values.external_code}`, { id, values }]));
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("trainers")
          .values(newRecords("trainers", part, () => ({ id: crypto.randomUUID(), import_batch_id: ctx.batchId })))
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("trainers")
        .set(changes("trainers", r.values, { import_batch_id: ctx.batchId }))
        .where("id", "=", r.id!)
        .execute();
    },
  },

  enterprises: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      return {
        key: enterpriseKey(institutionId, v.name as string),
        values: given({
          institution_id: institutionId,
          name: tidy(v.name as string),
          size: v.size,
          sector: v.sector,
          workers_female: v.workers_female,
          workers_male: v.workers_male,
        }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("enterprises")
        .select(["id", "institution_id", "name", "size", "sector", "workers_female", "workers_male"])
        .execute();
      return new Map(rows.map(({ id, ...values }) => [enterpriseKey(values.institution_id, values.name), { id, values }]));
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("enterprises")
          .values(newRecords("enterprises", part, () => ({ id: crypto.randomUUID(), import_batch_id: ctx.batchId })))
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("enterprises")
        .set(changes("enterprises", r.values, { import_batch_id: ctx.batchId }))
        .where("id", "=", r.id!)
        .execute();
    },
  },

  training_cycles: {
    toRecord: (v, ref) => {
      const i = inst(v, ref);
      const enterpriseId = ref.enterprises.get(enterpriseKey(i.id, v.enterprise as string))!;
      return {
        key: `${i.id}|${v.module}|${enterpriseId}|${v.started_on}`,
        values: given({
          institution_id: i.id,
          module_code: v.module,
          enterprise_id: enterpriseId,
          started_on: v.started_on,
          ended_on: v.ended_on,
          external_code: v.cycle_code === null ? null : tidy(v.cycle_code as string),
          visits: v.visits,
          managers_female: v.managers_female,
          managers_male: v.managers_male,
          workers_female: v.workers_female,
          workers_male: v.workers_male,
          currency: i.currency,
          cost_minor: v.cost,
          ...Object.fromEntries(FUNDING_SOURCES.map((s, k) => [`fund_${s}`, v[FUNDING_COLUMNS[k]]])),
          ilo_staff_involved: v.ilo_staff_involved,
        }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("training_cycles")
        .select([
          "id",
          "institution_id",
          "module_code",
          "enterprise_id",
          "started_on",
          "ended_on",
          "external_code",
          "visits",
          "managers_female",
          "managers_male",
          "workers_female",
          "workers_male",
          "currency",
          "cost_minor",
          "fund_enterprise_fee",
          "fund_institution_funds",
          "fund_government",
          "fund_sponsor",
          "fund_other_donor",
          "fund_ilo",
          "ilo_staff_involved",
        ])
        .execute();
      const out = new Map<string, Existing>();
      for (const { id, ...values } of rows) {
        const key = `${values.institution_id}|${values.module_code}|${values.enterprise_id}|${values.started_on}`;
        if (!out.has(key)) out.set(key, { id, values: values as Values });
      }
      return out;
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("training_cycles")
          .values(newRecords("training_cycles", part, () => ({ id: crypto.randomUUID(), import_batch_id: ctx.batchId })))
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("training_cycles")
        .set(changes("training_cycles", r.values, { import_batch_id: ctx.batchId }))
        .where("id", "=", r.id!)
        .execute();
    },
  },

  certifications: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      const trainerId = ref.trainers!.get(trainerKey(institutionId, v.trainer_code as string))!;
      return {
        key: `${trainerId}|${v.module}|${v.certified_on}`,
        values: given({
          institution_id: institutionId,
          trainer_id: trainerId,
          module_code: v.module,
          certified_on: v.certified_on,
          expires_on: v.expires_on,
          national_expert: v.national_expert,
        }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("trainer_certifications as c")
        .innerJoin("trainers as t", "t.id", "c.trainer_id")
        .select([
          "c.id",
          "t.institution_id",
          "c.trainer_id",
          "c.module_code",
          "c.certified_on",
          "c.expires_on",
          "t.national_expert",
        ])
        .execute();
      const out = new Map<string, Existing>();
      for (const { id, ...values } of rows) {
        const key = `${values.trainer_id}|${values.module_code}|${values.certified_on}`;
        if (!out.has(key)) out.set(key, { id, values });
      }
      return out;
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("trainer_certifications")
          .values(
            part.map((r) => ({
              id: crypto.randomUUID(),
              trainer_id: r.values.trainer_id as string,
              module_code: r.values.module_code as string,
              certified_on: r.values.certified_on as string,
              expires_on: r.values.expires_on as string,
              import_batch_id: ctx.batchId,
            })),
          )
          .execute();
      for (const r of rows) await setNationalExpert(db, r, ctx);
    },
    async update(db, r, ctx) {
      await db
        .updateTable("trainer_certifications")
        .set({ expires_on: r.values.expires_on as string, import_batch_id: ctx.batchId })
        .where("id", "=", r.id!)
        .execute();
      await setNationalExpert(db, r, ctx);
    },
  },

  mous: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      const partner = tidy(v.partner as string);
      return {
        key: `${institutionId}|${partner}|${v.signed_on}`,
        values: given({ institution_id: institutionId, partner, signed_on: v.signed_on, ends_on: v.ends_on }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("institution_mous")
        .select(["id", "institution_id", "partner", "signed_on", "ends_on"])
        .execute();
      return new Map(
        rows.map(({ id, ...values }) => [`${values.institution_id}|${values.partner}|${values.signed_on}`, { id, values }]),
      );
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("institution_mous")
          .values(
            part.map((r) => ({
              id: crypto.randomUUID(),
              institution_id: r.values.institution_id as string,
              partner: r.values.partner as string,
              signed_on: r.values.signed_on as string,
              ends_on: (r.values.ends_on as string | undefined) ?? null,
              import_batch_id: ctx.batchId,
            })),
          )
          .execute();
      await firstMouSignedOn(db, rows, ctx);
    },
    async update(db, r, ctx) {
      await db
        .updateTable("institution_mous")
        .set({ ends_on: (r.values.ends_on as string | undefined) ?? null, import_batch_id: ctx.batchId })
        .where("id", "=", r.id!)
        .execute();
    },
  },

  sponsors: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      const funder = tidy(v.funder as string);
      return {
        key: `${institutionId}|${v.kind}|${funder}|${v.starts_on}`,
        values: given({ institution_id: institutionId, kind: v.kind, funder, starts_on: v.starts_on, ends_on: v.ends_on }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("funding_commitments")
        .select(["id", "institution_id", "kind", "funder", "starts_on", "ends_on"])
        .execute();
      const out = new Map<string, Existing>();
      for (const { id, ...values } of rows) {
        const key = `${values.institution_id}|${values.kind}|${values.funder}|${values.starts_on}`;
        if (!out.has(key)) out.set(key, { id, values });
      }
      return out;
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("funding_commitments")
          .values(
            part.map((r) => ({
              id: crypto.randomUUID(),
              institution_id: r.values.institution_id as string,
              kind: r.values.kind as "multi_year_sponsor" | "government_budget_line",
              funder: r.values.funder as string,
              starts_on: r.values.starts_on as string,
              ends_on: (r.values.ends_on as string | undefined) ?? null,
              source_report_id: null,
              import_batch_id: ctx.batchId,
            })),
          )
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("funding_commitments")
        .set({ ends_on: (r.values.ends_on as string | undefined) ?? null, import_batch_id: ctx.batchId })
        .where("id", "=", r.id!)
        .execute();
    },
  },

  stage_history: {
    toRecord: (v, ref) => {
      const { institutionId, stageKey } = rowStage(v, ref);
      return {
        key: `${institutionId}|${stageKey}`,
        values: given({
          institution_id: institutionId,
          to_stage: stageKey,
          reached_on: v.reached_on,
          decided_by: tidy(v.decided_by as string),
          reason: v.note,
        }),
      };
    },
    // The transition that last brought each institution into each stage: the one a row dates.
    async existing(db) {
      const rows = await db
        .selectFrom("stage_transitions")
        .select(["id", "institution_id", "to_stage", "occurred_at", "decided_by", "reason"])
        .orderBy("occurred_at", "desc")
        .orderBy("id", "desc")
        .execute();
      const out = new Map<string, Existing>();
      for (const { id, occurred_at, ...values } of rows) {
        const key = `${values.institution_id}|${values.to_stage}`;
        if (!out.has(key)) out.set(key, { id, values: { ...values, reached_on: isoDate(new Date(occurred_at)) } });
      }
      return out;
    },
    async insert(db, rows, ctx) {
      const stages = new Map<string, string[]>();
      for (const r of rows) {
        const institutionId = r.values.institution_id as string;
        if (!stages.has(institutionId)) stages.set(institutionId, await stageKeysOf(db, institutionId));
        const keys = stages.get(institutionId)!;
        const at = dayStart(r.values.reached_on as string);
        const index = keys.indexOf(r.values.to_stage as string);
        await db
          .insertInto("stage_transitions")
          .values({
            id: crypto.randomUUID(),
            institution_id: institutionId,
            from_stage: index > 0 ? keys[index - 1] : null,
            to_stage: r.values.to_stage as string,
            kind: index > 0 ? "advance" : "start",
            reason: (r.values.reason as string | undefined) ?? "",
            decided_by: r.values.decided_by as string,
            occurred_at: at,
            import_batch_id: ctx.batchId,
          })
          .execute();
        await auditImportedStage(db, r, ctx);
      }
    },
    async update(db, r, ctx) {
      await db
        .updateTable("stage_transitions")
        .set({
          occurred_at: dayStart(r.values.reached_on as string),
          decided_by: r.values.decided_by as string,
          ...(typeof r.values.reason === "string" ? { reason: r.values.reason, reason_key: null, reason_params: null } : {}),
          import_batch_id: ctx.batchId,
        })
        .where("id", "=", r.id!)
        .execute();
      await auditImportedStage(db, r, ctx);
    },
    afterWrite: (db, plan, ctx) => takeImportedStages(db, plan, ctx),
  },

  business_plans: {
    toRecord: (v, ref) => {
      const institutionId = inst(v, ref).id;
      return {
        key: `${institutionId}|${v.period}`,
        values: given({ institution_id: institutionId, period: v.period, approved_on: v.approved_on, note: v.note }),
      };
    },
    async existing(db) {
      const rows = await db
        .selectFrom("institution_business_plans")
        .select(["id", "institution_id", "period", "approved_on", "note"])
        .execute();
      return new Map(rows.map(({ id, ...values }) => [`${values.institution_id}|${values.period}`, { id, values }]));
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("institution_business_plans")
          .values(
            part.map((r) => ({
              id: crypto.randomUUID(),
              institution_id: r.values.institution_id as string,
              period: r.values.period as string,
              approved_on: r.values.approved_on as string,
              note: (r.values.note as string | undefined) ?? null,
              import_batch_id: ctx.batchId,
            })),
          )
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("institution_business_plans")
        .set({
          approved_on: r.values.approved_on as string,
          ...(typeof r.values.note === "string" ? { note: r.values.note } : {}),
          import_batch_id: ctx.batchId,
        })
        .where("id", "=", r.id!)
        .execute();
    },
    afterWrite: (db, plan, ctx) => firstBusinessPlan(db, plan, ctx),
  },

  targets: {
    toRecord: (v) => ({
      key: `${v.indicator_key}|${v.country}|${v.phase_key}|${v.dimension ?? ""}`,
      values: {
        ...given({ indicator_key: v.indicator_key, country: v.country, phase_key: v.phase_key, note: v.note }),
        dimension: v.dimension ?? "",
        // A figure or a qualitative target: the one given replaces the other, which is cleared.
        target: v.target,
        target_text: v.target_text,
      },
    }),
    async existing(db) {
      const rows = await db
        .selectFrom("indicator_targets")
        .select(["id", "indicator_key", "country", "phase_key", "dimension", "target", "target_text", "note"])
        .execute();
      return new Map(
        rows.map(({ id, ...values }) => [
          `${values.indicator_key}|${values.country}|${values.phase_key}|${values.dimension}`,
          {
            id,
            values: {
              ...values,
              target: values.target === null ? null : (normaliseDecimal(String(values.target)) ?? String(values.target)),
            },
          },
        ]),
      );
    },
    async insert(db, rows, ctx) {
      for (const part of chunks(rows))
        await db
          .insertInto("indicator_targets")
          .values(
            newRecords("indicator_targets", part, () => ({
              id: crypto.randomUUID(),
              updated_by: ctx.actorId,
              updated_at: ctx.now,
            })),
          )
          .execute();
    },
    async update(db, r, ctx) {
      await db
        .updateTable("indicator_targets")
        .set(changes("indicator_targets", r.values, { updated_by: ctx.actorId, updated_at: ctx.now }))
        .where("id", "=", r.id!)
        .execute();
    },
  },
};

/** A certification row that says whether its trainer is a national expert sets the trainer's flag. */
async function setNationalExpert(db: Db, r: PlannedRow, ctx: ApplyContext): Promise<void> {
  if (typeof r.values.national_expert !== "boolean") return;
  await db
    .updateTable("trainers")
    .set({ national_expert: r.values.national_expert, import_batch_id: ctx.batchId })
    .where("id", "=", r.values.trainer_id as string)
    .where("national_expert", "!=", r.values.national_expert)
    .execute();
}

/**
 * An institution's "MoU signed on", which its gates read, is its earliest MoU: imported MoUs
 * move it earlier, never later. The change is in the institution's history.
 */
async function firstMouSignedOn(db: Db, rows: PlannedRow[], ctx: ApplyContext): Promise<void> {
  const earliest = new Map<string, string>();
  for (const r of rows) {
    const id = r.values.institution_id as string;
    const on = r.values.signed_on as string;
    if (!earliest.has(id) || on < earliest.get(id)!) earliest.set(id, on);
  }
  for (const [id, on] of earliest) {
    const before = await db.selectFrom("institutions").select("mou_signed_on").where("id", "=", id).executeTakeFirstOrThrow();
    if (before.mou_signed_on !== null && before.mou_signed_on <= on) continue;
    await db.updateTable("institutions").set({ mou_signed_on: on }).where("id", "=", id).execute();
    await appendAudit(db, {
      actor: ctx.actorName,
      action: "institution.imported",
      entityType: "institution",
      entityId: id,
      institutionId: id,
      before,
      after: { mou_signed_on: on, importBatchId: ctx.batchId },
      at: ctx.now,
    });
  }
}

/** A day of history as a moment: its start, UTC (the zone every stored date is read in). */
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

async function stageKeysOf(db: Db, institutionId: string): Promise<string[]> {
  const i = await db.selectFrom("institutions").select("template_id").where("id", "=", institutionId).executeTakeFirstOrThrow();
  return (await getTemplate(db, i.template_id)).definition.stages.map((s) => s.key);
}

/** Each imported or re-dated stage is in the institution's history, marked as imported. */
async function auditImportedStage(db: Db, r: PlannedRow, ctx: ApplyContext): Promise<void> {
  const id = r.values.institution_id as string;
  await appendAudit(db, {
    actor: ctx.actorName,
    action: "stage.imported",
    entityType: "institution",
    entityId: id,
    institutionId: id,
    before: r.before ? { stage: r.values.to_stage, ...r.before } : null,
    after: { ...r.values, importBatchId: ctx.batchId },
    at: ctx.now,
  });
}

/**
 * After a stage-history import, each institution it touched stands at the furthest stage it has
 * now reached, when that lies beyond the one it was at (never behind: the file was refused), and
 * entered its stage on the day of the transition that last brought it there. A move is audited
 * as imported; the institution's pathway takes the stage after the commit.
 */
async function takeImportedStages(db: Db, plan: ImportPlan, ctx: ApplyContext): Promise<void> {
  const furthest = new Map<string, string[]>();
  for (const r of plan.rows) {
    if (r.action === "unchanged") continue;
    const id = r.values.institution_id as string;
    furthest.set(id, [...(furthest.get(id) ?? []), r.values.to_stage as string]);
  }
  // An unchanged row still names a stage the institution reached, and may be its furthest.
  for (const r of plan.rows) {
    const id = r.values.institution_id as string;
    if (r.action === "unchanged" && furthest.has(id)) furthest.get(id)!.push(r.values.to_stage as string);
  }
  for (const [id, stages] of furthest) {
    const keys = await stageKeysOf(db, id);
    const before = await db
      .selectFrom("institutions")
      .select(["stage_key", "stage_entered_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const target = stages.reduce((a, b) => (keys.indexOf(b) > keys.indexOf(a) ? b : a));
    const stage = keys.indexOf(target) > keys.indexOf(before.stage_key) ? target : before.stage_key;
    const entered = await db
      .selectFrom("stage_transitions")
      .select("occurred_at")
      .where("institution_id", "=", id)
      .where("to_stage", "=", stage)
      .orderBy("occurred_at", "desc")
      .executeTakeFirstOrThrow();
    const enteredAt = new Date(entered.occurred_at);
    if (stage === before.stage_key && enteredAt.getTime() === new Date(before.stage_entered_at).getTime()) continue;
    await db
      .updateTable("institutions")
      .set({ stage_key: stage, stage_entered_at: enteredAt, ...(stage !== before.stage_key ? { slip_flag: null } : {}) })
      .where("id", "=", id)
      .execute();
    if (stage !== before.stage_key) ctx.movedInstitutions.push(id);
    await appendAudit(db, {
      actor: ctx.actorName,
      action: "institution.stage_imported",
      entityType: "institution",
      entityId: id,
      institutionId: id,
      before: { stage: before.stage_key, enteredOn: isoDate(new Date(before.stage_entered_at)) },
      after: { stage, enteredOn: isoDate(enteredAt), importBatchId: ctx.batchId },
      at: ctx.now,
    });
  }
}

/**
 * An institution's "business plan adopted on", which its gate and the business-plans indicator
 * read, is the day its first plan was approved: imported plans move it earlier, never later.
 */
async function firstBusinessPlan(db: Db, plan: ImportPlan, ctx: ApplyContext): Promise<void> {
  const touched = new Set(plan.rows.filter((r) => r.action !== "unchanged").map((r) => r.values.institution_id as string));
  for (const id of touched) {
    const first = await db
      .selectFrom("institution_business_plans")
      .select("approved_on")
      .where("institution_id", "=", id)
      .orderBy("approved_on")
      .executeTakeFirstOrThrow();
    const before = await db
      .selectFrom("institutions")
      .select("business_plan_adopted_on")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    if (before.business_plan_adopted_on !== null && before.business_plan_adopted_on <= first.approved_on) continue;
    await db.updateTable("institutions").set({ business_plan_adopted_on: first.approved_on }).where("id", "=", id).execute();
    await appendAudit(db, {
      actor: ctx.actorName,
      action: "institution.imported",
      entityType: "institution",
      entityId: id,
      institutionId: id,
      before,
      after: { business_plan_adopted_on: first.approved_on, importBatchId: ctx.batchId },
      at: ctx.now,
    });
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || String(a) === String(b);

/** What each valid row would do, by its natural key: nothing is written. */
export async function planImport(db: Db, entity: ImportEntityName, rows: ValidRow[], ref: ImportReference): Promise<ImportPlan> {
  const adapter = ADAPTERS[entity];
  const existing = await adapter.existing(db);
  const plan: ImportPlan = { entity, rows: [], created: 0, updated: 0, unchanged: 0 };
  for (const { row, values: parsed } of rows) {
    const { key, values } = adapter.toRecord(parsed, ref);
    const found = existing.get(key);
    const action = !found
      ? "create"
      : Object.entries(values).every(([k, v]) => same(found.values[k], v))
        ? "unchanged"
        : "update";
    const before =
      action === "update" ? Object.fromEntries(Object.keys(values).map((k) => [k, found!.values[k] ?? null])) : undefined;
    plan.rows.push({ row, action, id: found?.id ?? null, key, values, before });
    plan[action === "create" ? "created" : action === "update" ? "updated" : "unchanged"]++;
  }
  return plan;
}

export interface ApplyResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Institutions this import made: their pathway workflows start once the transaction commits. */
  createdInstitutions: string[];
  /**
   * Existing institutions whose records this import changed (their own row, or their trainers,
   * enterprises or cycles): their pathways evaluate their gates again once it commits.
   */
  changedInstitutions: string[];
  /**
   * Existing institutions a stage-history import moved to a further stage (also among the changed
   * ones): their pathways take the imported stage once it commits, without a sign-off.
   */
  movedInstitutions: string[];
}

/** The existing institution a planned row changes, if it changes one. */
function changedInstitution(entity: ImportEntityName, r: PlannedRow): string | null {
  if (r.action === "unchanged") return null;
  if (entity === "institutions") return r.action === "update" ? r.id : null;
  const id = r.values.institution_id;
  return typeof id === "string" ? id : null;
}

/**
 * Writes a plan. Call inside a transaction; one import runs at a time (a transaction lock), so
 * two imports of the same file cannot both create what neither saw.
 */
export async function applyImport(
  trx: Db,
  plan: ImportPlan,
  who: { batchId: string; actorId: string; actorName: string; now: Date },
  onProgress: (done: number) => void = () => undefined,
): Promise<ApplyResult> {
  const adapter = ADAPTERS[plan.entity];
  const ctx: ApplyContext = { ...who, createdInstitutions: [], movedInstitutions: [] };
  const creates = plan.rows.filter((r) => r.action === "create");
  let done = plan.unchanged;
  for (const part of chunks(creates)) {
    await adapter.insert(trx, part, ctx);
    onProgress((done += part.length));
  }
  for (const r of plan.rows)
    if (r.action === "update") {
      await adapter.update(trx, r, ctx);
      if (++done % CHUNK === 0) onProgress(done);
    }
  await adapter.afterWrite?.(trx, plan, ctx);
  onProgress(plan.rows.length);
  await appendAudit(trx, {
    actor: who.actorName,
    action: "import.completed",
    entityType: "import_batch",
    entityId: who.batchId,
    after: { entity: plan.entity, created: plan.created, updated: plan.updated, unchanged: plan.unchanged },
    at: who.now,
  });
  const created = new Set(ctx.createdInstitutions);
  const changed = new Set<string>();
  for (const r of plan.rows) {
    const id = changedInstitution(plan.entity, r);
    if (id && !created.has(id)) changed.add(id);
  }
  return {
    created: plan.created,
    updated: plan.updated,
    unchanged: plan.unchanged,
    createdInstitutions: ctx.createdInstitutions,
    changedInstitutions: [...changed],
    movedInstitutions: ctx.movedInstitutions,
  };
}

/** Serialises imports: held until the transaction ends. */
export async function lockImports(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('pathways-import'))`.execute(trx);
}

// ---- Batches ---------------------------------------------------------------------------------

/** At most this many problems are kept with a batch (the count is kept in full). */
export const KEPT_PROBLEMS = 2000;

export interface NewBatch {
  id: string;
  entity: ImportEntityName;
  fileName: string;
  fileType: "csv" | "xlsx";
  sha256: string;
  file: Uint8Array;
  createdBy: string;
  now: Date;
}

export async function recordDryRun(db: Db, b: NewBatch, rows: number, problems: Problem[], plan: ImportPlan | null) {
  await db
    .insertInto("import_batches")
    .values({
      id: b.id,
      entity: b.entity,
      file_name: b.fileName,
      file_type: b.fileType,
      sha256: b.sha256,
      file: problems.length ? null : b.file,
      status: problems.length ? "invalid" : "checked",
      rows,
      created: plan?.created ?? 0,
      updated: plan?.updated ?? 0,
      unchanged: plan?.unchanged ?? 0,
      problems: JSON.stringify(problems.slice(0, KEPT_PROBLEMS)),
      problem_count: problems.length,
      created_by: b.createdBy,
      created_at: b.now,
    })
    .execute();
}

export async function getBatch(db: Db, id: string) {
  return db
    .selectFrom("import_batches as b")
    .innerJoin("users as u", "u.id", "b.created_by")
    .select([
      "b.id",
      "b.entity",
      "b.file_name",
      "b.file_type",
      "b.sha256",
      "b.status",
      "b.rows",
      "b.created",
      "b.updated",
      "b.unchanged",
      "b.problems",
      "b.problem_count",
      "b.error",
      "b.created_by",
      "b.created_at",
      "b.started_at",
      "b.finished_at",
      "u.name as by_name",
    ])
    .where("b.id", "=", id)
    .executeTakeFirst();
}

export async function getBatchFile(db: Db, id: string): Promise<Uint8Array | null> {
  const row = await db.selectFrom("import_batches").select("file").where("id", "=", id).executeTakeFirst();
  return row?.file ?? null;
}

/** Import batches of the given entities (undefined: all), newest first, one page at a time. */
export async function listBatches(db: Db, limit = 50, opts: { offset?: number; entities?: ImportEntity[] } = {}) {
  let q = db.selectFrom("import_batches as b").innerJoin("users as u", "u.id", "b.created_by");
  if (opts.entities) q = opts.entities.length ? q.where("b.entity", "in", opts.entities) : q.where(sql<boolean>`false`);
  return q
    .select([
      "b.id",
      "b.entity",
      "b.file_name",
      "b.sha256",
      "b.status",
      "b.rows",
      "b.created",
      "b.updated",
      "b.unchanged",
      "b.problem_count",
      "b.created_at",
      "u.name as by_name",
    ])
    .orderBy("b.created_at", "desc")
    .orderBy("b.id", "desc")
    .limit(limit)
    .offset(opts.offset ?? 0)
    .execute();
}

export async function countBatches(db: Db, entities?: ImportEntity[]): Promise<number> {
  let q = db.selectFrom("import_batches as b");
  if (entities) q = entities.length ? q.where("b.entity", "in", entities) : q.where(sql<boolean>`false`);
  const row = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The earlier completed import of the same file and entity, if any. */
export async function previousImportOf(db: Db, entity: ImportEntityName, sha256: string, notId: string) {
  return db
    .selectFrom("import_batches")
    .select(["id", "finished_at"])
    .where("entity", "=", entity)
    .where("sha256", "=", sha256)
    .where("status", "=", "done")
    .where("id", "!=", notId)
    .orderBy("finished_at", "desc")
    .executeTakeFirst();
}

/** Claims a checked batch for running; false when it is not waiting (a second click, or it ran). */
export async function claimBatch(db: Db, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const res = await db
    .updateTable("import_batches")
    .set({ status: "running", started_at: now, error: null })
    .where("id", "=", id)
    .where((eb) =>
      eb.or([eb("status", "=", "checked"), eb.and([eb("status", "=", "running"), eb("started_at", "<", staleBefore)])]),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function finishBatch(
  db: Db,
  id: string,
  status: ImportStatus,
  now: Date,
  fields: { created?: number; updated?: number; unchanged?: number; problems?: Problem[]; error?: string | null } = {},
) {
  await db
    .updateTable("import_batches")
    .set({
      status,
      finished_at: now,
      ...(fields.created !== undefined
        ? { created: fields.created, updated: fields.updated!, unchanged: fields.unchanged! }
        : {}),
      ...(fields.problems
        ? { problems: JSON.stringify(fields.problems.slice(0, KEPT_PROBLEMS)), problem_count: fields.problems.length }
        : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
      // The file is kept only while it may still be imported.
      ...(status === "done" || status === "invalid" ? { file: null } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** A finished batch whose pathways were not all told of their changed records. */
export async function markPathwaysPending(db: Db, batchId: string): Promise<void> {
  await db.updateTable("import_batches").set({ error: "import.result.pathwaysPending" }).where("id", "=", batchId).execute();
}
