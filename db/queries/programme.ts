import { ISO_4217 } from "../../app/domain/currency";
import { appendAudit, type Db } from "./audit";

/**
 * Programme set-up by administrators: phases (the periods a logframe reports on) and countries
 * with their currency. Every change is audited with what it was before.
 */

export interface PhaseInput {
  key: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

export async function listPhases(db: Db) {
  return db.selectFrom("programme_phases").selectAll().orderBy("starts_on").execute();
}

/** The first phase whose dates meet [startsOn, endsOn] (both days included), leaving out `exceptKey`. */
export async function overlappingPhase(db: Db, startsOn: string, endsOn: string, exceptKey?: string) {
  let q = db
    .selectFrom("programme_phases")
    .selectAll()
    .where("starts_on", "<=", endsOn)
    .where("ends_on", ">=", startsOn)
    .orderBy("starts_on")
    .limit(1);
  if (exceptKey) q = q.where("key", "!=", exceptKey);
  return q.executeTakeFirst();
}

export async function createPhase(db: Db, p: PhaseInput, actor: string, at: Date): Promise<void> {
  const after = { key: p.key, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn };
  await db.insertInto("programme_phases").values(after).execute();
  await appendAudit(db, { actor, action: "phase.created", entityType: "programme_phase", entityId: p.key, after, at });
}

/** Renames or re-dates a phase; false when there is no such phase. */
export async function updatePhase(db: Db, p: PhaseInput, actor: string, at: Date): Promise<boolean> {
  const before = await db.selectFrom("programme_phases").selectAll().where("key", "=", p.key).executeTakeFirst();
  if (!before) return false;
  const after = { key: p.key, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn };
  await db
    .updateTable("programme_phases")
    .set({ name: p.name, starts_on: p.startsOn, ends_on: p.endsOn })
    .where("key", "=", p.key)
    .execute();
  await appendAudit(db, { actor, action: "phase.updated", entityType: "programme_phase", entityId: p.key, before, after, at });
  return true;
}

export async function listCountriesWithCurrency(db: Db) {
  return db
    .selectFrom("countries as c")
    .innerJoin("currencies as cu", "cu.code", "c.currency")
    .select((eb) => [
      "c.code",
      "c.name",
      "c.currency",
      "cu.minor_units",
      "cu.digits_in_use",
      eb
        .selectFrom("institutions as i")
        .select((e) => e.fn.countAll<string>().as("n"))
        .whereRef("i.country_code", "=", "c.code")
        .as("institutions"),
    ])
    .orderBy("c.name")
    .execute();
}

export async function listCurrencies(db: Db) {
  return db.selectFrom("currencies").selectAll().orderBy("code").execute();
}

/** The currency's row, from ISO 4217 as the code knows it, if the database has none yet. */
export async function ensureCurrency(db: Db, code: string): Promise<void> {
  const iso = ISO_4217[code];
  if (!iso) throw new Error(`Unknown currency ${code}`);
  await db
    .insertInto("currencies")
    .values({ code, minor_units: iso.minorUnits, digits_in_use: iso.digitsInUse })
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
}

export interface CountryInput {
  code: string;
  name: string;
  currency: string;
}

/** Adds a country or changes its name or currency; audited with what it was. */
export async function saveCountry(db: Db, c: CountryInput, actor: string, at: Date): Promise<"created" | "updated"> {
  await ensureCurrency(db, c.currency);
  const before = await db.selectFrom("countries").selectAll().where("code", "=", c.code).executeTakeFirst();
  const after = { code: c.code, name: c.name, currency: c.currency };
  if (before) await db.updateTable("countries").set({ name: c.name, currency: c.currency }).where("code", "=", c.code).execute();
  else await db.insertInto("countries").values(after).execute();
  await appendAudit(db, {
    actor,
    action: before ? "country.updated" : "country.created",
    entityType: "country",
    entityId: c.code,
    before,
    after,
    at,
  });
  return before ? "updated" : "created";
}

export async function countInstitutionsIn(db: Db, countryCode: string): Promise<number> {
  const r = await db
    .selectFrom("institutions")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("country_code", "=", countryCode)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
