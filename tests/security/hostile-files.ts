import { crc32, deflateRawSync } from "node:zlib";

/**
 * Hostile uploads, built byte by byte so nothing on the way tidies them: workbooks whose XML
 * says what an attacker wants (a cell at the last column, hundreds of thousands of rows), and the
 * multipart body of many large files.
 */

/** A zip of these files, deflated, as an .xlsx is. */
export function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const packed = deflateRawSync(raw, { level: 9 });
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
const colName = (n: number) => {
  let s = "";
  for (n++; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** A one-sheet workbook whose sheet XML is given row by row, with shared strings (`<si>` elements) if given. */
export function workbook(rowsXml: Iterable<string>, sharedStrings?: string): Uint8Array {
  let sheetData = "";
  for (const r of rowsXml) sheetData += r;
  return zip({
    "[Content_Types].xml":
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      "</Types>",
    "_rels/.rels":
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      "</Relationships>",
    "xl/workbook.xml":
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      "</Relationships>",
    ...(sharedStrings === undefined
      ? {}
      : {
          "xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sharedStrings}</sst>`,
        }),
    "xl/worksheets/sheet1.xml":
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      sheetData +
      "</sheetData></worksheet>",
  });
}

const headerRow = (header: string[]) => `<row r="1">${header.map((h, i) => inline(`${colName(i)}1`, h)).join("")}</row>`;

/** The header, then `rows` rows that each hold one cell, in column XFD (the 16,384th). */
export function xfdWorkbook(header: string[], rows: number): Uint8Array {
  return workbook(
    (function* () {
      yield headerRow(header);
      for (let r = 2; r <= rows + 1; r++) yield `<row r="${r}">${inline(`XFD${r}`, "x")}</row>`;
    })(),
  );
}

/** The header, then `rows` rows of short numbers in the header's columns: small packed, long unpacked. */
export function manyRowsWorkbook(header: string[], rows: number): Uint8Array {
  return workbook(
    (function* () {
      yield headerRow(header);
      for (let r = 2; r <= rows + 1; r++) yield `<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}"><v>1</v></c></row>`;
    })(),
  );
}

/** The same table as CSV: one short line per row. */
export function manyRowsCsv(header: string[], rows: number): Uint8Array {
  const parts = [header.join(",")];
  for (let r = 2; r <= rows + 1; r++) parts.push(`${r},1`);
  return new Uint8Array(Buffer.from(parts.join("\n") + "\n"));
}

/** `count` files of `bytes` bytes each (PDF-looking), for the evidence field. */
export function bigFiles(count: number, bytes: number): File[] {
  const one = new Uint8Array(bytes);
  one.set(new TextEncoder().encode("%PDF-1.4\n"));
  return Array.from({ length: count }, (_, i) => new File([one], `scan-${i + 1}.pdf`, { type: "application/pdf" }));
}

/**
 * A form's multipart body as a socket delivers it, in 64 KB pieces pulled one at a time, with
 * the count of bytes the reader has pulled so far.
 */
export function formBody(form: FormData): { body: ReadableStream<Uint8Array>; contentType: string; pulled: () => number } {
  const res = new Response(form);
  const reader = res.body!.getReader();
  let pending: Uint8Array = new Uint8Array(0);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pending.length === 0) {
          const next = await reader.read();
          if (next.done) return controller.close();
          pending = next.value;
        }
        const piece = pending.subarray(0, 64 * 1024);
        pending = pending.subarray(piece.length);
        pulled += piece.length;
        controller.enqueue(piece);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { body, contentType: res.headers.get("Content-Type")!, pulled: () => pulled };
}
