/** How much one import may hold: shared by the upload form (in the browser) and the server's checks. */
export const MAX_ROWS = 50_000;
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** No import layout has more than a dozen columns; a cell beyond this column refuses the file. */
export const MAX_COLUMNS = 50;
/** Characters in one cell (no column allows more than a few hundred). */
export const MAX_CELL_CHARS = 5_000;
/** Non-empty cells in one file. */
export const MAX_CELLS = 1_000_000;
/** Bytes one part of a workbook (a sheet, the shared strings) may unpack to. */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/** A file refused while it is read, before it is held whole: a message key and its values. */
export class TableLimitError extends Error {
  constructor(
    readonly code: string,
    readonly vars: Record<string, number> = {},
  ) {
    super(code);
  }
}
