import { localiseTemplate } from "../../app/i18n/template-labels";
import { TemplateDefinitionSchema, type PathwayTemplate } from "../../app/domain/template";
import type { PathwayRecords } from "../../app/domain/records";
import { sql } from "kysely";
import type { Db } from "./audit";
import { getTemplate } from "./institutions";
import { latestIloReadiness } from "./scorecard";

/**
 * Queries for the portfolio pages. They read each institution's next gate from the stored
 * pathway status (db/queries/pathway-status.ts), never its records. `loadRecordsFor` loads the
 * records of several institutions at once (five queries whatever their number): one
 * institution's pathway, and the template move preview of its candidates.
 */

/**
 * The verified records of each institution, keyed by id, in the same shape and order as
 * `loadPathwayRecords` gives for one (the portfolio and the institution page must agree).
 */
export async function loadRecordsFor(db: Db, institutionIds: string[]): Promise<Map<string, PathwayRecords>> {
  const out = new Map<string, PathwayRecords>();
  if (institutionIds.length === 0) return out;
  const ids = [...new Set(institutionIds)];
  const [institutions, trainers, certs, cycles, commitments] = await Promise.all([
    db
      .selectFrom("institutions")
      .select(["id", "mou_signed_on", "score_in_portfolio", "business_plan_adopted_on"])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("trainers")
      .select(["id", "institution_id", "sex", "national_expert", "trained_on", "last_active_on"])
      .where("institution_id", "in", ids)
      .orderBy("name")
      .execute(),
    db
      .selectFrom("trainer_certifications as tc")
      .innerJoin("trainers as t", "t.id", "tc.trainer_id")
      .select(["tc.trainer_id", "tc.module_code", "tc.certified_on", "tc.expires_on"])
      .where("t.institution_id", "in", ids)
      .orderBy("tc.certified_on")
      .execute(),
    db.selectFrom("training_cycles").selectAll().where("institution_id", "in", ids).orderBy("ended_on").execute(),
    db
      .selectFrom("funding_commitments")
      .select(["institution_id", "kind", "starts_on", "ends_on"])
      .where("institution_id", "in", ids)
      .execute(),
  ]);

  for (const i of institutions)
    out.set(i.id, {
      mouSignedOn: i.mou_signed_on,
      scoreInPortfolio: i.score_in_portfolio,
      businessPlanAdoptedOn: i.business_plan_adopted_on,
      trainers: [],
      cycles: [],
      commitments: [],
    });

  const certsByTrainer = groupBy(certs, (c) => c.trainer_id);
  for (const t of trainers)
    out.get(t.institution_id)?.trainers.push({
      id: t.id,
      sex: t.sex,
      nationalExpert: t.national_expert,
      trainedOn: t.trained_on,
      lastActiveOn: t.last_active_on,
      certifications: (certsByTrainer.get(t.id) ?? []).map((c) => ({
        module: c.module_code,
        certifiedOn: c.certified_on,
        expiresOn: c.expires_on,
      })),
    });
  for (const c of cycles)
    out.get(c.institution_id)?.cycles.push({
      module: c.module_code,
      endedOn: c.ended_on,
      iloStaffInvolved: c.ilo_staff_involved,
      // pg returns bigint columns as strings, PGlite as numbers: normalise here as loadPathwayRecords does.
      funding: {
        enterprise_fee: Number(c.fund_enterprise_fee),
        institution_funds: Number(c.fund_institution_funds),
        government: Number(c.fund_government),
        sponsor: Number(c.fund_sponsor),
        other_donor: Number(c.fund_other_donor),
        ilo: Number(c.fund_ilo),
      },
    });
  for (const c of commitments)
    out.get(c.institution_id)?.commitments.push({ kind: c.kind, startsOn: c.starts_on, endsOn: c.ends_on });
  // The readiness scorecard: the latest ILO assessment's dimension means (never the self-assessment).
  const readiness = await latestIloReadiness(db, ids);
  for (const [id, records] of out) records.readiness = readiness.get(id) ?? null;
  return out;
}

/**
 * The pathway templates in use, keyed by id: every published and retired version (a handful: one
 * per country at most, per version). A draft is left out: it is still being written, no
 * institution runs on one (they are only ever given or moved to a published version), and its
 * stages are not the programme's until it is published. The default templates come first, so
 * their stage order leads wherever stages are merged.
 *
 * A published or retired version never changes (only a draft is edited, db/queries/templates.ts),
 * so each is checked and put in each language once per process. The list pages read the templates
 * on every request: one statement, which sends the definition (several kilobytes of JSON) only of
 * the versions this process has not kept yet.
 */
export async function listTemplates(db: Db, locale?: string): Promise<Map<string, PathwayTemplate>> {
  let perLocale = readTemplates.get(db);
  if (!perLocale) readTemplates.set(db, (perLocale = new Map()));
  const lang = locale ?? "";
  let kept = perLocale.get(lang);
  // Replaced rather than cleared: a request still reading the old map keeps what it counted on.
  if (!kept || kept.size >= KEPT_READ_TEMPLATES) perLocale.set(lang, (kept = new Map()));
  const known = [...kept.keys()];
  const rows = await db
    .selectFrom("pathway_templates")
    .select(["id", "key", "version", "name"])
    .select(
      (known.length > 0
        ? sql<unknown>`case when id in (${sql.join(known)}) then null else definition end`
        : sql<unknown>`definition`
      ).as("definition"),
    )
    .where("status", "<>", "draft")
    .orderBy((eb) => eb("country_code", "is not", null))
    .orderBy("country_code")
    .orderBy("version", "desc")
    .execute();
  const out = new Map<string, PathwayTemplate>();
  for (const r of rows) {
    let shown = r.definition === null ? kept.get(r.id) : undefined;
    if (!shown) {
      const t = {
        id: r.id,
        key: r.key,
        version: r.version,
        name: r.name,
        definition: TemplateDefinitionSchema.parse(r.definition),
      };
      // With a locale, names in the reader's language (decision 026).
      shown = locale ? localiseTemplate(t, locale) : t;
      kept.set(r.id, shown);
    }
    out.set(r.id, shown);
  }
  return out;
}

/**
 * `templates` (the versions in use) with any of `ids` it lacks added, read one by one. The app
 * never puts an institution on a draft, but a row changed by hand in SQL could: its list page then
 * still draws it instead of failing for everyone.
 */
export async function withTemplatesOf(
  db: Db,
  templates: Map<string, PathwayTemplate>,
  ids: Iterable<string>,
  locale?: string,
): Promise<Map<string, PathwayTemplate>> {
  const missing = [...new Set(ids)].filter((id) => !templates.has(id));
  if (missing.length === 0) return templates;
  const out = new Map(templates);
  for (const id of missing) {
    const t = await getTemplate(db, id);
    out.set(id, locale ? localiseTemplate(t, locale) : t);
  }
  return out;
}

/** Published and retired templates as `listTemplates` gave them, per database, language and id. */
const readTemplates = new WeakMap<Db, Map<string, Map<string, PathwayTemplate>>>();
const KEPT_READ_TEMPLATES = 1_000;

/** How many institutions exist at all: tells "nothing matches" apart from "nothing yet". */
export async function countInstitutions(db: Db): Promise<number> {
  const row = await db
    .selectFrom("institutions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
