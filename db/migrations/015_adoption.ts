import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * A programme can adopt Pathways without demo data:
 * - setup_tokens: the one-time links that create the first ILO administrator (stored as the
 *   SHA-256 of the link's token, single use, with an expiry);
 * - currencies: each currency's ISO 4217 minor units and the digits in daily use (VND 0, IDR 0
 *   though ISO lists 2), which forms accept and pages show; amounts stay stored in hundredths
 *   (decision 006), countries name their currency here;
 * - programme phases never overlap, enforced by the database as well as by the page.
 */

// ISO 4217 minor units of the currencies countries used up to this migration, and the digits
// people use with them.
const KNOWN: Record<string, [number, number]> = {
  CNY: [2, 2],
  COP: [2, 2],
  GHS: [2, 2],
  INR: [2, 2],
  IDR: [2, 0],
  ZAR: [2, 2],
  VND: [0, 0],
  PEN: [2, 2],
  BOB: [2, 2],
  USD: [2, 2],
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("setup_tokens")
    .addColumn("id", "text", (c) => c.primaryKey()) // SHA-256 of the link's token
    // The address the first administrator will have, when the link was made for one.
    .addColumn("email", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("used_by", "uuid", (c) => c.references("users.id"))
    .execute();

  await db.schema
    .createTable("currencies")
    .addColumn("code", "text", (c) => c.primaryKey().check(sql`code ~ '^[A-Z]{3}$'`))
    .addColumn("minor_units", "integer", (c) => c.notNull().check(sql`minor_units between 0 and 4`))
    .addColumn("digits_in_use", "integer", (c) => c.notNull().check(sql`digits_in_use between 0 and 2`))
    .addCheckConstraint("currencies_digits_within_minor_units", sql`digits_in_use <= minor_units`)
    .execute();
  const used = await db.selectFrom("countries").select("currency").distinct().execute();
  const codes = new Set(["USD", ...used.map((r) => String(r.currency))]);
  for (const code of codes) {
    const [minor, inUse] = KNOWN[code] ?? [2, 2];
    await db.insertInto("currencies").values({ code, minor_units: minor, digits_in_use: inUse }).execute();
  }
  await db.schema
    .alterTable("countries")
    .addForeignKeyConstraint("countries_currency_fk", ["currency"], "currencies", ["code"])
    .execute();

  await sql`alter table programme_phases add constraint programme_phases_no_overlap
    exclude using gist (daterange(starts_on, ends_on, '[]') with &&)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table programme_phases drop constraint if exists programme_phases_no_overlap`.execute(db);
  await db.schema.alterTable("countries").dropConstraint("countries_currency_fk").execute();
  await db.schema.dropTable("currencies").execute();
  await db.schema.dropTable("setup_tokens").execute();
}
