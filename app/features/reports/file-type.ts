/**
 * What an uploaded file really is, from its first bytes rather than its name or the browser's
 * claim. Only the kinds evidence may take are recognised; anything else is refused.
 */

export const EVIDENCE_TYPES = {
  pdf: { mime: "application/pdf", label: "PDF" },
  png: { mime: "image/png", label: "PNG image" },
  jpeg: { mime: "image/jpeg", label: "JPEG image" },
  webp: { mime: "image/webp", label: "WebP image" },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel workbook" },
  xls: { mime: "application/vnd.ms-excel", label: "Excel 97–2003 workbook" },
  ods: { mime: "application/vnd.oasis.opendocument.spreadsheet", label: "OpenDocument spreadsheet" },
  csv: { mime: "text/csv", label: "CSV table" },
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;

const startsWith = (b: Uint8Array, sig: number[], offset = 0) => sig.every((v, i) => b[offset + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

/**
 * Markup a browser would run or draw if it ever took the file for a page or an image: a "CSV"
 * holding any of it is not a table someone exported, so it is refused wherever it appears.
 */
const MARKUP = /<\s*(script|svg|html|iframe|object|embed|img|body|meta|link|style|math)\b|<!doctype|<\?xml|javascript:/i;

function looksLikeCsv(b: Uint8Array): boolean {
  if (b.length === 0 || b.includes(0)) return false;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(b);
  if (text.includes("\uFFFD")) return false;
  if (MARKUP.test(text)) return false;
  const firstLine = text.split(/\r?\n/)[0];
  return /[,;\t]/.test(firstLine);
}

export function sniffEvidenceType(bytes: Uint8Array): EvidenceType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf"; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "xls"; // OLE compound file
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A zip: a workbook names its parts near the start; other zips are refused.
    const head = ascii(bytes, 0, 2000);
    if (head.includes("mimetypeapplication/vnd.oasis.opendocument.spreadsheet")) return "ods";
    if (head.includes("[Content_Types].xml") || head.includes("xl/")) return "xlsx";
    return null;
  }
  return looksLikeCsv(bytes) ? "csv" : null;
}
