import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * A programme can adopt Pathways without demo data:
 * - setup_tokens: the one-time links that create the first ILO administrator (stored as the
 *   SHA-256 of the link's token, single use, with an expiry);
 * - currencies: each currency's ISO 4217 minor units and the digits in daily use (VND 0, IDR 0
 *   though ISO lists 2), which forms accept and pages show; amounts stay stored in hundredths
 *   (decision 006), countries name their currency here;
 * - programme phases never overlap, enforced by the database as well as by the page;
 * - history brought in by import: an institution's MoUs (many, with the partner and dates), and
 *   the batch that imported a certification or a funding commitment (sponsors, budget lines).
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

  await sql`alter table import_batches drop constraint if exists import_batches_entity_check`.execute(db);
  await sql`alter table import_batches add constraint import_batches_entity_check check (entity in
    ('institutions', 'trainers', 'enterprises', 'training_cycles', 'targets', 'certifications', 'mous', 'sponsors'))`.execute(db);

  await db.schema
    .createTable("institution_mous")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("institution_id", "uuid", (c) => c.notNull().references("institutions.id"))
    .addColumn("partner", "text", (c) => c.notNull())
    .addColumn("signed_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date")
    .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
    .addCheckConstraint("institution_mous_order", sql`ends_on is null or ends_on >= signed_on`)
    .addUniqueConstraint("institution_mous_natural_key", ["institution_id", "partner", "signed_on"])
    .execute();
  for (const table of ["trainer_certifications", "funding_commitments"])
    await db.schema
      .alterTable(table)
      .addColumn("import_batch_id", "uuid", (c) => c.references("import_batches.id"))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["trainer_certifications", "funding_commitments"])
    await db.schema.alterTable(table).dropColumn("import_batch_id").execute();
  await db.schema.dropTable("institution_mous").execute();
  await sql`alter table import_batches drop constraint if exists import_batches_entity_check`.execute(db);
  await sql`alter table import_batches add constraint import_batches_entity_check check (entity in
    ('institutions', 'trainers', 'enterprises', 'training_cycles', 'targets'))`.execute(db);
  await sql`alter table programme_phases drop constraint if exists programme_phases_no_overlap`.execute(db);
  await db.schema.alterTable("countries").dropConstraint("countries_currency_fk").execute();
  await db.schema.dropTable("currencies").execute();
  await db.schema.dropTable("setup_tokens").execute();
}
