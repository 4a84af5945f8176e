import type { Db } from "./audit";

/** Evidence files attached to milestone reports (their bytes live on disk, see app/features/reports/evidence.server.ts). */

export interface NewEvidenceFile {
  id: string;
  institutionId: string;
  reportId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  at: Date;
}

/** The file of a report with these bytes, if it was stored already. */
export function findEvidenceByHash(db: Db, reportId: string, sha256: string) {
  return db
    .selectFrom("evidence_files")
    .selectAll()
    .where("report_id", "=", reportId)
    .where("sha256", "=", sha256)
    .executeTakeFirst();
}

export function insertEvidenceFile(db: Db, e: NewEvidenceFile) {
  return db
    .insertInto("evidence_files")
    .values({
      id: e.id,
      institution_id: e.institutionId,
      report_id: e.reportId,
      file_name: e.fileName,
      content_type: e.contentType,
      size_bytes: e.sizeBytes,
      sha256: e.sha256,
      uploaded_by: e.uploadedBy,
      created_at: e.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listReportEvidence(db: Db, reportId: string) {
  return db.selectFrom("evidence_files").selectAll().where("report_id", "=", reportId).orderBy("created_at").execute();
}

export function getEvidenceFile(db: Db, id: string) {
  return db.selectFrom("evidence_files").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Forgets evidence rows of a report (files refused with their report); returns the ids removed. */
export async function deleteEvidenceFiles(db: Db, reportId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .deleteFrom("evidence_files")
    .where("report_id", "=", reportId)
    .where("id", "in", ids)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}
