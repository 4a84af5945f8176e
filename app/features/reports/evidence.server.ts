import type { AppLoadContext } from "@remix-run/node";
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { PROJECT_ROOT } from "../../server/temporal-binaries";
import { EVIDENCE_TYPES, sniffEvidenceType } from "./file-type";
import { deleteEvidenceFiles, findEvidenceByHash, insertEvidenceFile, listReportEvidence } from "../../../db/queries/evidence";

/**
 * Evidence files live outside the database, in a storage folder (EVIDENCE_DIR, by default
 * `<DATA_DIR>/evidence`), one sub-folder per institution. The database keeps what they are.
 */

export const MAX_EVIDENCE_FILES = 10;

export function evidenceDir(context: AppLoadContext): string {
  const { EVIDENCE_DIR, DATA_DIR } = context.config;
  return path.resolve(PROJECT_ROOT, EVIDENCE_DIR ?? path.join(DATA_DIR, "evidence"));
}

export type EvidenceCheck = { ok: true; type: keyof typeof EVIDENCE_TYPES; file: File } | { ok: false; message: string };

/** Size and type checks, with the message the form shows next to the file field; reads only the file's first bytes. */
export async function checkEvidenceFile(file: File, maxMb: number): Promise<EvidenceCheck> {
  if (file.size > maxMb * 1024 * 1024) return { ok: false, message: `${file.name} is larger than ${maxMb} MB` };
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  const type = sniffEvidenceType(head);
  if (!type)
    return { ok: false, message: `${file.name} is not a PDF, an image (PNG, JPEG, WebP) or a spreadsheet (XLSX, XLS, ODS, CSV)` };
  return { ok: true, type, file };
}

async function sha256Of(file: File): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of file.stream() as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

/** Stores a checked file, copying it in pieces (an upload may wait on disk rather than in memory). */
export async function storeEvidence(
  context: AppLoadContext,
  e: {
    institutionId: string;
    reportId: string;
    fileName: string;
    type: keyof typeof EVIDENCE_TYPES;
    file: File;
    uploadedBy: string;
  },
) {
  const sha256 = await sha256Of(e.file);
  // The same form sent twice (a retry, a double click) stores each file once.
  const existing = await findEvidenceByHash(context.db, e.reportId, sha256);
  if (existing) return existing;
  const id = randomUUID();
  const dir = path.join(evidenceDir(context), e.institutionId);
  await mkdir(dir, { recursive: true });
  await pipeline(
    Readable.fromWeb(e.file.stream() as unknown as WebReadableStream<Uint8Array>),
    createWriteStream(path.join(dir, id), { flags: "wx" }),
  );
  return insertEvidenceFile(context.db, {
    id,
    institutionId: e.institutionId,
    reportId: e.reportId,
    fileName: e.fileName.replace(/[\\/\r\n"]/g, "_").slice(0, 200) || "evidence",
    contentType: EVIDENCE_TYPES[e.type].mime,
    sizeBytes: e.file.size,
    sha256,
    uploadedBy: e.uploadedBy,
    at: new Date(),
  });
}

export function listEvidence(context: AppLoadContext, reportId: string) {
  return listReportEvidence(context.db, reportId);
}

export function openEvidence(context: AppLoadContext, institutionId: string, fileId: string) {
  return createReadStream(path.join(evidenceDir(context), institutionId, fileId));
}

/**
 * Evidence stored for a report the workflow then refused: the rows and the files go, so nothing
 * is kept for a report that does not exist. Only those stored by this request (`ids`).
 */
export async function discardEvidence(context: AppLoadContext, institutionId: string, reportId: string, ids: string[]) {
  const removed = await deleteEvidenceFiles(context.db, reportId, ids);
  await Promise.all(removed.map((id) => rm(path.join(evidenceDir(context), institutionId, id), { force: true })));
}
