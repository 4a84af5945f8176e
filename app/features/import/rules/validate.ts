import { z } from "zod";
import { MAX_ROWS } from "./limits";
import { cellSchema, columnVars, type Column, type Problem } from "./columns";
import { naturalKey, type EntitySpec, type ImportReference, type ParsedRow } from "./entity";

/** A table as read from a file: the header cells and the data rows (row i is the spreadsheet's row i + 2). */
export interface Sheet {
  header: string[];
  rows: string[][];
}

export interface ValidRow {
  /** The row number in the spreadsheet (the header is row 1). */
  row: number;
  values: ParsedRow;
}

export interface Validation {
  problems: Problem[];
  rows: ValidRow[];
}

export { MAX_ROWS };

/** One entity's row schema: every column's cell schema, keyed by column name. */
export function rowSchema(columns: Column[]) {
  return z.object(Object.fromEntries(columns.map((c) => [c.name, cellSchema(c)])));
}

const normaliseHeader = (h: string) => h.trim().toLowerCase().replace(/\s+/g, "_");

/**
 * Checks a whole sheet, without touching the database: the header, every cell, each row's
 * cross-column rules and references, and natural keys repeated in the file. Every problem is
 * reported, not just the first; only rows with no problem are returned for the import.
 */
export function validateSheet(spec: EntitySpec, sheet: Sheet, ref: ImportReference): Validation {
  const columns = spec.columns(ref);
  const problems: Problem[] = [];
  const header = sheet.header.map(normaliseHeader);
  for (const c of columns)
    if (c.required && !header.includes(c.name)) problems.push({ row: 1, column: c.name, code: "import.problem.missingColumn" });
  header.forEach((h, i) => {
    if (h !== "" && !columns.some((c) => c.name === h))
      problems.push({ row: 1, column: sheet.header[i], code: "import.problem.unknownColumn" });
    else if (h !== "" && header.indexOf(h) !== i)
      problems.push({ row: 1, column: sheet.header[i], code: "import.problem.repeatedColumn" });
  });
  if (problems.length) return { problems, rows: [] };

  const dataRows = sheet.rows.map((cells, i) => ({ row: i + 2, cells })).filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (dataRows.length === 0) return { problems: [{ row: 2, column: columns[0].name, code: "import.problem.noRows" }], rows: [] };
  if (dataRows.length > MAX_ROWS)
    return {
      problems: [{ row: MAX_ROWS + 2, column: columns[0].name, code: "import.problem.tooManyRows", vars: { max: MAX_ROWS } }],
      rows: [],
    };

  const schema = rowSchema(columns);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const index = new Map(columns.map((c) => [c.name, header.indexOf(c.name)]));
  const seen = new Map<string, number>();
  const rows: ValidRow[] = [];
  for (const { row, cells } of dataRows) {
    const input = Object.fromEntries(columns.map((c) => [c.name, (cells[index.get(c.name)!] ?? "").trim()]));
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const reported = new Set<string>();
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0]);
        if (reported.has(column)) continue;
        reported.add(column);
        problems.push({
          row,
          column,
          code: issue.message,
          vars: { ...columnVars(byName.get(column)!), value: String(input[column]).slice(0, 60) },
        });
      }
      continue;
    }
    const values = parsed.data as ParsedRow;
    const rowProblems = spec.check?.(values, ref) ?? [];
    // Keyed as stored, so "2015 - 2017" and "2015-2017" are one record named twice.
    const key = naturalKey(spec, spec.finish ? spec.finish(values) : values);
    const first = seen.get(key);
    if (first !== undefined)
      rowProblems.push({
        column: spec.keyColumns[spec.keyColumns.length - 1],
        code: "import.problem.duplicate",
        vars: { first },
      });
    else seen.set(key, row);
    if (rowProblems.length) problems.push(...rowProblems.map((p) => ({ row, ...p })));
    else rows.push({ row, values: spec.finish ? spec.finish(values) : values });
  }
  if (spec.checkAll && rows.length) {
    const across = spec.checkAll(rows, ref);
    if (across.length) {
      problems.push(...across);
      problems.sort((a, b) => a.row - b.row);
      const bad = new Set(across.map((p) => p.row));
      return { problems, rows: rows.filter((r) => !bad.has(r.row)) };
    }
  }
  return { problems, rows };
}
