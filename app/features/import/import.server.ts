import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Problem } from "~/features/import/rules/columns";
import { IMPORT_SPECS, type ImportEntityName } from "~/features/import/rules/index";
import type { ImportReference } from "~/features/import/rules/entity";
import { parseCsv } from "~/features/import/rules/csv";
import {
  IMPORT_MAX_BYTES,
  MAX_CELL_CHARS,
  MAX_CELLS,
  MAX_COLUMNS,
  MAX_ROWS,
  TableLimitError,
} from "~/features/import/rules/limits";
import { readWorkbookTable, UnreadableWorkbook } from "~/features/import/sheet-reader.server";
import { validateSheet, type Sheet, type Validation } from "~/features/import/rules/validate";
import { sniffEvidenceType } from "~/features/reports/file-type";
import {
  applyImport,
  claimBatch,
  finishBatch,
  getBatch,
  getBatchFile,
  loadImportReference,
  lockImports,
  markPathwaysPending,
  planImport,
  recordDryRun,
  type ApplyResult,
} from "../../../db/queries/imports";
import type { Database } from "../../../db/schema";

/**
 * Bulk import on the server: read a file (CSV or XLSX, told apart by its bytes), check it in a
 * dry run that writes only the batch row, and run a checked batch in one transaction.
 */

export { IMPORT_MAX_BYTES } from "~/features/import/rules/limits";

export class ImportFileError extends Error {
  constructor(
    readonly code: string,
    readonly vars: Record<string, number> = {},
  ) {
    super(code);
  }
}

/** The file's type from its first bytes: only CSV and XLSX workbooks are imported. */
export function importFileType(bytes: Uint8Array): "csv" | "xlsx" {
  const kind = sniffEvidenceType(bytes);
  if (kind === "csv" || kind === "xlsx") return kind;
  // Excel on Windows saves "CSV" in the ANSI code page: accented names are not UTF-8.
  if (
    kind === null &&
    !bytes.subarray(0, 4096).includes(0) &&
    /[,;\t]/.test(decodeText(bytes.subarray(0, 4096)).split(/\r?\n/)[0])
  )
    return "csv";
  throw new ImportFileError("import.error.fileType");
}

/** UTF-8 when the bytes are UTF-8, else Windows-1252 (what Excel writes for "CSV" in Western locales). */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * The first sheet of a workbook, or the table of a CSV file, as text cells; the row, column, cell
 * and size limits are checked while the file is read (ImportFileError with their message key).
 */
export async function readSheet(bytes: Uint8Array, type: "csv" | "xlsx"): Promise<Sheet> {
  let table: string[][];
  try {
    if (type === "csv") {
      if (bytes.length > IMPORT_MAX_BYTES) throw new TableLimitError("import.error.tooLarge", { mb: IMPORT_MAX_BYTES / 2 ** 20 });
      table = parseCsv(decodeText(bytes), {
        maxRows: MAX_ROWS,
        maxColumns: MAX_COLUMNS,
        maxCellChars: MAX_CELL_CHARS,
        maxCells: MAX_CELLS,
      });
    } else table = await readWorkbookTable(bytes);
  } catch (e) {
    if (e instanceof TableLimitError) throw new ImportFileError(e.code, e.vars);
    if (e instanceof UnreadableWorkbook) throw new ImportFileError("import.error.unreadable");
    throw e;
  }
  if (table.length === 0) throw new ImportFileError("import.error.empty");
  return { header: table[0], rows: table.slice(1) };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export interface DryRunInput {
  entity: ImportEntityName;
  fileName: string;
  bytes: Uint8Array;
  actorId: string;
  now: Date;
}

/** A file to read and check against what the database holds: plain data, so an export thread can do it (decision 037). */
export interface ImportCheckJob {
  kind: "importCheck";
  entity: ImportEntityName;
  fileType: "csv" | "xlsx";
  bytes: Uint8Array;
  ref: ImportReference;
}

/** The checked rows, or the file's own fault (ImportFileError's message key), carried as data across a thread. */
export type ImportCheckResult = { ok: true; validation: Validation } | { ok: false; code: string; vars: Record<string, number> };

/** Reads the file and checks every row: the CPU part of a dry run, with no database. */
export async function checkImportFile(job: ImportCheckJob): Promise<ImportCheckResult> {
  try {
    const sheet = await readSheet(job.bytes, job.fileType);
    return { ok: true, validation: validateSheet(IMPORT_SPECS[job.entity], sheet, job.ref) };
  } catch (e) {
    if (e instanceof ImportFileError) return { ok: false, code: e.code, vars: e.vars };
    throw e;
  }
}

/**
 * Parses and checks a file, records the batch with its problems and what it would do; writes
 * nothing else. `check` reads and checks the file: here by default, on an export thread when the
 * upload route passes the pool's (decision 037).
 */
export async function dryRun(
  db: Kysely<Database>,
  input: DryRunInput,
  check: (job: ImportCheckJob) => Promise<ImportCheckResult> = checkImportFile,
): Promise<string> {
  const fileType = importFileType(input.bytes);
  const ref = await loadImportReference(db, input.entity, input.now);
  const checked = await check({ kind: "importCheck", entity: input.entity, fileType, bytes: input.bytes, ref });
  if (!checked.ok) throw new ImportFileError(checked.code, checked.vars);
  const { problems, rows } = checked.validation;
  const plan = problems.length ? null : await planImport(db, input.entity, rows, ref);
  const id = crypto.randomUUID();
  await recordDryRun(
    db,
    {
      id,
      entity: input.entity,
      fileName: input.fileName,
      fileType,
      sha256: sha256(input.bytes),
      file: input.bytes,
      createdBy: input.actorId,
      now: input.now,
    },
    rows.length + (problems.length ? countRowsWithProblems(problems) : 0),
    problems,
    plan,
  );
  return id;
}

const countRowsWithProblems = (problems: Problem[]) => new Set(problems.filter((p) => p.row > 1).map((p) => p.row)).size;

export interface Progress {
  phase: "checking" | "writing" | "pathways";
  done: number;
  total: number;
}

export interface RunOptions {
  actor: { id: string; name: string };
  now: () => Date;
  /** Starts an institution's pathway workflow (idempotent); called after the transaction commits. */
  startPathway?: (institutionId: string) => Promise<void>;
  /**
   * Starts many institutions' pathways at once (bounded parallel lanes, idempotent); returns
   * those that did not start. Preferred over `startPathway` when given.
   */
  startPathways?: (institutionIds: string[], onProgress: (done: number) => void) => Promise<string[]>;
  /**
   * Tells existing institutions' pathways that the import changed their records, so they
   * evaluate their gates again; returns those that could not be told. Called after the commit.
   */
  recordsChanged?: (institutionIds: string[], onProgress: (done: number) => void) => Promise<string[]>;
  /**
   * Tells the pathways of institutions a stage-history import moved that their stage is now the
   * imported one, which they take without a sign-off; returns those that could not be told.
   * Called after the commit, instead of `recordsChanged` for those institutions.
   */
  historyImported?: (institutionIds: string[], onProgress: (done: number) => void) => Promise<string[]>;
  onProgress?: (p: Progress) => void;
}

export type RunOutcome =
  | { status: "done"; result: ApplyResult; pathwaysPending: number }
  | { status: "invalid"; problems: Problem[] }
  | { status: "failed"; error: string }
  | { status: "not_waiting" };

class Invalid extends Error {
  constructor(readonly problems: Problem[]) {
    super("invalid");
  }
}

/**
 * Runs a checked batch: the file is checked again against the database as it is now, then every
 * row is written in one transaction (any failure: nothing written, the batch marked failed).
 * Pathways of new institutions start after the commit; one that cannot start now starts at the
 * next start-up, which starts every active institution's pathway (app/server/start.ts).
 */
export async function runImport(db: Kysely<Database>, batchId: string, opts: RunOptions): Promise<RunOutcome> {
  const staleBefore = new Date(opts.now().getTime() - STALE_MS);
  if (!(await claimBatch(db, batchId, opts.now(), staleBefore))) return { status: "not_waiting" };
  const batch = (await getBatch(db, batchId))!;
  const bytes = await getBatchFile(db, batchId);
  const entity = batch.entity as ImportEntityName;
  let result: ApplyResult;
  try {
    if (!bytes) throw new ImportFileError("import.error.unreadable");
    const sheet = await readSheet(bytes, batch.file_type);
    const total = sheet.rows.length;
    opts.onProgress?.({ phase: "checking", done: 0, total });
    result = await db.transaction().execute(async (trx) => {
      await lockImports(trx);
      const ref = await loadImportReference(trx, entity, opts.now());
      const { problems, rows } = validateSheet(IMPORT_SPECS[entity], sheet, ref);
      if (problems.length) throw new Invalid(problems);
      const plan = await planImport(trx, entity, rows, ref);
      opts.onProgress?.({ phase: "writing", done: plan.unchanged, total: plan.rows.length });
      const now = opts.now();
      const applied = await applyImport(trx, plan, { batchId, actorId: opts.actor.id, actorName: opts.actor.name, now }, (done) =>
        opts.onProgress?.({ phase: "writing", done, total: plan.rows.length }),
      );
      await finishBatch(trx, batchId, "done", now, {
        created: applied.created,
        updated: applied.updated,
        unchanged: applied.unchanged,
        error: null,
      });
      return applied;
    });
  } catch (e) {
    if (e instanceof Invalid) {
      await finishBatch(db, batchId, "invalid", opts.now(), { problems: e.problems });
      return { status: "invalid", problems: e.problems };
    }
    const code = e instanceof ImportFileError ? e.code : "import.error.failed";
    if (!(e instanceof ImportFileError)) console.error(`Import batch ${batchId} (${entity}) failed; nothing was written:`, e);
    await finishBatch(db, batchId, "failed", opts.now(), { error: code });
    return { status: "failed", error: code };
  }
  let pathwaysPending = 0;
  const created = result.createdInstitutions;
  if (opts.startPathways && created.length > 0) {
    opts.onProgress?.({ phase: "pathways", done: 0, total: created.length });
    const notStarted = await opts.startPathways(created, (done) =>
      opts.onProgress?.({ phase: "pathways", done, total: created.length }),
    );
    if (notStarted.length)
      console.warn(`${notStarted.length} imported institutions' pathways did not start; they start at the next start-up.`);
    pathwaysPending += notStarted.length;
  } else {
    for (const id of created) {
      try {
        await opts.startPathway?.(id);
      } catch (e) {
        pathwaysPending++;
        console.warn(`The pathway of imported institution ${id} did not start; it starts at the next start-up:`, e);
      }
    }
  }
  const moved = opts.historyImported ? result.movedInstitutions : [];
  if (moved.length > 0) {
    const total = moved.length;
    opts.onProgress?.({ phase: "pathways", done: 0, total });
    const untold = await opts.historyImported!(moved, (done) => opts.onProgress?.({ phase: "pathways", done, total }));
    pathwaysPending += untold.length;
  }
  const movedSet = new Set(moved);
  const changed = result.changedInstitutions.filter((id) => !movedSet.has(id));
  if (opts.recordsChanged && changed.length > 0) {
    const total = changed.length;
    opts.onProgress?.({ phase: "pathways", done: 0, total });
    const untold = await opts.recordsChanged(changed, (done) => opts.onProgress?.({ phase: "pathways", done, total }));
    pathwaysPending += untold.length;
  }
  if (pathwaysPending) await markPathwaysPending(db, batchId);
  return { status: "done", result, pathwaysPending };
}

/** A batch still "running" after this long was cut short (the process stopped): it may be run again. */
export const STALE_MS = 15 * 60 * 1000;

// ---- Jobs in this process ----------------------------------------------------------------------

const jobs = new Map<string, Progress>();

/** The progress of a batch running in this web process, if it is. */
export const jobProgress = (batchId: string): Progress | undefined => jobs.get(batchId);

/**
 * Runs the import in the background of the web process, so the page can answer at once and show
 * progress; the transaction makes a process that stops half-way leave nothing written.
 */
export function startImportJob(db: Kysely<Database>, batchId: string, opts: Omit<RunOptions, "onProgress">): Promise<RunOutcome> {
  jobs.set(batchId, { phase: "checking", done: 0, total: 0 });
  return runImport(db, batchId, { ...opts, onProgress: (p) => jobs.set(batchId, p) })
    .catch((e): RunOutcome => {
      console.error(`Import batch ${batchId} stopped:`, e);
      return { status: "failed", error: "import.error.failed" };
    })
    .finally(() => jobs.delete(batchId));
}
