import ExcelJS from "exceljs";
import PDFDocument from "pdfkit";
import { csvCell, guardWorkbook } from "~/platform/spreadsheet";
import type { Translator } from "~/i18n/translate";
import { achievedText, actualText, formatFigure, partName, precisionOf, roundFigure, targetText } from "./format";
import type { LogframeData } from "./logframe.server";

/**
 * The logframe as files for donors: CSV, XLSX and a print-ready PDF, all laid out like the page
 * (indicators as rows; per country target | actual | % achieved) and worded in the user's language.
 */

export function exportFileName(data: LogframeData, ext: string): string {
  return `logframe-${data.phase.key}.${ext}`;
}

function titleLines(t: Translator, data: LogframeData, now: Date) {
  return {
    title: t("indicators.export.title", { phase: data.phase.name }),
    period: t("indicators.export.period", { start: t.date(data.phase.startsOn), end: t.date(data.phase.endsOn) }),
    asAt: t("indicators.export.asAt", { date: t.date(data.asAt) }),
    generated: t("indicators.export.generated", { date: t.date(now) }),
  };
}

type Row = LogframeData["rows"][number];
type Cell = Row["cells"][number];

/**
 * The actual as a file's cell: a number rounded to the indicator's precision, or a word where
 * the figure is not a number — "unknown" (never 0), yes/no, not entered (empty), or the
 * per-currency shares. The same rule for CSV and XLSX.
 */
function actualCell(t: Translator, row: Row, cell: Cell): string | number | null {
  if (cell.manual && !cell.entered) return null;
  if (cell.unknown) return t("indicators.unknown");
  if (cell.valueText) return actualText(t, row.unit, cell);
  if (cell.perCurrency) return actualText(t, row.unit, cell);
  if (cell.value === null) return null;
  if (row.unit === "yes_no") return formatFigure(t, row.unit, cell.value);
  return roundFigure(cell.value, precisionOf(row.unit));
}

function targetCell(t: Translator, row: Row, cell: Cell): string | number | null {
  if (cell.targetText) return targetText(t, row.unit, cell);
  if (cell.target === null) return null;
  if (row.unit === "yes_no") return formatFigure(t, row.unit, cell.target);
  return roundFigure(cell.target, precisionOf(row.unit));
}

/** % achieved, or "exceeded" for a target of 0 with an actual above it. */
function achievedCell(t: Translator, cell: Cell): string | number | null {
  if (cell.exceeded) return t("indicators.exceeded");
  return cell.achieved === null ? null : roundFigure(cell.achieved, 1);
}

/** Every cell with a target note, evidence or a note on its actual: the notes section of each file. */
function notesOf(t: Translator, data: LogframeData) {
  const out: { indicator: string; country: string; targetNote: string; evidence: string; actualNote: string }[] = [];
  for (const row of data.rows)
    for (const cell of row.cells) {
      if (!cell.targetNote && !cell.evidence && !cell.actualNote) continue;
      out.push({
        indicator: partName(t, row.key, row.dimension),
        country: data.countries.find((c) => c.code === cell.country)?.name ?? cell.country,
        targetNote: cell.targetNote,
        evidence: cell.evidence ?? "",
        actualNote: cell.actualNote ?? "",
      });
    }
  return out;
}

/** A row's name: the indicator or its part (women, men, % women, modules), marked when its actual is manual. */
const rowName = (t: Translator, row: { key: string; dimension: string; source: string }) =>
  `${partName(t, row.key, row.dimension)}${row.source === "manual" ? ` ${t("indicators.export.manualMark")}` : ""}`;

// ---- CSV ---------------------------------------------------------------------------------------

const csvField = csvCell;

/**
 * One header row (country – column), then one row per indicator; figures as plain numbers (dot
 * decimals, rounded to the indicator's precision) so spreadsheets read them, words where a figure
 * is not a number (unknown, yes/no, exceeded). The header's first cell names the day the actuals
 * count to; each country's notes and evidence follow its figures at the end of the row.
 */
export function logframeCsv(t: Translator, data: LogframeData): string {
  const header = [`${t("indicators.col.indicator")} (${t("indicators.export.asAt", { date: data.asAt })})`];
  for (const c of data.countries)
    for (const col of ["indicators.col.target", "indicators.col.actual", "indicators.col.achieved"])
      header.push(`${c.name} – ${t(col)}`);
  for (const c of data.countries)
    for (const col of ["indicators.export.col.targetNote", "indicators.export.col.evidence", "indicators.export.col.actualNote"])
      header.push(`${c.name} – ${t(col)}`);
  const lines: (string | number | null)[][] = [header];
  for (const row of data.rows) {
    const line: (string | number | null)[] = [rowName(t, row)];
    for (const cell of row.cells) line.push(targetCell(t, row, cell), actualCell(t, row, cell), achievedCell(t, cell));
    for (const cell of row.cells) line.push(cell.targetNote, cell.evidence ?? "", cell.actualNote ?? "");
    lines.push(line);
  }
  return `\uFEFF${lines.map((l) => l.map((v) => csvField(v as string)).join(",")).join("\r\n")}\r\n`;
}

// ---- XLSX --------------------------------------------------------------------------------------

const HEADER_ROW = 5;

/** Title, phase and date on top; two header rows like the page's; frozen below the headers and right of the indicator names. */
export async function logframeXlsx(t: Translator, data: LogframeData, now: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Pathways";
  wb.created = now;
  const ws = wb.addWorksheet(t("indicators.title"), {
    views: [{ state: "frozen", xSplit: 1, ySplit: HEADER_ROW }],
    pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const lines = titleLines(t, data, now);
  ws.getCell("A1").value = lines.title;
  ws.getCell("A1").font = { bold: true, size: 14 };
  ws.getCell("A2").value = `${lines.period} · ${lines.asAt}`;
  ws.getCell("A3").value = lines.generated;
  ws.getColumn(1).width = 48;
  const top = ws.getRow(HEADER_ROW - 1);
  const sub = ws.getRow(HEADER_ROW);
  top.getCell(1).value = t("indicators.col.indicator");
  ws.mergeCells(HEADER_ROW - 1, 1, HEADER_ROW, 1);
  data.countries.forEach((c, i) => {
    const col = 2 + i * 3;
    top.getCell(col).value = c.name;
    ws.mergeCells(HEADER_ROW - 1, col, HEADER_ROW - 1, col + 2);
    top.getCell(col).alignment = { horizontal: "center" };
    sub.getCell(col).value = t("indicators.col.target");
    sub.getCell(col + 1).value = t("indicators.col.actual");
    sub.getCell(col + 2).value = t("indicators.col.achieved");
    for (let k = 0; k < 3; k++) ws.getColumn(col + k).width = 13;
  });
  for (const r of [top, sub]) r.font = { bold: true };
  let next = HEADER_ROW + 1;
  data.rows.forEach((row) => {
    const r = ws.getRow(next++);
    r.getCell(1).value = rowName(t, row);
    r.getCell(1).alignment = row.dimension ? { indent: 1, wrapText: true } : { wrapText: true, vertical: "top" };
    const percent = row.unit === "percent";
    row.cells.forEach((cell, j) => {
      const col = 2 + j * 3;
      const target = r.getCell(col);
      const actual = r.getCell(col + 1);
      const achieved = r.getCell(col + 2);
      // Percent indicators are stored as fractions with a percent format: numbers stay numbers,
      // rounded to the indicator's precision (a share of 40.1 % is 0.401, not 0.40099999999999997).
      const asFraction = (v: string | number | null) =>
        typeof v === "number" && percent ? roundFigure(v / 100, precisionOf(row.unit) + 2) : v;
      const tv = targetCell(t, row, cell);
      if (tv !== null) target.value = asFraction(tv);
      if (percent) target.numFmt = "0.0%";
      if (cell.targetNote) target.note = cell.targetNote;
      const av = actualCell(t, row, cell);
      if (cell.manual && !cell.entered) actual.value = t("indicators.notEntered");
      else if (av !== null) actual.value = asFraction(av);
      if (percent) actual.numFmt = "0.0%";
      const notes: string[] = [];
      if (cell.women?.percent != null) notes.push(t("indicators.women", { percent: t.percent(cell.women.percent, 1) }));
      if (cell.manual) {
        actual.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF4D6" } };
        notes.push(t("indicators.manual.legend"));
        if (cell.evidence) notes.push(`${t("indicators.export.col.evidence")}: ${cell.evidence}`);
        if (cell.actualNote) notes.push(cell.actualNote);
      }
      if (notes.length) actual.note = notes.join("\n");
      const pv = achievedCell(t, cell);
      if (pv !== null) achieved.value = typeof pv === "number" ? roundFigure(pv / 100, 3) : pv;
      achieved.numFmt = "0.0%";
    });
  });
  const legend = ws.getRow(next + 1);
  legend.getCell(1).value = `${t("indicators.export.manualMark")} ${t("indicators.manual.legend")}`;
  // Target notes and the evidence behind manual actuals, one line per cell, on their own sheet.
  const notes = wb.addWorksheet(t("indicators.export.notes"));
  notes.addRow([
    t("indicators.col.indicator"),
    t("indicators.export.col.country"),
    t("indicators.export.col.targetNote"),
    t("indicators.export.col.evidence"),
    t("indicators.export.col.actualNote"),
  ]).font = { bold: true };
  for (const n of notesOf(t, data)) notes.addRow([n.indicator, n.country, n.targetNote, n.evidence, n.actualNote]);
  [40, 20, 40, 50, 40].forEach((w, i) => (notes.getColumn(i + 1).width = w));
  guardWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- PDF ---------------------------------------------------------------------------------------

/** The standard PDF fonts speak WinAnsi: narrow no-break spaces and the minus sign become their nearest there. */
const pdfText = (s: string) => s.replace(/[\u202F\u2009]/g, "\u00A0").replace(/\u2212/g, "-");

const COUNTRIES_PER_BLOCK = 4;
const MARGIN = 30;
const NAME_WIDTH = 190;

/**
 * Landscape A4. Countries come in blocks of four (twelve figure columns fit the width); each
 * block is a table whose header row is drawn again at the top of every page it runs onto.
 */
export function logframePdf(t: Translator, data: LogframeData, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: MARGIN,
    bufferPages: true,
    info: { Title: titleLines(t, data, now).title, Creator: "Pathways" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const lines = titleLines(t, data, now);
  const pageBottom = doc.page.height - MARGIN - 20;
  const width = doc.page.width - 2 * MARGIN;
  const colWidth = (width - NAME_WIDTH) / (COUNTRIES_PER_BLOCK * 3);

  doc.font("Helvetica-Bold").fontSize(16).text(pdfText(lines.title), MARGIN, MARGIN);
  doc
    .font("Helvetica")
    .fontSize(10)
    .text(pdfText(`${lines.period} · ${lines.asAt} · ${lines.generated}`));
  doc
    .fontSize(8)
    .fillColor("#555")
    .text(pdfText(`${t("indicators.export.manualMark")} ${t("indicators.manual.legend")}`))
    .fillColor("black");
  let y = doc.y + 10;

  const blocks: (typeof data.countries)[] = [];
  for (let i = 0; i < data.countries.length; i += COUNTRIES_PER_BLOCK)
    blocks.push(data.countries.slice(i, i + COUNTRIES_PER_BLOCK));

  const header = (block: typeof data.countries) => {
    doc.font("Helvetica-Bold").fontSize(8);
    doc.rect(MARGIN, y, width, 30).fill("#e8edf5").fillColor("black");
    doc.text(pdfText(t("indicators.col.indicator")), MARGIN + 3, y + 10, { width: NAME_WIDTH - 6 });
    block.forEach((c, i) => {
      const x = MARGIN + NAME_WIDTH + i * 3 * colWidth;
      doc.text(pdfText(c.name), x, y + 3, { width: 3 * colWidth, align: "center" });
      ["indicators.col.target", "indicators.col.actual", "indicators.col.achieved"].forEach((k, j) =>
        doc.text(pdfText(t(k)), x + j * colWidth, y + 16, { width: colWidth - 3, align: "right" }),
      );
    });
    y += 32;
    doc.font("Helvetica").fontSize(8);
  };

  for (const block of blocks) {
    if (y + 80 > pageBottom) {
      doc.addPage();
      y = MARGIN;
    }
    header(block);
    for (const row of data.rows) {
      const name = pdfText(rowName(t, row));
      const texts = block.flatMap((c) => {
        const cell = row.cells.find((x) => x.country === c.code)!;
        return [targetText(t, row.unit, cell), actualText(t, row.unit, cell), achievedText(t, cell.achieved, cell.exceeded)].map(
          pdfText,
        );
      });
      const height =
        Math.max(
          doc.heightOfString(name, { width: NAME_WIDTH - 6 }),
          ...texts.map((s) => doc.heightOfString(s, { width: colWidth - 3 })),
        ) + 6;
      if (y + height > pageBottom) {
        doc.addPage();
        y = MARGIN;
        header(block);
      }
      doc.text(name, MARGIN + 3, y + 3, { width: NAME_WIDTH - 6 });
      texts.forEach((s, i) => doc.text(s, MARGIN + NAME_WIDTH + i * colWidth, y + 3, { width: colWidth - 3, align: "right" }));
      y += height;
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + width, y)
        .lineWidth(0.3)
        .strokeColor("#bbb")
        .stroke()
        .strokeColor("black");
    }
    y += 14;
  }

  // Target notes and the evidence behind manual actuals, after the tables.
  const notes = notesOf(t, data);
  if (notes.length) {
    if (y + 60 > pageBottom) {
      doc.addPage();
      y = MARGIN;
    }
    doc
      .font("Helvetica-Bold")
      .fontSize(10)
      .text(pdfText(t("indicators.export.notes")), MARGIN, y);
    doc.font("Helvetica").fontSize(8);
    for (const n of notes) {
      const parts = [
        n.targetNote ? `${t("indicators.export.col.targetNote")}: ${n.targetNote}` : "",
        n.evidence ? `${t("indicators.export.col.evidence")}: ${n.evidence}` : "",
        n.actualNote ? `${t("indicators.export.col.actualNote")}: ${n.actualNote}` : "",
      ].filter(Boolean);
      const line = pdfText(`${n.indicator} – ${n.country}. ${parts.join(" · ")}`);
      if (doc.y + doc.heightOfString(line, { width }) > pageBottom) {
        doc.addPage();
        doc.y = MARGIN;
      }
      doc.text(line, MARGIN, doc.y + 3, { width });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing inside the bottom margin would make PDFKit start a new page: the footer may sit there.
    doc.page.margins.bottom = 0;
    doc
      .fontSize(7)
      .fillColor("#555")
      .text(
        pdfText(`${lines.title} · ${t("indicators.export.page", { page: String(i + 1), pages: String(range.count) })}`),
        MARGIN,
        doc.page.height - MARGIN - 8,
        { width, align: "right", lineBreak: false },
      );
  }
  doc.end();
  return done;
}
