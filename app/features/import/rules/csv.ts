import { TableLimitError } from "./limits";

/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields may hold separators, quotes ("") and
 * line breaks. The separator is the first line's most frequent of comma, semicolon and tab
 * (Excel in Spanish and French locales writes semicolons). A leading byte-order mark is dropped.
 */
export interface CsvLimits {
  maxRows: number;
  maxColumns: number;
  maxCellChars: number;
  maxCells: number;
}

/**
 * With limits, the first row, field or cell count past one throws a TableLimitError while the
 * text is read, before the table is held whole; rows with no text do not count towards maxRows.
 */
export function parseCsv(text: string, limits?: CsvLimits): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sep = detectSeparator(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let filledRows = 0;
  let cells = 0;
  const endField = () => {
    if (limits) {
      if (row.length >= limits.maxColumns) throw new TableLimitError("import.error.tooManyColumns", { max: limits.maxColumns });
      if (++cells > limits.maxCells) throw new TableLimitError("import.error.tooManyCells", { max: limits.maxCells });
    }
    row.push(field);
    field = "";
  };
  const endRow = () => {
    if (limits && row.some((c) => c !== "") && ++filledRows > limits.maxRows + 1)
      throw new TableLimitError("import.error.tooManyRows", { max: limits.maxRows });
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (limits && field.length > limits.maxCellChars)
      throw new TableLimitError("import.error.cellTooLong", { max: limits.maxCellChars });
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === sep) endField();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endField();
      endRow();
    } else field += ch;
  }
  if (limits && field.length > limits.maxCellChars)
    throw new TableLimitError("import.error.cellTooLong", { max: limits.maxCellChars });
  if (field !== "" || row.length > 0) {
    endField();
    endRow();
  }
  return rows;
}

function detectSeparator(text: string): string {
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const counts = [",", ";", "\t"].map((s) => [s, first.split(s).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

const needsQuotes = /[",\r\n;]/;
export function toCsv(rows: (string | number)[][]): string {
  return (
    rows
      .map((r) => r.map((v) => (needsQuotes.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(","))
      .join("\r\n") + "\r\n"
  );
}
