import ExcelJS from "exceljs";
import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import {
  IMPORT_MAX_BYTES,
  MAX_CELL_CHARS,
  MAX_CELLS,
  MAX_COLUMNS,
  MAX_ROWS,
  MAX_UNPACKED_BYTES,
  TableLimitError,
} from "~/features/import/rules/limits";

/**
 * Reading a workbook without trusting it: a few kilobytes of zip can unpack to gigabytes, and a
 * row may name its one cell in the last column. The packed size is checked first, then what each
 * part of the zip unpacks to (counted while inflating, without keeping the output), then the
 * first sheet is streamed row by row with its row, column, cell and size limits checked as each
 * row arrives; reading stops at the first limit passed.
 */

export class UnreadableWorkbook extends Error {}

const MAX_ENTRIES = 2_000;

interface ZipEntry {
  name: string;
  method: number;
  offset: number;
  compressedSize: number;
}

/** The entries of a zip from its central directory; throws UnreadableWorkbook when it has none. */
function zipEntries(buf: Buffer): ZipEntry[] {
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new UnreadableWorkbook();
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count > MAX_ENTRIES) throw new TableLimitError("import.error.unpackedTooLarge", { mb: MAX_UNPACKED_BYTES / 2 ** 20 });
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new UnreadableWorkbook();
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString("utf8", at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const ROW = Buffer.from("<row");
const CELL = Buffer.from("<c");
const STRING = Buffer.from("<si");
const DELIMITERS = new Set([0x20, 0x09, 0x0a, 0x0d, 0x3e, 0x2f]); // space, tab, line ends, ">", "/"

/**
 * Counts elements of a part's XML (a sheet's rows and cells, the shared strings) as it streams
 * past, keeping nothing but a few bytes across chunk edges: a cheap first look that refuses a
 * file of too many rows, cells or strings before any of it is parsed (rows are checked again as
 * they are read).
 */
class ElementCounter {
  readonly counts: number[];
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    private readonly tags: Buffer[],
    private readonly limits: number[],
  ) {
    this.counts = tags.map(() => 0);
  }

  feed(chunk: Buffer) {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.tags.forEach((tag, i) => (this.counts[i] += this.count(data, tag)));
    this.carry = data.subarray(Math.max(0, data.length - 5));
  }

  /** The index of the first count over its limit, or -1. */
  over(): number {
    return this.counts.findIndex((n, i) => n > this.limits[i]);
  }

  private count(data: Buffer, tag: Buffer): number {
    let n = 0;
    for (let at = data.indexOf(tag); at >= 0 && at + tag.length < data.length; at = data.indexOf(tag, at + 1)) {
      // A match wholly inside the bytes carried over was counted with the previous chunk.
      if (at + tag.length + 1 <= this.carry.length) continue;
      if (DELIMITERS.has(data[at + tag.length])) n++;
    }
    return n;
  }
}

/** Inflates one entry, counting and discarding its bytes, and stops once it passes the limit. */
function unpackedSize(buf: Buffer, e: ZipEntry, limit: number, counter?: ElementCounter): Promise<number> {
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) throw new UnreadableWorkbook();
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const packed = buf.subarray(start, Math.min(buf.length, start + e.compressedSize));
  if (e.method === 0) {
    counter?.feed(packed);
    return Promise.resolve(packed.length);
  }
  if (e.method !== 8) throw new UnreadableWorkbook();
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let size = 0;
    inflate.on("data", (chunk: Buffer) => {
      size += chunk.length;
      counter?.feed(chunk);
      if (size > limit || (counter && counter.over() >= 0)) {
        inflate.destroy();
        resolve(size);
      }
    });
    inflate.on("end", () => resolve(size));
    inflate.on("error", () => reject(new UnreadableWorkbook()));
    inflate.end(packed);
  });
}

/**
 * Refuses a workbook whose parts unpack to more than the limit, or whose sheets have more row or
 * cell elements than an import may hold, before any of it is parsed.
 */
export async function checkPackedWorkbook(bytes: Uint8Array): Promise<void> {
  if (bytes.length > IMPORT_MAX_BYTES) throw new TableLimitError("import.error.tooLarge", { mb: IMPORT_MAX_BYTES / 2 ** 20 });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const e of zipEntries(buf)) {
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/.test(e.name);
    const strings = e.name === "xl/sharedStrings.xml";
    const counter = sheet
      ? new ElementCounter([ROW, CELL], [MAX_ROWS + 1, MAX_CELLS])
      : strings
        ? new ElementCounter([STRING], [MAX_CELLS])
        : undefined;
    const size = await unpackedSize(buf, e, MAX_UNPACKED_BYTES, counter);
    const over = counter?.over() ?? -1;
    if (sheet && over === 0) throw new TableLimitError("import.error.tooManyRows", { max: MAX_ROWS });
    if (over >= 0) throw new TableLimitError("import.error.tooManyCells", { max: MAX_CELLS });
    total += size;
    if (size > MAX_UNPACKED_BYTES || total > MAX_UNPACKED_BYTES * 2)
      throw new TableLimitError("import.error.unpackedTooLarge", { mb: MAX_UNPACKED_BYTES / 2 ** 20 });
  }
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("result" in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  if ("text" in v) return String(v.text);
  return String(v);
};

/**
 * A number shown as a percentage (a "%" in its number format): the text as shown, "40%" for a
 * stored 0.4, so a percentage reads as the person typed it. Float noise of the scaling (0.07 × 100)
 * is rounded off at 15 significant digits. Null for any other cell.
 */
function percentText(cell: ExcelJS.Cell): string | null {
  const v = cell.value;
  const value =
    typeof v === "number" ? v : v && typeof v === "object" && "result" in v && typeof v.result === "number" ? v.result : null;
  if (value === null) return null;
  const format = (cell.numFmt ?? "").replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "");
  if (!format.includes("%")) return null;
  return `${Number((value * 100).toPrecision(15))}%`;
}

/** The first sheet of a workbook as text cells, read as a stream within the import's limits. */
export async function readWorkbookTable(bytes: Uint8Array): Promise<string[][]> {
  await checkPackedWorkbook(bytes);
  const input = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "ignore",
  });
  const table: string[][] = [];
  let cells = 0;
  let sawSheet = false;
  try {
    for await (const sheet of reader) {
      sawSheet = true;
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        // cellCount is the last column used: a cell at XFD says so without the gap being filled.
        if (row.cellCount > MAX_COLUMNS) throw new TableLimitError("import.error.tooManyColumns", { max: MAX_COLUMNS });
        const values: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const text = percentText(cell) ?? cellText(cell.value);
          if (text.length > MAX_CELL_CHARS) throw new TableLimitError("import.error.cellTooLong", { max: MAX_CELL_CHARS });
          values[col - 1] = text;
        });
        if (values.length === 0) continue;
        for (let c = 0; c < values.length; c++) values[c] ??= "";
        cells += values.length;
        if (cells > MAX_CELLS) throw new TableLimitError("import.error.tooManyCells", { max: MAX_CELLS });
        // The header is row 1; a row past the limit (even after empty rows) refuses the file.
        if (row.number > MAX_ROWS + 1) throw new TableLimitError("import.error.tooManyRows", { max: MAX_ROWS });
        table[row.number - 1] = values;
      }
      break;
    }
  } catch (e) {
    if (e instanceof TableLimitError) throw e;
    throw new UnreadableWorkbook();
  } finally {
    input.destroy();
  }
  if (!sawSheet) throw new UnreadableWorkbook();
  for (let i = 0; i < table.length; i++) table[i] ??= [];
  return table;
}
