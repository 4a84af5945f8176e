/**
 * Text that goes into a file people open in a spreadsheet program. A cell that begins with
 * = + - @ (or a tab or carriage return, which some programs skip before reading one of those) is
 * read as a formula: "=HYPERLINK(…)" typed into an institution's name would run on the
 * officer's machine. Such text gets a leading apostrophe, which shows it as text. Numbers, and
 * text that is only a number ("-1,250.50"), stay as they are so columns can still be summed.
 * Every export (CSV and XLSX) passes its text through here.
 */
export function neutraliseFormula(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  if (/^[+-]?[\d,.]+%?$/.test(text)) return text;
  return `'${text}`;
}

/** One CSV field: formula-guarded, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? String(v) : neutraliseFormula(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows as CSV text with CRLF line ends (what spreadsheet programs expect). */
export function csvText(rows: (string | number | null | undefined)[][]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** An XLSX cell value: text formula-guarded, anything else unchanged. */
export function sheetValue<T>(v: T): T {
  return (typeof v === "string" ? neutraliseFormula(v) : v) as T;
}

interface SheetCell {
  value: unknown;
}
interface Workbook {
  eachSheet(cb: (sheet: { eachRow(cb: (row: { eachCell(cb: (cell: SheetCell) => void): void }) => void): void }) => void): void;
}

/** Guards every text cell of a workbook (ExcelJS) just before it is written. */
export function guardWorkbook(wb: Workbook): void {
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === "string") cell.value = neutraliseFormula(cell.value);
      }),
    ),
  );
}
