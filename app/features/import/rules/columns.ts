import { z } from "zod";
import { readFigureText } from "../../indicators/figure-value";

/**
 * The building blocks of the import layouts: each entity is a list of columns, each column a
 * name (the header cell), whether it is required, its kind of value and an example. A column's
 * zod schema turns the cell's text into a typed value; its failures carry a message key
 * (`import.problem.*`) that the page translates with the column's details.
 */

export type ColumnKind =
  | { kind: "text"; max: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "date" }
  | { kind: "int"; min: number; max: number }
  | { kind: "money" }
  | { kind: "decimal" }
  /** A logframe figure: a decimal, with a comma or a percent sign allowed (checked against its indicator's unit by the row check). */
  | { kind: "figure" }
  | { kind: "bool" };

export interface Column {
  name: string;
  required: boolean;
  type: ColumnKind;
  example: string;
  /** Message key of the help text shown in the template's second sheet and on the page. */
  help: string;
}

/** A problem in a file: its row as the spreadsheet numbers it (header = 1), the column, a message key and its values. */
export interface Problem {
  row: number;
  column: string;
  code: string;
  vars?: Record<string, string | number>;
}

export const col = (
  name: string,
  required: boolean,
  type: ColumnKind,
  example: string,
  help = `import.column.${name}`,
): Column => ({
  name,
  required,
  type,
  example,
  help,
});

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const TRUE = new Set(["yes", "true", "1", "y", "sí", "si", "oui"]);
const FALSE = new Set(["no", "false", "0", "n", "non"]);

/** "1250.5" → 125050 minor units (two decimals); null when not an amount. */
export function parseMoney(s: string): number | null {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** A non-negative decimal with at most 6 decimals, normalised ("12.50" → "12.5"). */
export function normaliseDecimal(s: string): string | null {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1].replace(/^0+(?=\d)/, "");
  const frac = (m[2] ?? "").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole;
}

/** The zod schema of one cell: the trimmed text in, the typed value out. Empty optional cells give null. */
export function cellSchema(c: Column) {
  const t = c.type;
  const value = (() => {
    switch (t.kind) {
      case "text":
        return z.string().max(t.max, { error: "import.problem.tooLong" });
      case "enum":
        return z.string().refine((v) => t.values.includes(v), { error: "import.problem.oneOf" });
      case "date":
        return z.string().refine(isIsoDate, { error: "import.problem.date" });
      case "int":
        return z
          .string()
          .regex(/^-?\d+$/, { error: "import.problem.int" })
          .transform(Number)
          .refine((n) => n >= t.min && n <= t.max, { error: "import.problem.range" });
      case "money":
        return z
          .string()
          .refine((v) => parseMoney(v) !== null, { error: "import.problem.money" })
          .transform((v) => parseMoney(v)!);
      case "decimal":
        return z
          .string()
          .refine((v) => normaliseDecimal(v) !== null, { error: "import.problem.decimal" })
          .transform((v) => normaliseDecimal(v)!);
      case "figure":
        return z.string().refine((v) => !Number.isNaN(readFigureText(v)), { error: "import.problem.decimal" });
      case "bool":
        return z
          .string()
          .refine((v) => TRUE.has(v.toLowerCase()) || FALSE.has(v.toLowerCase()), { error: "import.problem.bool" })
          .transform((v) => TRUE.has(v.toLowerCase()));
    }
  })();
  return c.required
    ? z.string().min(1, { error: "import.problem.required" }).pipe(value)
    : z
        .string()
        .transform((v) => (v === "" ? null : v))
        .pipe(value.nullable());
}

/** The values a message about this column needs: its allowed values, its limits. */
export function columnVars(c: Column): Record<string, string | number> {
  const t = c.type;
  if (t.kind === "enum") return { allowed: t.values.length > 12 ? `${t.values.slice(0, 12).join(", ")}…` : t.values.join(", ") };
  if (t.kind === "int") return { min: t.min, max: t.max };
  if (t.kind === "text") return { max: t.max };
  return {};
}
