import ExcelJS from "exceljs";
import { sql, type Kysely } from "kysely";
import { toCsv } from "../../app/features/import/rules/csv";
import { createInstitution } from "../../db/queries/institutions";
import type { Database } from "../../db/schema";

/** Institutions, an administrator and a programme phase to import against. */
export async function seedForImport(db: Kysely<Database>, institutions = 5) {
  const adminId = crypto.randomUUID();
  await db
    .insertInto("users")
    .values({
      id: adminId,
      email: `import-admin-${adminId}@pathways.example`,
      name: "Import Admin",
      role: "ilo_admin",
      institution_id: null,
      password_hash: null,
    })
    .execute();
  await db
    .insertInto("programme_phases")
    .values({ key: "phase-3", name: "Phase III", starts_on: "2023-01-01", ends_on: "2026-12-31" })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const names: string[] = [];
  for (let i = 0; i < institutions; i++) {
    const name = `Import Test Institute ${i + 1}`;
    await createInstitution(
      db,
      { id: crypto.randomUUID(), name, countryCode: "GH", type: "private_provider", role: "implementing_partner" },
      "seed",
      new Date(),
    );
    names.push(name);
  }
  return { admin: { id: adminId, name: "Import Admin" }, institutions: names };
}

export const TRAINER_HEADER = [
  "country",
  "institution",
  "trainer_code",
  "name",
  "sex",
  "national_expert",
  "trained_on",
  "last_active_on",
];

/** n trainers spread over the institutions, with codes `<prefix>-<i>`. */
export function trainerRows(n: number, institutions: string[], prefix = "T"): string[][] {
  return Array.from({ length: n }, (_, i) => [
    "GH",
    institutions[i % institutions.length],
    `${prefix}-${i + 1}`,
    `Trainer ${prefix} ${i + 1}`,
    i % 3 === 0 ? "female" : "male",
    i % 10 === 0 ? "yes" : "no",
    `2024-${String((i % 12) + 1).padStart(2, "0")}-15`,
    "",
  ]);
}

export const csvBytes = (header: string[], rows: string[][]) => new TextEncoder().encode(toCsv([header, ...rows]));

export async function xlsxBytes(header: string[], rows: (string | number | Date)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Data");
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const AFFECTED = [
  "institutions",
  "trainers",
  "enterprises",
  "training_cycles",
  "indicator_targets",
  "stage_transitions",
  "trainer_certifications",
  "institution_mous",
  "funding_commitments",
  "institution_business_plans",
] as const;

/** Row counts and an md5 of every row of the tables an import may write. */
export async function checksum(db: Kysely<Database>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of AFFECTED) {
    const r = await sql<{
      n: string;
      h: string | null;
    }>`select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t.id), '')) as h from ${sql.table(t)} t`.execute(
      db,
    );
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}
