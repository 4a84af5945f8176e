import { analyticsCsv, type AnalyticsData, type AnalyticsTable } from "~/features/analytics/analytics.server";
import { renderDossierPdf } from "~/features/handover/dossier-pdf.server";
import type { Dossier } from "~/features/handover/dossier.server";
import { planWorkbook, type ActualRow } from "~/features/handover/plan-xlsx.server";
import { logframeCsv, logframePdf, logframeXlsx } from "~/features/indicators/export.server";
import type { LogframeData } from "~/features/indicators/logframe.server";
import type { TemplateDefinition } from "~/domain/template";
import { translatorFor } from "~/i18n/server";
import type { Locale } from "~/i18n/locales";
import type { HandoverPlan } from "../../db/queries/handover";

/**
 * The files whose generation is CPU work once their data is loaded (decision 037). A job carries
 * only data a structured clone keeps (no functions): the language travels as its code and the
 * translator is made again where the job runs, so a file made on an export thread has the same
 * bytes as one made on the request path.
 */
export type ExportJob =
  | { kind: "logframePdf" | "logframeXlsx"; locale: Locale; data: LogframeData; now: Date }
  | { kind: "logframeCsv"; locale: Locale; data: LogframeData }
  | { kind: "analyticsCsv"; locale: Locale; data: AnalyticsData; table: AnalyticsTable }
  | { kind: "dossierPdf"; locale: Locale; dossier: Dossier }
  | {
      kind: "planXlsx";
      locale: Locale;
      plan: HandoverPlan;
      definition: TemplateDefinition;
      actuals: ActualRow[];
      now: Date;
    };

const utf8 = new TextEncoder();

/** The file's bytes (text files as UTF-8, as a Response would send the string). */
export async function exportJob(job: ExportJob): Promise<Uint8Array<ArrayBuffer>> {
  const t = translatorFor(job.locale);
  switch (job.kind) {
    case "logframePdf":
      return bytes(await logframePdf(t, job.data, job.now));
    case "logframeXlsx":
      return bytes(await logframeXlsx(t, job.data, job.now));
    case "logframeCsv":
      return utf8.encode(logframeCsv(t, job.data));
    case "analyticsCsv":
      return utf8.encode(analyticsCsv(job.data, job.table));
    case "dossierPdf":
      return bytes(await renderDossierPdf(job.dossier, t));
    case "planXlsx":
      return bytes(await planWorkbook(job.plan, job.definition, job.actuals, t, job.now));
  }
}

/** A Buffer may be a view into Node's shared pool: copied into its own memory, so it can be transferred. */
const bytes = (b: Buffer) => new Uint8Array(b);
