import { FUNDING_SOURCES } from "../../domain/records";
import { digitsInUse, parseAmount } from "../../domain/currency";
import { fieldErrors, MilestoneReportSchema, REPORT_KINDS, type MilestoneReport, type ReportKind } from "../../domain/reports";

/**
 * Turns the report form's fields into a milestone report. Pure and free of I/O: the server
 * action and the browser (live totals) use the same parsing. Field names are the report's own
 * paths (`payload.cost`, `payload.trainers.3.name`, `evidence.0.label`), so an error from the
 * schema lands next to the input that caused it.
 */

export type FormValues = Record<string, string>;
export type FormErrors = Record<string, string>;

export type ReportFormResult = { ok: true; report: MilestoneReport } | { ok: false; errors: FormErrors };

export const DEFAULT_TRAINER_ROWS = 8;
export const MAX_TRAINER_ROWS = 60;
export const DEFAULT_EVIDENCE_ROWS = 3;
export const MAX_EVIDENCE_ROWS = 20;

/**
 * Amounts are stored as integers in hundredths of the currency (the schema's "minor units"),
 * whatever the currency, so sums never drift and every page divides by the same number.
 */
export const MINOR_PER_UNIT = 100;

export function isReportKind(kind: unknown): kind is ReportKind {
  return typeof kind === "string" && Object.hasOwn(REPORT_KINDS, kind);
}

/** The text entries of a form, by name: what the page shows again after an error. */
export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [name, value] of form.entries()) if (typeof value === "string") values[name] = value;
  return values;
}

/**
 * "2000.50" → 200050. Accepts a decimal comma ("2000,50") and thousands separators
 * ("2,000.50", "2 000"). Blank → null; anything else → NaN.
 */
export function parseMoney(text: string): number | null {
  let s = text.replace(/[\s\u00a0_']/g, "");
  if (s === "") return null;
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) s = s.replaceAll(",", "");
  else if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replaceAll(".", "").replace(",", ".");
  else s = s.replace(/,(\d{1,2})$/, ".$1");
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  const minor = Number(m[1]) * MINOR_PER_UNIT + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(minor) ? minor : NaN;
}

/**
 * Whether an amount that reads as money carries decimals its currency does not use: "45000000.50"
 * dong is a typing slip, refused next to the field rather than stored as 4500000050 hundredths
 * (docs/decisions/024-logframe-as-written.md). Only currencies used without decimals are checked.
 */
export function wholeOnly(text: string, currency: string): boolean {
  return digitsInUse(currency) === 0 && Number.isNaN(parseAmount(text, 0));
}

/** 200050 → "2000.50": how an amount is typed back into the form. */
export function formatMoney(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / MINOR_PER_UNIT)}.${String(abs % MINOR_PER_UNIT).padStart(2, "0")}`;
}

/** The sum of the funding fields as typed, for the live total next to the cost. */
export function fundingTotal(values: FormValues): { total: number; cost: number | null } {
  let total = 0;
  for (const s of FUNDING_SOURCES) {
    const v = parseMoney(values[`payload.funding.${s}`] ?? "");
    if (v !== null && !Number.isNaN(v)) total += v;
  }
  const cost = parseMoney(values["payload.cost"] ?? "");
  return { total, cost: cost === null || Number.isNaN(cost) ? null : cost };
}

/** How many rows a repeated group shows: the default, what was asked for, and every row typed. */
export function rowCount(values: FormValues, prefix: string, asked: number, min: number, max: number): number {
  const typed = rowIndexes(values, prefix).map((i) => i + 1);
  return Math.min(max, Math.max(min, asked || 0, ...typed));
}

function rowIndexes(values: FormValues, prefix: string): number[] {
  const re = new RegExp(`^${prefix.replaceAll(".", "\\.")}\\.(\\d{1,3})\\.`);
  const found = new Set<number>();
  for (const name of Object.keys(values)) {
    const m = re.exec(name);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Reads typed values, remembering format problems and which form row each list item came from. */
class Reader {
  readonly problems: FormErrors = {};
  /** For `payload.trainers` and `evidence`: list position → form row number. */
  readonly rowOf: Record<string, number[]> = {};

  constructor(
    private readonly values: FormValues,
    /** The institution's currency: an amount may carry only the decimals it uses (none for VND, IDR). */
    private readonly currency?: string,
  ) {}

  text(name: string): string {
    return (this.values[name] ?? "").trim();
  }

  /** Blank is null, so an optional date reads as "none". */
  optionalText(name: string): string | null {
    return this.text(name) || null;
  }

  checked(name: string): boolean {
    const v = this.text(name);
    return v === "on" || v === "true";
  }

  /** A whole number; blank is `blank` (undefined makes the schema ask for it). */
  count(name: string, blank?: number): number | undefined {
    const s = this.text(name);
    if (s === "") return blank;
    return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  }

  money(name: string, blank?: number): number | undefined {
    const minor = parseMoney(this.text(name));
    if (minor === null) return blank;
    if (Number.isNaN(minor)) this.problems[name] = "Enter an amount like 2000.50";
    else if (this.currency && wholeOnly(this.text(name), this.currency)) {
      this.problems[name] = `${this.currency} amounts have no decimals`;
      return NaN;
    }
    return minor;
  }

  /** The rows of a repeated group that are not blank, in form order. */
  rows<F extends string>(prefix: string, fields: readonly F[]): Record<F, string>[] {
    const out: Record<F, string>[] = [];
    const from: number[] = [];
    for (const i of rowIndexes(this.values, prefix)) {
      const row = Object.fromEntries(fields.map((f) => [f, this.text(`${prefix}.${i}.${f}`)])) as Record<F, string>;
      if (fields.every((f) => row[f] === "")) continue;
      out.push(row);
      from.push(i);
    }
    this.rowOf[prefix] = from;
    return out;
  }
}

const payloadReaders: Record<ReportKind, (r: Reader) => unknown> = {
  tot_cohort: (r) => ({
    module: r.text("payload.module"),
    startedOn: r.text("payload.startedOn"),
    endedOn: r.text("payload.endedOn"),
    trainers: r.rows("payload.trainers", ["name", "sex"] as const).map((t) => ({ name: t.name, sex: t.sex || undefined })),
  }),
  trainer_certified: (r) => ({
    trainerId: r.text("payload.trainerId"),
    module: r.text("payload.module"),
    certifiedOn: r.text("payload.certifiedOn"),
    nationalExpert: r.checked("payload.nationalExpert"),
  }),
  trainer_lapsed: (r) => ({
    trainerId: r.text("payload.trainerId"),
    module: r.text("payload.module"),
    lapsedOn: r.text("payload.lapsedOn"),
  }),
  training_cycle: (r) => ({
    module: r.text("payload.module"),
    enterpriseName: r.text("payload.enterpriseName"),
    enterpriseSize: r.text("payload.enterpriseSize") || undefined,
    startedOn: r.text("payload.startedOn"),
    endedOn: r.text("payload.endedOn"),
    visits: r.count("payload.visits"),
    // A blank participant count or funding source means none.
    participants: {
      managersFemale: r.count("payload.participants.managersFemale", 0),
      managersMale: r.count("payload.participants.managersMale", 0),
      workersFemale: r.count("payload.participants.workersFemale", 0),
      workersMale: r.count("payload.participants.workersMale", 0),
    },
    cost: r.money("payload.cost"),
    funding: Object.fromEntries(FUNDING_SOURCES.map((s) => [s, r.money(`payload.funding.${s}`, 0)])),
    iloStaffInvolved: r.checked("payload.iloStaffInvolved"),
  }),
  enterprise_reached: (r) => ({
    name: r.text("payload.name"),
    size: r.text("payload.size") || undefined,
    sector: r.text("payload.sector"),
    workersFemale: r.count("payload.workersFemale", 0),
    workersMale: r.count("payload.workersMale", 0),
  }),
  mou_signed: (r) => ({ signedOn: r.text("payload.signedOn") }),
  score_in_portfolio: (r) => ({ listedOn: r.text("payload.listedOn") }),
  business_plan_adopted: (r) => ({ adoptedOn: r.text("payload.adoptedOn") }),
  funding_secured: (r) => ({
    kind: r.text("payload.kind") || undefined,
    funder: r.text("payload.funder"),
    startsOn: r.text("payload.startsOn"),
    endsOn: r.optionalText("payload.endsOn"),
  }),
};

function readEvidence(r: Reader) {
  const rows = r.rows("evidence", ["label", "reference"] as const);
  rows.forEach((row, i) => {
    if (row.label === "") r.problems[`evidence.${r.rowOf.evidence[i]}.label`] = "Say what this evidence is";
  });
  return rows;
}

/** Schema paths count list items without the blank rows; the form numbers every row. */
function toFormNames(errors: FormErrors, rowOf: Record<string, number[]>): FormErrors {
  const out: FormErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const name = path.replace(/^(payload\.trainers|evidence)\.(\d+)(?=\.|$)/, (all, prefix: string, i: string) =>
      rowOf[prefix]?.[Number(i)] === undefined ? all : `${prefix}.${rowOf[prefix][Number(i)]}`,
    );
    out[name] ??= message;
  }
  return out;
}

/** Errors in the order their fields appear on the page, so the summary reads top to bottom. */
function inFormOrder(errors: FormErrors): FormErrors {
  const rank = (name: string) => (name.startsWith("payload") ? 1 : name.startsWith("evidence") ? 2 : 0);
  // Plain fields come before the rows of a table in every form.
  const row = (name: string) => Number(/\.(\d+)\./.exec(name)?.[1] ?? -1);
  const names = Object.keys(errors).sort((a, b) => rank(a) - rank(b) || row(a) - row(b));
  return Object.fromEntries(names.map((n) => [n, errors[n]]));
}

/** The report a filled-in form describes, or the errors to show next to its fields. */
export function readReportForm(
  values: FormValues,
  ctx: { institutionId: string; submittedBy: string; currency?: string },
): ReportFormResult {
  const kind = values.kind;
  if (!isReportKind(kind)) return { ok: false, errors: { kind: "Choose what to report" } };
  const r = new Reader(values, ctx.currency);
  const input = {
    reportId: r.text("reportId"),
    institutionId: ctx.institutionId,
    submittedBy: ctx.submittedBy,
    kind,
    payload: payloadReaders[kind](r),
    evidence: readEvidence(r),
  };
  const parsed = MilestoneReportSchema.safeParse(input);
  const errors = { ...(parsed.success ? {} : toFormNames(fieldErrors(parsed.error), r.rowOf)), ...r.problems };
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, report: parsed.data };
  return { ok: false, errors: inFormOrder(errors) };
}

const MONEY_FIELD = /^payload\.(cost|funding\.\w+)$/;

/**
 * The form values that show a stored report again, for fixing and resubmitting it: the inverse
 * of `readReportForm` (money back in decimal units, ticked boxes as "on").
 */
export function reportToFormValues(report: {
  reportId: string;
  kind: string;
  payload: unknown;
  evidence: { label: string; reference: string }[];
}): FormValues {
  const values: FormValues = { reportId: report.reportId, kind: report.kind };
  const put = (name: string, v: unknown) => {
    if (v === null || v === undefined || v === false) return;
    if (v === true) values[name] = "on";
    else if (Array.isArray(v)) v.forEach((item, i) => put(`${name}.${i}`, item));
    else if (typeof v === "object") for (const [k, inner] of Object.entries(v)) put(`${name}.${k}`, inner);
    else values[name] = typeof v === "number" && MONEY_FIELD.test(name) ? formatMoney(v) : String(v);
  };
  put("payload", report.payload);
  // Files stay attached to the report; only typed evidence rows come back into the form.
  put(
    "evidence",
    report.evidence.filter((e) => !e.reference.startsWith("file:")),
  );
  return values;
}
