import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import { toCsv } from "~/features/import/rules/csv";
import { describeFormat } from "~/features/import/rules/describe";
import { IMPORT_SPECS, type ImportEntityName } from "~/features/import/rules/index";
import type { Translator } from "~/i18n/translate";
import { loadImportReference } from "../../../db/queries/imports";
import type { Database } from "../../../db/schema";

/**
 * An import template: the header row and an example row; the workbook adds a second sheet that
 * explains each column (required or not, its values, what it means) in the user's language.
 */
export async function importTemplate(
  db: Kysely<Database>,
  entity: ImportEntityName,
  format: "csv" | "xlsx",
  t: Translator,
): Promise<Uint8Array> {
  const ref = await loadImportReference(db, "targets");
  const columns = IMPORT_SPECS[entity].columns(ref);
  const header = columns.map((c) => c.name);
  const example = columns.map((c) => c.example);
  if (format === "csv") return new TextEncoder().encode(toCsv([header, example]));

  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet(t("import.sheet.data"));
  data.addRow(header).font = { bold: true };
  data.addRow(example);
  data.columns.forEach((c) => (c.width = 22));
  // Text cells, so dates and codes stay as typed instead of becoming Excel dates or numbers.
  for (let i = 1; i <= header.length; i++) data.getColumn(i).numFmt = "@";
  data.views = [{ state: "frozen", ySplit: 1 }];

  const help = wb.addWorksheet(t("import.sheet.columns"));
  help.addRow([
    t("import.sheet.column"),
    t("import.sheet.required"),
    t("import.sheet.format"),
    t("import.sheet.description"),
  ]).font = { bold: true };
  for (const c of columns) help.addRow([c.name, c.required ? t("import.yes") : t("import.no"), describeFormat(c, t), t(c.help)]);
  help.columns = [{ width: 26 }, { width: 12 }, { width: 60 }, { width: 70 }];
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
