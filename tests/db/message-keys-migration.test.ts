import { randomUUID } from "node:crypto";
import pg from "pg";
import { Migrator, sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DbHandle } from "../../db/create-db";
import { migrations } from "../../db/migrations";
import { createInstitution } from "../../db/queries/institutions";
import { ensureReferenceData } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import { render, shown, storedMessage } from "../../app/i18n/render";
import { translatorFor } from "../../app/i18n/server";
import { TEST_POSTGRES_URL } from "../support/db";

/** Rows written before migration 011 (English text only) get a message key where the text is the workflow's. */

const AT = new Date("2026-03-02T10:00:00Z");
const es = translatorFor("es");

const OLD_NOTICES: Record<string, string> = {
  gate: "The gate to Training of Trainers is met and waits for ILO sign-off.",
  signed: "Signed off: you have reached Certification.",
  flagged:
    "Flagged for review: may move back to Training of Trainers. Certified trainers: 2 against 4 required (2 trainers holding an unexpired certification)",
  moved: "Moved back to Engaged: Certified trainers: 2 against 4 required (2 trainers holding an unexpired certification)",
  decided: "A report was returned: Please attach the invoice",
  reminder: "No milestone reported since 2026-03-14. Please report what happened this quarter.",
  escalation: "A report (training cycle) has waited for verification since 2026-01-05.",
  other: "Something an older version wrote",
};

async function at010(kind: "pglite" | "postgres"): Promise<DbHandle & { drop?: () => Promise<void> }> {
  if (kind === "pglite") return createDb("memory://");
  const name = `pathways_m011_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${name}`;
  const handle = await createDb(u.toString());
  return {
    ...handle,
    async close() {
      await handle.close();
      const a = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

describe.each(["pglite", "postgres"] as const)("migration 011 on %s", (kind) => {
  let h: DbHandle;
  let db: Kysely<Database>;
  const institutionId = randomUUID();

  beforeAll(async () => {
    h = await at010(kind);
    db = h.db;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const upTo010 = await migrator.migrateTo("010_institution_status");
    if (upTo010.error) throw upTo010.error;
    // Today's reference data also fills `currencies` (migration 015): a stand-in table takes
    // those rows while the schema is at 010, and goes before the later migrations run.
    // Likewise the modules' names per language (migration 019).
    await sql`create table currencies (code text primary key, minor_units integer, digits_in_use integer)`.execute(db);
    await sql`alter table modules add column labels jsonb`.execute(db);
    await ensureReferenceData(db);
    await sql`drop table currencies`.execute(db);
    await sql`alter table modules drop column labels`.execute(db);
    await db.transaction().execute((trx) =>
      createInstitution(
        trx,
        {
          id: institutionId,
          name: "Old Institute",
          type: "industry_association",
          role: "implementing_partner",
          countryCode: "GH",
        },
        "a@test",
        AT,
      ),
    );
    // Raw rows as the workflow wrote them before message keys (the columns do not exist yet).
    for (const [id, message] of Object.entries(OLD_NOTICES)) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as written before migration 011, whose columns the typed schema already has
      await (db as Kysely<any>)
        .insertInto("notifications")
        .values({ id, institution_id: institutionId, kind: "reminder", audience: "ilo", message, created_at: AT })
        .execute();
    }
    for (const [id, kind_, reason] of [
      [randomUUID(), "slip_back", "Certified trainers: 2 against 4 required (2 trainers holding an unexpired certification)"],
      [randomUUID(), "slip_back", "The officer's own reason"],
      [randomUUID(), "advance", "Strong start"],
    ]) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as written before migration 011, whose columns the typed schema already has
      await (db as Kysely<any>)
        .insertInto("stage_transitions")
        .values({
          id,
          institution_id: institutionId,
          from_stage: "tot",
          to_stage: "engaged",
          kind: kind_,
          reason,
          decided_by: "a@test",
          occurred_at: AT,
        })
        .execute();
    }
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("gives the workflow's notification texts their key and values, and keeps the English text", async () => {
    const rows = await db.selectFrom("notifications").select(["id", "message", "message_key", "message_params"]).execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    for (const [id, text] of Object.entries(OLD_NOTICES)) expect(byId[id].message).toBe(text);
    expect(byId.gate).toMatchObject({ message_key: "notice.gateMet", message_params: { stage: "Training of Trainers" } });
    expect(byId.decided).toMatchObject({
      message_key: "notice.decided",
      message_params: { status: { key: "status.returned" }, comment: "Please attach the invoice" },
    });
    expect(byId.other).toMatchObject({ message_key: null, message_params: null });

    const inSpanish = (id: string) => shown(es, storedMessage(byId[id].message_key, byId[id].message_params), byId[id].message);
    expect(inSpanish("signed")).toBe("Aprobado: ha llegado a Certification.");
    expect(inSpanish("escalation")).toBe("Un informe (Ciclo de formación impartido) espera verificación desde el 5 ene 2026.");
    expect(inSpanish("decided")).toBe("Un informe fue devuelto: Please attach the invoice");
    expect(inSpanish("reminder")).toBe(
      "No se ha informado ningún hito desde el 14 mar 2026. Informe de lo ocurrido este trimestre.",
    );
    expect(inSpanish("flagged")).toMatch(
      /^Señalada para revisión: puede volver a Training of Trainers\. Certified trainers: 2 frente a 4 requerido \(/,
    );
    expect(inSpanish("moved")).toMatch(/^Devuelta a Engaged: Certified trainers: 2 frente a 4/);
    expect(inSpanish("other")).toBe("Something an older version wrote");
  });

  it("gives a slip back's floor reason its key, and leaves an officer's words and sign-off notes as they are", async () => {
    const rows = await db
      .selectFrom("stage_transitions")
      .select(["kind", "reason", "reason_key", "reason_params"])
      .where("institution_id", "=", institutionId)
      .where("kind", "!=", "start")
      .execute();
    const keyed = rows.filter((r) => r.reason_key !== null);
    expect(keyed).toHaveLength(1);
    expect(keyed[0]).toMatchObject({
      kind: "slip_back",
      reason_key: "notice.slipReason",
      reason_params: { label: "Certified trainers", value: 2, threshold: 4 },
    });
    expect(render(es, storedMessage(keyed[0].reason_key, keyed[0].reason_params))).toMatch(
      /^Certified trainers: 2 frente a 4 requerido/,
    );
    expect(
      rows
        .filter((r) => r.reason_key === null)
        .map((r) => r.reason)
        .sort(),
    ).toEqual(["Strong start", "The officer's own reason"]);
  });
});
