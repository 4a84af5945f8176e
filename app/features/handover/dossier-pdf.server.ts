import { localise } from "~/i18n/localise";
import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import type { CriterionResult } from "~/domain/gate";
import { shareBp } from "~/domain/handover";
import { FUNDING_SOURCES, type FundingSource } from "~/domain/records";
import type { Translator } from "~/i18n/translate";
import { criteriaMetText } from "~/components/format";
import type { Dossier, StageState } from "./dossier.server";
import { render, shown } from "~/i18n/render";

/**
 * The handover dossier as a PDF, drawn on the server with pdfkit: text, tables and vector shapes
 * only (no screenshots), so it prints sharply, stays small, and its text can be searched and read
 * aloud. Amounts are printed from integer minor units with the translator's exact money format.
 */

// DejaVu Sans covers every Latin script our partners write in (Vietnamese included) and the signs
// we print (− ≥ “ ’ –). It is present on Debian/Ubuntu (fonts-dejavu-core) and Fedora; elsewhere
// the PDF falls back to the built-in Helvetica, whose WinAnsi encoding we then respect (below).
const FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"];

function findDejaVu(): { regular: string; bold: string } | null {
  for (const dir of FONT_DIRS) {
    const regular = `${dir}/DejaVuSans.ttf`;
    const bold = `${dir}/DejaVuSans-Bold.ttf`;
    if (existsSync(regular) && existsSync(bold)) return { regular, bold };
  }
  return null;
}

// Windows-1252 beyond Latin-1: what Helvetica can print besides U+0020–U+007E and U+00A0–U+00FF.
const CP1252_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const REPLACEMENTS: Record<string, string> = {
  "−": "-",
  "≥": ">=",
  "≤": "<=",
  "→": "->",
  "\u202f": " ",
  "\u2009": " ",
  "✓": "",
  "✗": "",
};

/** Text Helvetica (WinAnsi) can print: accents kept where Latin-1 has them, else dropped; the rest replaced. */
export function winAnsiSafe(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(ch)) out += ch;
    else if (ch === "\n") out += ch;
    else if (REPLACEMENTS[ch]) out += REPLACEMENTS[ch];
    else {
      const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += base && base !== ch && [...base].every((c) => c.codePointAt(0)! < 0x100) ? base : "?";
    }
  }
  return out;
}

const PAGE = { margin: 36, width: 842, height: 595 };
const CONTENT_W = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - 14; // room for the page number
const INK = "#1f2933";
const MUTED = "#52606d";

/** One colour per funding source, told apart by lightness too (they print in grey readably). */
const SOURCE_COLOURS: Record<FundingSource, string> = {
  enterprise_fee: "#1b4f72",
  institution_funds: "#2e86c1",
  government: "#85c1e9",
  sponsor: "#7d6608",
  other_donor: "#d4ac0d",
  ilo: "#c0392b",
};

interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}

export async function renderDossierPdf(d: Dossier, t: Translator): Promise<Buffer> {
  const dejavu = findDejaVu();
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: `${t("handover.dossier.title")}: ${d.institution.name}`, Subject: d.plan.name, Creator: "Pathways" },
    lang: t.locale,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  if (dejavu) {
    doc.registerFont("body", dejavu.regular);
    doc.registerFont("bold", dejavu.bold);
  } else {
    doc.registerFont("body", "Helvetica");
    doc.registerFont("bold", "Helvetica-Bold");
  }
  const s = dejavu ? (x: string) => x : winAnsiSafe;
  const cur = d.plan.currency;
  const amount = (minor: number) => t.money(minor, "X").slice(2);
  // Basis points to a percentage in the language's one format, as the pages show shares ("36.36%", "50%").
  const share = (bp: number | null) => (bp === null ? "—" : t.percent(bp / 100, 2));
  const day = (iso: string | null) => (iso ? t.date(iso) : "—");

  // ---- helpers -----------------------------------------------------------------------------
  const ensure = (h: number) => {
    if (doc.y + h > BOTTOM) doc.addPage();
  };
  const heading = (text: string, size = 13) => {
    ensure(size + 40);
    doc.moveDown(0.6);
    doc.font("bold").fontSize(size).fillColor(INK).text(s(text), PAGE.margin, doc.y, { width: CONTENT_W });
    doc.moveDown(0.3);
  };
  const para = (text: string, opts: { size?: number; colour?: string } = {}) => {
    doc
      .font("body")
      .fontSize(opts.size ?? 9)
      .fillColor(opts.colour ?? INK);
    ensure(doc.heightOfString(s(text), { width: CONTENT_W }) + 2);
    doc.text(s(text), PAGE.margin, doc.y, { width: CONTENT_W });
  };
  const table = (columns: Column[], rows: string[][], opts: { boldLast?: boolean } = {}) => {
    const pad = 3;
    const size = 8;
    const rowHeight = (cells: string[], font: string) => {
      doc.font(font).fontSize(size);
      return Math.max(...cells.map((c, i) => doc.heightOfString(s(c), { width: columns[i].width - 2 * pad }))) + 2 * pad;
    };
    const drawRow = (cells: string[], font: string, rule: boolean) => {
      const h = rowHeight(cells, font);
      const y = doc.y;
      let x = PAGE.margin;
      doc.font(font).fontSize(size).fillColor(INK);
      cells.forEach((c, i) => {
        doc.text(s(c), x + pad, y + pad, { width: columns[i].width - 2 * pad, align: columns[i].align ?? "left" });
        x += columns[i].width;
      });
      const width = columns.reduce((w, c) => w + c.width, 0);
      doc
        .moveTo(PAGE.margin, y + h)
        .lineTo(PAGE.margin + width, y + h)
        .lineWidth(rule ? 1 : 0.3)
        .strokeColor(rule ? INK : "#9aa5b1")
        .stroke();
      doc.x = PAGE.margin;
      doc.y = y + h;
    };
    const header = columns.map((c) => c.title);
    ensure(rowHeight(header, "bold") + (rows[0] ? rowHeight(rows[0], "body") : 0));
    drawRow(header, "bold", true);
    rows.forEach((r, i) => {
      const font = opts.boldLast && i === rows.length - 1 ? "bold" : "body";
      if (doc.y + rowHeight(r, font) > BOTTOM) {
        doc.addPage();
        drawRow(header, "bold", true);
      }
      drawRow(r, font, false);
    });
    doc.moveDown(0.4);
  };

  // ---- title and identity -----------------------------------------------------------------
  doc
    .font("bold")
    .fontSize(18)
    .fillColor(INK)
    .text(s(`${t("handover.dossier.title")}: ${d.institution.name}`), { width: CONTENT_W });
  doc
    .font("body")
    .fontSize(10)
    .fillColor(MUTED)
    .text(s(t("handover.dossier.generated", { plan: d.plan.name, date: t.date(d.generatedOn) })));
  doc.moveDown(0.5);
  const current = d.stages[d.currentIndex];
  const facts: [string, string][] = [
    [t("handover.dossier.country"), d.institution.country],
    [t("handover.dossier.type"), t(`handover.type.${d.institution.type}`)],
    [
      t("handover.dossier.stage"),
      t("handover.dossier.stageSince", {
        stage: current.name,
        n: d.currentIndex + 1,
        total: d.stages.length,
        date: t.date(d.stageReachedOn),
      }),
    ],
    [t("handover.dossier.planStatus"), t(`handover.status.${d.plan.status}`)],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font("bold").fontSize(10).fillColor(INK).text(s(label), PAGE.margin, y, { width: 110 });
    doc
      .font("body")
      .fontSize(10)
      .text(s(value), PAGE.margin + 115, y, { width: CONTENT_W - 115 });
  }
  doc.x = PAGE.margin;
  para(t("handover.dossier.money", { currency: cur, units: d.plan.unitsPerUsd, year: d.plan.exitYear }), { colour: MUTED });

  // ---- pathway graph ------------------------------------------------------------------------
  heading(t("handover.dossier.pathway"));
  drawPathway(doc, d, t, s);
  para(t("handover.dossier.pathwayKey"), { size: 8, colour: MUTED });

  // ---- next gate ----------------------------------------------------------------------------
  const gate = d.nextGate;
  if (d.gatePending) {
    heading(t("handover.dossier.gate", { stage: d.stages[d.currentIndex + 1]?.name ?? "—" }));
    para(t("handover.dossier.gatePending"));
  } else if (!gate) {
    heading(t("handover.dossier.gate", { stage: "—" }));
    para(t("handover.dossier.gateNone", { stage: current.name }));
  } else {
    heading(t("handover.dossier.gate", { stage: gate.stageName }));
    const met = gate.criteria.filter((c) => c.met).length;
    para(
      t("handover.dossier.gateSummary", {
        criteria: criteriaMetText(t, met, gate.criteria.length),
        date: t.date(d.gateEvaluatedOn ?? d.generatedOn),
      }),
    );
    doc.moveDown(0.3);
    table(
      [
        { title: t("handover.dossier.criterion"), width: 190 },
        { title: t("handover.dossier.value"), width: 60, align: "right" },
        { title: t("handover.dossier.threshold"), width: 80, align: "right" },
        { title: t("handover.dossier.met"), width: 60 },
        { title: t("handover.dossier.basis"), width: CONTENT_W - 390 },
      ],
      gate.criteria.map((c) => [
        c.label,
        criterionValue(c.value, c, t),
        c.unit === "yes/no"
          ? criterionValue(c.threshold, c, t)
          : t("handover.dossier.atLeast", { value: criterionValue(c.threshold, c, t) }),
        c.met ? `✓ ${t("handover.dossier.met")}` : `✗ ${t("handover.dossier.notMet")}`,
        // An evaluation stored before bases carried a key: its English recognised and translated.
        c.basisMessage ? render(t, c.basisMessage) : localise(t, c.basis),
      ]),
    );
  }

  // ---- plan table ---------------------------------------------------------------------------
  doc.addPage();
  heading(`${t("handover.dossier.plan")}: ${d.plan.name} (${cur})`);
  const sum = d.summary;
  const floorsIn = (year: number) =>
    sum.floors
      .filter((f) => f.firstYear === year)
      .map((f) => f.stageName)
      .join(", ");
  const totalCycles = sum.years.reduce((n, y) => n + y.cycles, 0);
  const totalEnterprises = sum.years.reduce((n, y) => n + y.enterprises, 0);
  const totalFunded = sum.years.reduce((n, y) => n + y.fundedMinor, 0);
  const totalNonIlo = sum.years.reduce((n, y) => n + y.nonIloMinor, 0);
  const w = [60, 60, 75, 105, 105, 90, 105];
  table(
    [
      { title: t("handover.col.year"), width: w[0] },
      { title: t("handover.col.cycles"), width: w[1], align: "right" },
      { title: t("handover.col.enterprises"), width: w[2], align: "right" },
      { title: t("handover.col.cost"), width: w[3], align: "right" },
      { title: t("handover.col.funded"), width: w[4], align: "right" },
      { title: t("handover.col.nonIloShare"), width: w[5], align: "right" },
      { title: t("handover.col.gap"), width: w[6], align: "right" },
      { title: t("handover.col.floorMet"), width: CONTENT_W - w.reduce((a, b) => a + b, 0) },
    ],
    [
      ...sum.years.map((y) => [
        String(y.year),
        t.number(y.cycles),
        t.number(y.enterprises),
        amount(y.costMinor),
        amount(y.fundedMinor),
        share(y.nonIloShareBp),
        amount(y.gapMinor),
        floorsIn(y.year),
      ]),
      [
        t("handover.col.total"),
        t.number(totalCycles),
        t.number(totalEnterprises),
        amount(sum.totalCostMinor),
        amount(totalFunded),
        share(shareBp(totalNonIlo, sum.totalCostMinor)),
        amount(sum.totalGapMinor),
        "",
      ],
    ],
    { boldLast: true },
  );
  para(t("handover.gapNote", { currency: cur }), { size: 8, colour: MUTED });

  heading(t("handover.dossier.floors"), 11);
  for (const f of sum.floors) {
    para(
      `• ${t("handover.floor.line", { stage: f.stageName, pct: t.percent(f.thresholdPct, 2), year: f.firstYear ?? t("handover.floor.never") })}`,
    );
  }

  // ---- funding by source: table, then chart -------------------------------------------------
  heading(t("handover.dossier.funding", { currency: cur }));
  const planYears = [...d.plan.years].sort((a, b) => a.year - b.year);
  const sourceW = Math.floor((CONTENT_W - 60 - 100) / FUNDING_SOURCES.length);
  const totals = Object.fromEntries(
    FUNDING_SOURCES.map((src) => [src, planYears.reduce((n, y) => n + y.funding[src], 0)]),
  ) as Record<FundingSource, number>;
  table(
    [
      { title: t("handover.col.year"), width: 60 },
      ...FUNDING_SOURCES.map((src) => ({ title: t(`handover.source.${src}`), width: sourceW, align: "right" as const })),
      { title: t("handover.col.funded"), width: 100, align: "right" },
    ],
    [
      ...planYears.map((y) => [
        String(y.year),
        ...FUNDING_SOURCES.map((src) => amount(y.funding[src])),
        amount(FUNDING_SOURCES.reduce((n, src) => n + y.funding[src], 0)),
      ]),
      [t("handover.col.total"), ...FUNDING_SOURCES.map((src) => amount(totals[src])), amount(totalFunded)],
    ],
    { boldLast: true },
  );
  drawFundingChart(doc, d, t, s, ensure);

  // ---- history ------------------------------------------------------------------------------
  doc.addPage();
  heading(t("handover.dossier.history"));
  heading(t("handover.dossier.moves"), 11);
  const histCols = (what: string): Column[] => [
    { title: t("handover.dossier.date"), width: 90 },
    { title: what, width: 250 },
    { title: t("handover.dossier.by"), width: 150 },
    { title: t("handover.dossier.comment"), width: CONTENT_W - 490 },
  ];
  if (d.moves.length === 0) para(t("handover.dossier.movesNone"));
  else
    table(
      histCols(t("handover.dossier.what")),
      d.moves.map((m) => [
        day(m.on),
        t(`handover.dossier.move.${m.kind}`, { to: m.to, from: m.from ?? "—" }),
        m.by,
        shown(t, m.reasonMessage, m.reason),
      ]),
    );
  heading(t("handover.dossier.steps"), 11);
  if (d.steps.length === 0) para(t("handover.dossier.stepsNone"));
  else
    table(
      histCols(t("handover.dossier.what")),
      d.steps.map((st) => [day(st.on), t(`handover.dossier.step.${st.action}`), st.by, st.comment ?? ""]),
    );

  // ---- page numbers -------------------------------------------------------------------------
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    doc
      .font("body")
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        s(`${d.institution.name} · ${t("handover.dossier.page", { n: i + 1, total: range.count })}`),
        PAGE.margin,
        PAGE.height - PAGE.margin,
        {
          width: CONTENT_W,
          align: "right",
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function criterionValue(v: number, c: Pick<CriterionResult, "unit">, t: Translator): string {
  if (c.unit === "yes/no") return v >= 1 ? t("handover.dossier.yes") : t("handover.dossier.no");
  if (c.unit === "percent") return t.percent(v, 1);
  if (c.unit === "score") return `${t.number(v)}/100`;
  return t.number(v);
}

type Doc = InstanceType<typeof PDFDocument>;

/**
 * The stages as boxes joined by arrows. State is told by shape and words, not colour alone:
 * reached = filled with a tick, current = thick border, next = dashed border, ahead = thin grey.
 */
function drawPathway(doc: Doc, d: Dossier, t: Translator, s: (x: string) => string) {
  const n = d.stages.length;
  const gap = 26;
  const boxW = (CONTENT_W - (n - 1) * gap) / n;
  const boxH = 46;
  if (doc.y + boxH + 30 > BOTTOM) doc.addPage();
  const top = doc.y + 4;
  const label: Record<StageState, (st: Dossier["stages"][number]) => string> = {
    reached: (st) =>
      st.reachedOn ? t("handover.dossier.reached", { date: t.date(st.reachedOn) }) : t("handover.dossier.reachedNoDate"),
    current: () => t("handover.dossier.current"),
    next: () => t("handover.dossier.next"),
    ahead: () => t("handover.dossier.ahead"),
  };
  d.stages.forEach((st, i) => {
    const x = PAGE.margin + i * (boxW + gap);
    doc.save();
    if (st.state === "reached") {
      doc.rect(x, top, boxW, boxH).lineWidth(1).fillAndStroke("#d9e2ec", INK);
      // A tick drawn as a path, so it shows in any font.
      doc
        .moveTo(x + 7, top + 10)
        .lineTo(x + 11, top + 15)
        .lineTo(x + 19, top + 5)
        .lineWidth(2)
        .strokeColor(INK)
        .stroke();
    } else if (st.state === "current") {
      doc.rect(x, top, boxW, boxH).lineWidth(3.5).fillAndStroke("#fef3c7", INK);
    } else if (st.state === "next") {
      doc.rect(x, top, boxW, boxH).lineWidth(1.2).dash(4, { space: 3 }).strokeColor(INK).stroke();
      doc.undash();
    } else {
      doc.rect(x, top, boxW, boxH).lineWidth(0.6).strokeColor("#9aa5b1").stroke();
    }
    doc.restore();
    doc
      .font(st.state === "current" ? "bold" : "body")
      .fontSize(9)
      .fillColor(st.state === "ahead" ? MUTED : INK)
      .text(s(st.name), x + 22, top + 8, { width: boxW - 28, height: boxH - 10, ellipsis: true });
    doc
      .font("body")
      .fontSize(7.5)
      .fillColor(st.state === "ahead" ? MUTED : INK)
      .text(s(label[st.state](st)), x, top + boxH + 4, { width: boxW, align: "center" });
    if (i < n - 1) {
      const ax = x + boxW + 3;
      const ay = top + boxH / 2;
      doc.save();
      doc
        .moveTo(ax, ay)
        .lineTo(ax + gap - 10, ay)
        .lineWidth(1)
        .strokeColor(INK)
        .stroke();
      doc.polygon([ax + gap - 6, ay], [ax + gap - 12, ay - 4], [ax + gap - 12, ay + 4]).fill(INK);
      doc.restore();
    }
  });
  doc.x = PAGE.margin;
  doc.y = top + boxH + 22;
}

/** Stacked bars per year by source, a cost marker, a y axis in the plan's currency and a legend. */
function drawFundingChart(doc: Doc, d: Dossier, t: Translator, s: (x: string) => string, ensure: (h: number) => void) {
  const years = [...d.plan.years].sort((a, b) => a.year - b.year);
  if (years.length === 0) return;
  const chartH = 170;
  const legendH = 30;
  ensure(chartH + legendH + 50);
  doc.moveDown(0.6);
  doc
    .font("bold")
    .fontSize(11)
    .fillColor(INK)
    .text(s(`${t("handover.dossier.chart")} (${d.plan.currency})`), PAGE.margin, doc.y);
  const top = doc.y + 8;
  const axisW = 80;
  const left = PAGE.margin + axisW;
  const plotW = Math.min(CONTENT_W - axisW, 110 * years.length + 40);
  const costs = new Map(d.summary.years.map((y) => [y.year, y.costMinor]));
  const funded = (y: (typeof years)[number]) => FUNDING_SOURCES.reduce((n, src) => n + y.funding[src], 0);
  // Drawing only: bar heights may be fractional points; every printed figure comes from integers.
  const max = Math.max(1, ...years.map((y) => Math.max(funded(y), costs.get(y.year) ?? 0)));
  const step = niceStep(max / 4);
  const top100 = Math.ceil(max / step) * step;
  const yOf = (minor: number) => top + chartH - (minor / top100) * chartH;

  doc.save();
  for (let v = 0; v <= top100; v += step) {
    const y = yOf(v);
    doc
      .moveTo(left, y)
      .lineTo(left + plotW, y)
      .lineWidth(0.3)
      .strokeColor("#cbd2d9")
      .stroke();
    doc
      .font("body")
      .fontSize(7)
      .fillColor(MUTED)
      .text(
        s(
          t
            .money(v, "X")
            .slice(2)
            .replace(/[.,]00$/, ""),
        ),
        PAGE.margin,
        y - 4,
        { width: axisW - 6, align: "right", lineBreak: false },
      );
  }
  const slot = plotW / years.length;
  const barW = Math.min(60, slot * 0.55);
  years.forEach((y, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const src of FUNDING_SOURCES) {
      const v = y.funding[src];
      if (v > 0) {
        doc
          .rect(x, yOf(base + v), barW, yOf(base) - yOf(base + v))
          .lineWidth(0.4)
          .fillAndStroke(SOURCE_COLOURS[src], "#ffffff");
        base += v;
      }
    }
    const cost = costs.get(y.year) ?? 0;
    doc
      .moveTo(x - 6, yOf(cost))
      .lineTo(x + barW + 6, yOf(cost))
      .lineWidth(2)
      .strokeColor("#000000")
      .stroke();
    doc
      .font("body")
      .fontSize(8)
      .fillColor(INK)
      .text(String(y.year), x - 10, top + chartH + 4, { width: barW + 20, align: "center", lineBreak: false });
  });
  doc
    .moveTo(left, top + chartH)
    .lineTo(left + plotW, top + chartH)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  doc.restore();

  // Legend: a swatch and the source's name, in stacking order (bottom first).
  let lx = PAGE.margin;
  let ly = top + chartH + 20;
  for (const src of [...FUNDING_SOURCES, "cost" as const]) {
    const name = src === "cost" ? t("handover.col.cost") : t(`handover.source.${src}`);
    doc.font("body").fontSize(8);
    const wText = doc.widthOfString(s(name));
    if (lx + 16 + wText > PAGE.margin + CONTENT_W) {
      lx = PAGE.margin;
      ly += 14;
    }
    doc.save();
    if (src === "cost")
      doc
        .moveTo(lx, ly + 4)
        .lineTo(lx + 10, ly + 4)
        .lineWidth(2)
        .strokeColor("#000000")
        .stroke();
    else doc.rect(lx, ly, 10, 8).fill(SOURCE_COLOURS[src]);
    doc.restore();
    doc.fillColor(INK).text(s(name), lx + 14, ly, { lineBreak: false });
    lx += 14 + wText + 18;
  }
  doc.x = PAGE.margin;
  doc.y = ly + 16;
  doc
    .font("body")
    .fontSize(8)
    .fillColor(MUTED)
    .text(s(t("handover.dossier.chartNote")), PAGE.margin, doc.y, { width: CONTENT_W });
}

/** 1, 2 or 5 times a power of ten, at least `raw`: round axis steps (in minor units). */
function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}
