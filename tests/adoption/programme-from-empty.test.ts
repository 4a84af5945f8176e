import ExcelJS from "exceljs";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "../../app/features/import/rules/csv";
import { Client, securityApp, type Fields, type SecurityApp } from "../security/support";

/**
 * A programme adopts Pathways from an empty database (no demo data), through its pages and
 * import files only, over HTTP against the real app (web server, worker, Temporal dev server):
 * the first administrator from the one-time link, a past phase (2013–2017), a country with a
 * zero-decimal currency, the institutions with their backdated stage history, trainers and their
 * certifications (national experts among them), MoUs, sponsors, business plans, enterprises and
 * training cycles, the phase's definition of "embedding SCORE", targets for whole indicators, per
 * module, by sex and in words, and manual actuals (one "unknown"). Then the logframe as at a day
 * inside the phase: every cell is worked out here, by plain arithmetic over the rows this test
 * wrote into its files, and must be what the page, the CSV, the XLSX and the PDF say.
 */

const PASSWORD = "the programme's first password";
const ADMIN = "director@programme.example";
const PHASE = { key: "phase-2", name: "Phase II", startsOn: "2013-01-01", endsOn: "2017-12-31" };
const AS_AT = "2016-06-30";

// ---- The programme's records, as its spreadsheets hold them ----------------------------------

/** Logframe columns: every country with institutions or targets, in name order. */
const COUNTRIES = [
  { code: "GH", name: "Ghana" },
  { code: "PY", name: "Paraguay" }, // added on the page, with the guaraní (no decimals)
  { code: "VN", name: "Viet Nam" }, // the dong: no decimals either
];

const INSTITUTIONS = [
  { country: "GH", name: "Accra Skills Centre", portfolio: true },
  { country: "GH", name: "Kumasi Training Institute", portfolio: true },
  { country: "GH", name: "Tamale Business School", portfolio: false },
  { country: "VN", name: "Hanoi SME Centre", portfolio: true },
  { country: "VN", name: "Da Nang Training College", portfolio: false },
  { country: "PY", name: "Asunción Business Institute", portfolio: true },
];
const countryOf = (institution: string) => INSTITUTIONS.find((i) => i.name === institution)!.country;

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent"];
const HISTORY = [
  { inst: "Accra Skills Centre", stage: "engaged", on: "2013-02-01" },
  { inst: "Accra Skills Centre", stage: "tot", on: "2014-03-20" },
  { inst: "Accra Skills Centre", stage: "certification", on: "2015-09-30" },
  { inst: "Accra Skills Centre", stage: "cost_recovery", on: "2016-11-15" },
  { inst: "Kumasi Training Institute", stage: "engaged", on: "2013-06-01" },
  { inst: "Kumasi Training Institute", stage: "tot", on: "2015-01-10" },
  { inst: "Tamale Business School", stage: "engaged", on: "2014-01-05" },
  { inst: "Tamale Business School", stage: "tot", on: "2014-10-01" },
  { inst: "Tamale Business School", stage: "certification", on: "2016-03-01" },
  { inst: "Hanoi SME Centre", stage: "engaged", on: "2013-04-01" },
  { inst: "Hanoi SME Centre", stage: "tot", on: "2014-05-01" },
  { inst: "Hanoi SME Centre", stage: "certification", on: "2016-06-30" },
  { inst: "Da Nang Training College", stage: "engaged", on: "2015-02-01" },
  { inst: "Asunción Business Institute", stage: "engaged", on: "2016-01-15" },
  { inst: "Asunción Business Institute", stage: "tot", on: "2016-09-01" },
];
/** The phase's definition of "embedding SCORE": at or past this stage, with the portfolio flag. */
const EMBEDDING_STAGE = "certification";

const TRAINERS = [
  { inst: "Accra Skills Centre", code: "GH-A1", name: "Ama Mensah", sex: "female", trainedOn: "2014-03-20" },
  { inst: "Accra Skills Centre", code: "GH-A2", name: "Kofi Boateng", sex: "male", trainedOn: "2014-03-20" },
  { inst: "Accra Skills Centre", code: "GH-A3", name: "Efua Owusu", sex: "female", trainedOn: "2016-07-10" },
  { inst: "Accra Skills Centre", code: "GH-A4", name: "Yaw Asante", sex: "male", trainedOn: "2012-11-01" },
  { inst: "Kumasi Training Institute", code: "GH-B1", name: "Abena Darko", sex: "female", trainedOn: "2015-01-10" },
  { inst: "Kumasi Training Institute", code: "GH-B2", name: "Kwame Osei", sex: "male", trainedOn: "2015-01-10" },
  { inst: "Tamale Business School", code: "GH-C1", name: "Akosua Adjei", sex: "female", trainedOn: "2014-10-01" },
  { inst: "Hanoi SME Centre", code: "VN-D1", name: "Nguyen Thi Lan", sex: "female", trainedOn: "2014-05-01" },
  { inst: "Hanoi SME Centre", code: "VN-D2", name: "Tran Van Minh", sex: "male", trainedOn: "2014-05-01" },
  { inst: "Hanoi SME Centre", code: "VN-D3", name: "Le Thi Hoa", sex: "female", trainedOn: "2016-06-30" },
  { inst: "Da Nang Training College", code: "VN-E1", name: "Pham Van Tuan", sex: "male", trainedOn: "" },
  { inst: "Asunción Business Institute", code: "PY-F1", name: "María Benítez", sex: "female", trainedOn: "2016-09-01" },
  { inst: "Asunción Business Institute", code: "PY-F2", name: "Jorge Giménez", sex: "male", trainedOn: "2016-02-20" },
];

const CERTIFICATIONS = [
  { inst: "Accra Skills Centre", code: "GH-A1", module: "M1", on: "2015-06-30", expires: "2018-06-30", expert: true },
  { inst: "Accra Skills Centre", code: "GH-A1", module: "M2", on: "2016-02-01", expires: "2019-02-01", expert: true },
  { inst: "Accra Skills Centre", code: "GH-A2", module: "M1", on: "2015-06-30", expires: "2018-06-30", expert: false },
  { inst: "Accra Skills Centre", code: "GH-A4", module: "M2", on: "2014-02-01", expires: "2017-02-01", expert: true },
  { inst: "Tamale Business School", code: "GH-C1", module: "M1", on: "2016-08-01", expires: "2019-08-01", expert: true },
  { inst: "Hanoi SME Centre", code: "VN-D1", module: "M1", on: "2015-03-01", expires: "2018-03-01", expert: true },
  { inst: "Hanoi SME Centre", code: "VN-D2", module: "M1", on: "2015-03-01", expires: "2018-03-01", expert: false },
];

const MOUS = [
  { inst: "Accra Skills Centre", partner: "ILO", on: "2013-01-20", ends: "2017-12-31" },
  { inst: "Accra Skills Centre", partner: "Ministry of Employment", on: "2015-05-01", ends: "" },
  { inst: "Kumasi Training Institute", partner: "ILO", on: "2016-09-01", ends: "" },
  { inst: "Tamale Business School", partner: "ILO", on: "2014-01-05", ends: "2017-12-31" },
  { inst: "Hanoi SME Centre", partner: "ILO", on: "2013-04-01", ends: "" },
  { inst: "Hanoi SME Centre", partner: "VCCI", on: "2014-02-01", ends: "2016-12-31" },
  { inst: "Asunción Business Institute", partner: "ILO", on: "2016-01-10", ends: "" },
];

const SPONSORS = [
  { inst: "Accra Skills Centre", kind: "multi_year_sponsor", funder: "Ghana Cocoa Board", from: "2015-01-01", to: "2017-12-31" },
  { inst: "Accra Skills Centre", kind: "multi_year_sponsor", funder: "Old Sponsor Ltd", from: "2011-01-01", to: "2012-12-31" },
  { inst: "Kumasi Training Institute", kind: "government_budget_line", funder: "Ministry of Trade", from: "2016-01-01", to: "" },
  {
    inst: "Tamale Business School",
    kind: "multi_year_sponsor",
    funder: "GHANA COCOA BOARD",
    from: "2016-01-01",
    to: "2016-12-31",
  },
  { inst: "Hanoi SME Centre", kind: "government_budget_line", funder: "MOLISA", from: "2014-01-01", to: "2015-12-31" },
  { inst: "Hanoi SME Centre", kind: "multi_year_sponsor", funder: "Vietnam Textile Group", from: "2016-07-01", to: "" },
];

const PLANS = [
  { inst: "Accra Skills Centre", period: "2015-2017", on: "2014-11-28" },
  { inst: "Accra Skills Centre", period: "2018-2020", on: "2017-12-01" },
  { inst: "Kumasi Training Institute", period: "2016", on: "2016-08-01" },
  { inst: "Hanoi SME Centre", period: "2016-2018", on: "2016-01-20" },
];

const ENTERPRISES = [
  { inst: "Accra Skills Centre", name: "Tema Garments", size: "medium" },
  { inst: "Accra Skills Centre", name: "Accra Foods", size: "small" },
  { inst: "Hanoi SME Centre", name: "Saigon Shoes", size: "large" },
  { inst: "Asunción Business Institute", name: "Luque Textiles", size: "medium" },
];

/** Amounts as typed, in the institution's currency (cedis with cents; dong and guaraníes whole). */
const CYCLES = [
  // prettier-ignore
  { inst: "Accra Skills Centre", module: "M1", enterprise: "Tema Garments", start: "2015-02-01", end: "2015-05-30", fee: "1500", own: "500", gov: "0", sponsor: "1000", other: "0", ilo: "1500" },
  // prettier-ignore
  { inst: "Accra Skills Centre", module: "M2", enterprise: "Tema Garments", start: "2015-09-01", end: "2016-01-15", fee: "0", own: "0", gov: "1000.50", sponsor: "0", other: "0", ilo: "2000" },
  // prettier-ignore
  { inst: "Accra Skills Centre", module: "M1", enterprise: "Accra Foods", start: "2016-03-01", end: "2016-06-20", fee: "800", own: "0", gov: "0", sponsor: "0", other: "0", ilo: "1200" },
  // prettier-ignore
  { inst: "Accra Skills Centre", module: "M3", enterprise: "Accra Foods", start: "2016-05-01", end: "2016-08-20", fee: "5000", own: "0", gov: "0", sponsor: "0", other: "0", ilo: "0" },
  // prettier-ignore
  { inst: "Accra Skills Centre", module: "M1", enterprise: "Accra Foods", start: "2012-03-01", end: "2012-06-01", fee: "1000", own: "0", gov: "0", sponsor: "0", other: "0", ilo: "0" },
  // prettier-ignore
  { inst: "Hanoi SME Centre", module: "M1", enterprise: "Saigon Shoes", start: "2014-06-01", end: "2014-09-30", fee: "0", own: "5000000", gov: "0", sponsor: "0", other: "10000000", ilo: "30000000" },
  // prettier-ignore
  { inst: "Hanoi SME Centre", module: "M2", enterprise: "Saigon Shoes", start: "2015-10-01", end: "2016-02-28", fee: "20000000", own: "0", gov: "10000000", sponsor: "0", other: "0", ilo: "30000000" },
  // prettier-ignore
  { inst: "Asunción Business Institute", module: "M1", enterprise: "Luque Textiles", start: "2016-02-01", end: "2016-05-31", fee: "0", own: "0", gov: "0", sponsor: "0", other: "0", ilo: "15000000" },
];

/** Targets as the logframe is written: whole indicators, per module, by sex, in words; notes on some. */
const TARGETS: { indicator: string; country: string; dimension?: string; target?: string; text?: string; note?: string }[] = [
  { indicator: "institutions_embedding", country: "GH", target: "2" },
  { indicator: "institutions_embedding", country: "VN", target: "1" },
  { indicator: "institutions_embedding", country: "PY", target: "1" },
  { indicator: "non_ilo_cost_share", country: "GH", target: "45 %", note: "All modules, cycles ended in the phase" },
  { indicator: "non_ilo_cost_share", country: "VN", target: "40" },
  { indicator: "non_ilo_cost_share", country: "PY", target: "20" },
  { indicator: "non_ilo_cost_share", country: "GH", dimension: "M1", target: "60" },
  { indicator: "non_ilo_cost_share", country: "VN", dimension: "M1", target: "30" },
  { indicator: "non_ilo_cost_share", country: "GH", dimension: "M2+M3+M4+M5", target: "30" },
  { indicator: "non_ilo_cost_share", country: "VN", dimension: "m5+m4+m3+m2", target: "50" },
  { indicator: "paying_sponsors", country: "GH", target: "3" },
  { indicator: "paying_sponsors", country: "VN", target: "2" },
  { indicator: "paying_sponsors", country: "PY", target: "0" },
  { indicator: "clusters_selected", country: "GH", target: "3" },
  { indicator: "clusters_selected", country: "VN", target: "2" },
  { indicator: "mous_signed", country: "GH", target: "3" },
  { indicator: "mous_signed", country: "VN", target: "2" },
  { indicator: "mous_signed", country: "PY", target: "0", note: "No MoU was planned before 2017" },
  { indicator: "partner_staff_trained", country: "GH", target: "6" },
  { indicator: "partner_staff_trained", country: "VN", target: "4" },
  { indicator: "partner_staff_trained", country: "PY", target: "2" },
  { indicator: "partner_staff_trained", country: "GH", dimension: "women", target: "3" },
  { indicator: "partner_staff_trained", country: "GH", dimension: "women_share", target: "50" },
  { indicator: "partner_staff_trained", country: "VN", dimension: "women_share", target: "50" },
  { indicator: "partner_staff_trained", country: "VN", dimension: "men", target: "2" },
  { indicator: "business_plans", country: "GH", target: "2" },
  { indicator: "business_plans", country: "VN", target: "1" },
  { indicator: "national_expert_trainers", country: "GH", target: "2" },
  { indicator: "national_expert_trainers", country: "VN", target: "1" },
  { indicator: "national_expert_trainers", country: "GH", dimension: "women_share", target: "40 %" },
  {
    indicator: "centre_of_excellence",
    country: "GH",
    text: "A national centre recognised by the Ministry of Trade",
    note: "Per the 2013 project document",
  },
  { indicator: "centre_of_excellence", country: "VN", target: "yes" },
];

/** Manual actuals, entered on the logframe's form with their evidence. */
const MANUAL = [
  { indicator: "clusters_selected", country: "GH", value: "4", evidence: "https://example.org/gh/clusters-2016.pdf", note: "" },
  {
    indicator: "clusters_selected",
    country: "VN",
    value: "unknown",
    evidence: "Officer's mail of 3 May 2016",
    note: "Survey late",
  },
  { indicator: "centre_of_excellence", country: "GH", value: "yes", evidence: "https://example.org/gh/centre.pdf", note: "" },
  { indicator: "centre_of_excellence", country: "VN", value: "no", evidence: "Mid-term review, p. 12", note: "" },
];

// ---- The app, and what the set-up took ---------------------------------------------------------

const started = securityApp({ DEMO_DATA: "false" });
let s: SecurityApp;
let admin: Client;
const used = { rows: 0, files: 0, posts: 0, uploads: 0, confirmations: 0 };
/** Each import file waits for its dry run and its import, pathways told; a loaded machine takes its time. */
const IMPORT_TIMEOUT = 240_000;

beforeAll(async () => {
  s = await started.start();
});
afterAll(async () => {
  await started.stop();
});

/** A form post from the administrator's browser, counted. */
async function post(path: string, fields: Fields): Promise<Response> {
  used.posts++;
  return admin.post(path, fields);
}

const csvFile = (header: string[], rows: string[][]) => new TextEncoder().encode(toCsv([header, ...rows]));

/**
 * An import through the pages: upload (the dry run), the batch page says it is checked, the
 * import is confirmed, and the page is asked until it says the rows were imported.
 */
async function importFile(
  entity: string,
  header: string[],
  rows: string[][],
  outcome = { created: rows.length, updated: 0 },
): Promise<void> {
  used.files++;
  used.rows += rows.length;
  const form = new FormData();
  form.append("csrf", admin.csrf!);
  form.append("entity", entity);
  form.append("file", new Blob([Buffer.from(csvFile(header, rows))]), `${entity}.csv`);
  used.posts++;
  used.uploads++;
  const upload = await fetch(`${s.url}/import`, { method: "POST", body: form, redirect: "manual", headers: admin.headers() });
  expect(upload.status, entity).toBe(302);
  const location = upload.headers.get("Location")!;
  const checked = await (await admin.get(location)).text();
  expect(checked, `${entity}: ${textOf(checked).slice(0, 3000)}`).toContain('value="import"');
  const id = new URL(location, s.url).searchParams.get("id")!;
  used.confirmations++;
  expect((await post("/import/batch", { id, intent: "import" })).status).toBe(302);
  let html = "";
  for (let i = 0; i < 1800 && !/Imported: \d+ new/.test(html) && !html.includes('class="error-summary"'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    html = await (await admin.get(location)).text();
  }
  expect(textOf(html), entity).toMatch(
    new RegExp(`Imported: ${outcome.created} new, ${outcome.updated} changed, 0 unchanged\\.`),
  );
}

// ---- The figures, worked out here from the rows above ------------------------------------------

const inPhase = (day: string) => day !== "" && day >= PHASE.startsOn && day <= AS_AT;
const byAsAt = (day: string) => day !== "" && day <= AS_AT;

/** Hundredths of a typed amount: "3000.50" → 300050n, "45000000" → 4500000000n. */
const hundredths = (typed: string) => {
  const [whole, frac = ""] = typed.split(".");
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, "0"));
};

/** part ÷ whole in percent, one decimal, half up; null without a whole. */
const percent = (part: bigint, whole: bigint): number | null =>
  whole === 0n ? null : Number((part * 2000n + whole) / (whole * 2n)) / 10;

function stageAt(inst: string, day: string): string | null {
  const reached = HISTORY.filter((h) => h.inst === inst && h.on <= day).sort((a, b) => a.on.localeCompare(b.on));
  return reached.length ? reached[reached.length - 1].stage : null;
}

function costShare(country: string, modules?: string[]): number | null {
  let cost = 0n;
  let nonIlo = 0n;
  for (const c of CYCLES) {
    if (countryOf(c.inst) !== country || !inPhase(c.end) || (modules && !modules.includes(c.module))) continue;
    const paid = [c.fee, c.own, c.gov, c.sponsor, c.other].map(hundredths).reduce((a, b) => a + b, 0n);
    nonIlo += paid;
    cost += paid + hundredths(c.ilo);
  }
  return percent(nonIlo, cost);
}

function people(list: { sex: string }[]) {
  const women = list.filter((t) => t.sex === "female").length;
  return { total: list.length, women, men: list.length - women, share: percent(BigInt(women), BigInt(list.length)) };
}

function trained(country: string) {
  return people(TRAINERS.filter((t) => countryOf(t.inst) === country && inPhase(t.trainedOn)));
}

function experts(country: string) {
  return people(
    TRAINERS.filter((t) => {
      const certs = CERTIFICATIONS.filter((c) => c.inst === t.inst && c.code === t.code);
      return countryOf(t.inst) === country && certs.some((c) => c.expert) && certs.some((c) => byAsAt(c.on));
    }),
  );
}

const institutionsOf = (country: string) => INSTITUTIONS.filter((i) => i.country === country);
const firstOn = (days: string[]) => [...days].sort()[0] ?? "";

type Actual =
  | { kind: "figure"; value: number | null; womenShare?: number | null }
  | { kind: "manual"; value: number | null; state: "none" | "unknown" | "entered" };

function actualOf(indicator: string, dimension: string, country: string): Actual {
  const figure = (value: number | null, womenShare?: number | null): Actual => ({ kind: "figure", value, womenShare });
  const sexPart = (p: ReturnType<typeof people>) =>
    dimension === "women"
      ? figure(p.women)
      : dimension === "men"
        ? figure(p.men)
        : dimension === "women_share"
          ? figure(p.share)
          : figure(p.total, p.share);
  switch (indicator) {
    case "institutions_embedding":
      return figure(
        institutionsOf(country).filter((i) => {
          const stage = stageAt(i.name, AS_AT);
          return i.portfolio && stage !== null && STAGES.indexOf(stage) >= STAGES.indexOf(EMBEDDING_STAGE);
        }).length,
      );
    case "non_ilo_cost_share":
      return figure(costShare(country, dimension ? dimension.replace("module:", "").split("+") : undefined));
    case "paying_sponsors": {
      const funders = SPONSORS.filter(
        (f) => countryOf(f.inst) === country && f.from <= AS_AT && (f.to === "" || f.to >= PHASE.startsOn),
      ).map((f) => f.funder.trim().toLowerCase());
      const payingEnterprises = CYCLES.filter(
        (c) => countryOf(c.inst) === country && inPhase(c.end) && hundredths(c.fee) > 0n,
      ).map((c) => `${c.inst}|${c.enterprise}`);
      return figure(new Set(funders).size + new Set(payingEnterprises).size);
    }
    case "mous_signed":
      return figure(
        institutionsOf(country).filter((i) => byAsAt(firstOn(MOUS.filter((m) => m.inst === i.name).map((m) => m.on)))).length,
      );
    case "business_plans":
      return figure(
        institutionsOf(country).filter((i) => byAsAt(firstOn(PLANS.filter((p) => p.inst === i.name).map((p) => p.on)))).length,
      );
    case "partner_staff_trained":
      return sexPart(trained(country));
    case "national_expert_trainers":
      return sexPart(experts(country));
    default: {
      const m = MANUAL.find((x) => x.indicator === indicator && x.country === country);
      if (!m) return { kind: "manual", value: null, state: "none" };
      if (m.value === "unknown") return { kind: "manual", value: null, state: "unknown" };
      const value = m.value === "yes" ? 1 : m.value === "no" ? 0 : Number(m.value);
      return { kind: "manual", value, state: "entered" };
    }
  }
}

const UNITS: Record<string, "count" | "percent" | "yes_no"> = {
  institutions_embedding: "count",
  non_ilo_cost_share: "percent",
  paying_sponsors: "count",
  clusters_selected: "count",
  mous_signed: "count",
  partner_staff_trained: "count",
  business_plans: "count",
  national_expert_trainers: "count",
  centre_of_excellence: "yes_no",
};
const NAMES: Record<string, string> = {
  institutions_embedding: "Institutions embedding SCORE in their SME service portfolio",
  non_ilo_cost_share: "% of training cost covered by non-ILO resources",
  paying_sponsors: "National institutions or companies sponsoring or paying for SCORE",
  clusters_selected: "Clusters selected",
  mous_signed: "MoUs signed",
  partner_staff_trained: "Partner staff trained",
  business_plans: "Business plans for SCORE training",
  national_expert_trainers: "National expert trainers",
  centre_of_excellence: "National centre of excellence in place",
};
const MANUAL_INDICATORS = ["clusters_selected", "centre_of_excellence"];
const SEX_PARTS = ["women_share", "women", "men"];

/** The target of a cell as the test wrote it into the targets file. */
function targetOf(indicator: string, dimension: string, country: string) {
  const canon = (d = "") =>
    ["women", "men", "women_share"].includes(d) ? d : d ? `module:${d.toUpperCase().split("+").sort().join("+")}` : "";
  const row = TARGETS.find((t) => t.indicator === indicator && t.country === country && canon(t.dimension) === dimension);
  const typed = row?.target?.replace(/\s*%$/, "");
  const value = typed === undefined ? null : typed === "yes" ? 1 : typed === "no" ? 0 : Number(typed);
  return { value, text: row?.text ?? null, note: row?.note ?? "" };
}

interface Expected {
  name: string;
  key: string;
  dimension: string;
  unit: "count" | "percent" | "yes_no";
  cells: {
    country: string;
    target: ReturnType<typeof targetOf>;
    actual: Actual;
    achieved: number | null;
    exceeded: boolean;
  }[];
}

/** The logframe's rows, in order: each indicator, then its parts (sex always for people, modules with a target). */
function expectedRows(): Expected[] {
  const rows: Expected[] = [];
  for (const key of Object.keys(NAMES)) {
    const modules = [
      ...new Set(
        TARGETS.filter((t) => t.indicator === key && t.dimension && !SEX_PARTS.includes(t.dimension)).map(
          (t) => `module:${t.dimension!.toUpperCase().split("+").sort().join("+")}`,
        ),
      ),
    ].sort();
    const parts = ["partner_staff_trained", "national_expert_trainers"].includes(key) ? SEX_PARTS : [];
    for (const dimension of ["", ...parts, ...modules]) {
      const unit = dimension === "women_share" ? "percent" : UNITS[key];
      const name =
        dimension === ""
          ? NAMES[key]
          : dimension === "women_share"
            ? `${NAMES[key]}: % women`
            : dimension.startsWith("module:")
              ? `${NAMES[key]}: ${dimension.includes("+") ? "modules" : "module"} ${dimension.slice(7).split("+").join(", ")}`
              : `${NAMES[key]}: ${dimension}`;
      rows.push({
        name,
        key,
        dimension,
        unit,
        cells: COUNTRIES.map(({ code }) => {
          const target = targetOf(key, dimension, code);
          const actual = actualOf(key, dimension, code);
          const a = actual.value;
          const t = target.value;
          return {
            country: code,
            target,
            actual,
            achieved: a === null || t === null || t <= 0 ? null : Math.round((a / t) * 1000) / 10,
            exceeded: t === 0 && a !== null && a > 0,
          };
        }),
      });
    }
  }
  return rows;
}

// ---- How the logframe words a figure in English ------------------------------------------------

const num = (n: number) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 }).format(n);
const pct = (n: number) => new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 }).format(n / 100);
const figureWords = (unit: string, v: number | null) =>
  v === null ? "–" : unit === "yes_no" ? (v > 0 ? "yes" : "no") : unit === "percent" ? pct(v) : num(v);

function words(row: Expected, cell: Expected["cells"][number]) {
  const a = cell.actual;
  const actual =
    a.kind === "manual" && a.state === "none"
      ? "not entered"
      : a.kind === "manual" && a.state === "unknown"
        ? "unknown"
        : a.kind === "figure" && a.womenShare != null
          ? `${figureWords(row.unit, a.value)} (${pct(a.womenShare)} women)`
          : figureWords(row.unit, a.value);
  return {
    target: cell.target.text ? `${cell.target.text} (qualitative)` : figureWords(row.unit, cell.target.value),
    actual,
    achieved: cell.exceeded ? "exceeded" : cell.achieved === null ? "–" : pct(cell.achieved),
  };
}

/** The same cell in a CSV or XLSX file: numbers as numbers (percent rounded to 1 decimal), words where a figure is not a number. */
function fileValues(row: Expected, cell: Expected["cells"][number]) {
  const w = words(row, cell);
  const a = cell.actual;
  const round = (v: number) => Number(v.toFixed(row.unit === "percent" ? 1 : 2));
  return {
    target: cell.target.text
      ? w.target
      : cell.target.value === null
        ? null
        : row.unit === "yes_no"
          ? w.target
          : round(cell.target.value),
    actual:
      a.kind === "manual" && a.state !== "entered"
        ? a.state === "unknown"
          ? "unknown"
          : null
        : a.value === null
          ? null
          : row.unit === "yes_no"
            ? w.actual
            : round(a.value),
    achieved: cell.exceeded ? "exceeded" : cell.achieved === null ? null : Number(cell.achieved.toFixed(1)),
  };
}

const decode = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const textOf = (html: string) =>
  decode(html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();

// ---- The test ---------------------------------------------------------------------------------

describe("a programme set up from an empty database, through pages and import files only", () => {
  it("the first administrator comes from the one-time link the start printed", async () => {
    const link = /(http:\/\/\S+\/setup\/[\w-]+)/.exec(s.app.output())?.[1];
    expect(link, s.app.output()).toBeDefined();
    used.posts++;
    const made = await fetch(link!, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: ADMIN, name: "Programme Director", password: PASSWORD, confirm: PASSWORD }),
    });
    expect(made.status).toBe(302);
    admin = new Client(s.url);
    used.posts++;
    expect((await admin.signIn(ADMIN, PASSWORD)).status).toBe(302);
  });

  it("a past phase, and a country whose currency has no decimals", async () => {
    expect((await post("/admin/programme", { intent: "phase-create", ...PHASE })).status).toBe(302);
    const country = await post("/admin/programme", { intent: "country-save", code: "PY", name: "Paraguay", currency: "PYG" });
    expect(country.status).toBe(302);
    const html = await (await admin.get("/admin/programme")).text();
    expect(html).toContain(`value="${PHASE.name}"`);
    expect(html).toContain(`value="${PHASE.startsOn}"`);
    const page = textOf(html);
    // Its row says the guaraní has no decimals, in use or in ISO 4217.
    expect(page).toContain("PY Paraguay 0 in use (ISO 4217: 0)");
  });

  it(
    "institutions, then their stage history, backdated",
    async () => {
      await importFile(
        "institutions",
        ["country", "name", "type", "role", "score_in_portfolio"],
        INSTITUTIONS.map((i) => [i.country, i.name, "private_provider", "implementing_partner", i.portfolio ? "yes" : "no"]),
      );
      await importFile(
        "stage_history",
        ["country", "institution", "stage", "reached_on", "decided_by", "note"],
        HISTORY.map((h) => [countryOf(h.inst), h.inst, h.stage, h.on, "officer@ilo.org", ""]),
        // Each institution's first stage dates the start it already has; the later stages are new.
        { created: HISTORY.length - INSTITUTIONS.length, updated: INSTITUTIONS.length },
      );
    },
    IMPORT_TIMEOUT,
  );

  it(
    "trainers and their certifications (national experts among them), MoUs, sponsors, business plans",
    async () => {
      await importFile(
        "trainers",
        ["country", "institution", "trainer_code", "name", "sex", "trained_on"],
        TRAINERS.map((t) => [countryOf(t.inst), t.inst, t.code, t.name, t.sex, t.trainedOn]),
      );
      await importFile(
        "certifications",
        ["country", "institution", "trainer_code", "module", "certified_on", "expires_on", "national_expert"],
        CERTIFICATIONS.map((c) => [countryOf(c.inst), c.inst, c.code, c.module, c.on, c.expires, c.expert ? "yes" : "no"]),
      );
      await importFile(
        "mous",
        ["country", "institution", "partner", "signed_on", "ends_on"],
        MOUS.map((m) => [countryOf(m.inst), m.inst, m.partner, m.on, m.ends]),
      );
      await importFile(
        "sponsors",
        ["country", "institution", "kind", "funder", "starts_on", "ends_on"],
        SPONSORS.map((f) => [countryOf(f.inst), f.inst, f.kind, f.funder, f.from, f.to]),
      );
      await importFile(
        "business_plans",
        ["country", "institution", "period", "approved_on"],
        PLANS.map((p) => [countryOf(p.inst), p.inst, p.period, p.on]),
      );
    },
    IMPORT_TIMEOUT,
  );

  it(
    "enterprises and the training cycles they paid for, in cedis, dong and guaraníes",
    async () => {
      await importFile(
        "enterprises",
        ["country", "institution", "name", "size"],
        ENTERPRISES.map((e) => [countryOf(e.inst), e.inst, e.name, e.size]),
      );
      const header = [
        "country",
        "institution",
        "module",
        "enterprise",
        "started_on",
        "ended_on",
        "visits",
        "managers_female",
        "managers_male",
        "workers_female",
        "workers_male",
        "cost",
        "fund_enterprise_fee",
        "fund_institution_funds",
        "fund_government",
        "fund_sponsor",
        "fund_other_donor",
        "fund_ilo",
        "ilo_staff_involved",
      ];
      await importFile(
        "training_cycles",
        header,
        CYCLES.map((c) => {
          const cost = [c.fee, c.own, c.gov, c.sponsor, c.other, c.ilo].map(hundredths).reduce((a, b) => a + b, 0n);
          const typed = cost % 100n === 0n ? String(cost / 100n) : `${cost / 100n}.${String(cost % 100n).padStart(2, "0")}`;
          return [
            countryOf(c.inst),
            c.inst,
            c.module,
            c.enterprise,
            c.start,
            c.end,
            "4",
            "1",
            "2",
            "10",
            "8",
            typed,
            c.fee,
            c.own,
            c.gov,
            c.sponsor,
            c.other,
            c.ilo,
            "yes",
          ];
        }),
      );
    },
    IMPORT_TIMEOUT,
  );

  it(
    "the phase's definition of embedding SCORE, targets as written, and the manual actuals",
    async () => {
      const settings = await post("/admin/programme", {
        intent: "phase-settings",
        key: PHASE.key,
        embeddingStage: EMBEDDING_STAGE,
        embeddingPortfolioFlag: "on",
      });
      expect(settings.status).toBe(302);
      await importFile(
        "targets",
        ["indicator_key", "country", "phase_key", "dimension", "target", "target_text", "note"],
        TARGETS.map((t) => [t.indicator, t.country, PHASE.key, t.dimension ?? "", t.target ?? "", t.text ?? "", t.note ?? ""]),
      );
      for (const m of MANUAL) {
        const res = await post(`/logframe/edit?phase=${PHASE.key}&country=${m.country}&indicator=${m.indicator}`, {
          intent: "actual",
          value: m.value,
          valueText: "",
          evidence: m.evidence,
          note: m.note,
        });
        expect(res.status, `${m.indicator} ${m.country}`).toBe(302);
      }
      console.log(`programme set-up: ${used.rows} rows in ${used.files} files, ${used.posts} form posts`);
      console.log(
        `programme set-up, form posts: ${used.uploads} file uploads, ${used.confirmations} import confirmations, ` +
          `${used.posts - used.uploads - used.confirmations} other forms (set-up link, sign-in, phase, country, indicator definition, manual actuals)`,
      );
    },
    IMPORT_TIMEOUT,
  );

  const query = `phase=${PHASE.key}&asAt=${AS_AT}`;
  const rows = expectedRows();

  it("the expected logframe is not trivial: every kind of cell is in it", () => {
    const cells = rows.flatMap((r) => r.cells.map((c) => ({ r, c })));
    expect(rows).toHaveLength(9 + 3 + 3 + 2);
    expect(cells.some(({ c }) => c.exceeded)).toBe(true);
    expect(cells.some(({ c }) => c.actual.kind === "manual" && c.actual.state === "unknown")).toBe(true);
    expect(cells.some(({ c }) => c.target.text !== null)).toBe(true);
    expect(cells.some(({ r, c }) => r.unit === "percent" && c.actual.value !== null && !Number.isInteger(c.actual.value))).toBe(
      true,
    );
    expect(cells.filter(({ c }) => c.achieved !== null).length).toBeGreaterThan(20);
  });

  it("the page, as at a day inside the phase, shows every cell as computed here", async () => {
    const res = await admin.get(`/logframe?${query}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-as-at="${AS_AT}"`);
    expect(textOf(html)).toContain("30 Jun 2016");
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)![1];
    expect([...head.matchAll(/class="country-head">([^<]+)</g)].map((m) => m[1])).toEqual(COUNTRIES.map((c) => c.name));
    const trs = [...html.matchAll(/<tr data-indicator="([^"]+)"(?: data-dimension="([^"]+)")?[^>]*>([\s\S]*?)<\/tr>/g)];
    expect(trs.map((m) => `${m[1]}|${decode(m[2] ?? "")}`)).toEqual(rows.map((r) => `${r.key}|${r.dimension}`));
    trs.forEach((m, i) => {
      const row = rows[i];
      expect(textOf(/<th scope="row">([\s\S]*?)<\/th>/.exec(m[3])![1])).toContain(row.name);
      for (const cell of row.cells) {
        const td = (kind: string) =>
          new RegExp(`<td[^>]*data-country="${cell.country}" data-cell="${kind}"[^>]*>([\\s\\S]*?)</td>`).exec(m[3])![1];
        const w = words(row, cell);
        const where = `${row.key}|${row.dimension}|${cell.country}`;
        // The target is the cell's first text; the note (when there is one) follows it.
        expect(decode(/^([^<]*)/.exec(td("target"))![1]).trim(), `${where} target`).toBe(w.target);
        if (cell.target.note) expect(textOf(td("target")), `${where} note`).toContain(cell.target.note);
        expect(textOf(/<a [^>]*>([\s\S]*?)<\/a>/.exec(td("actual"))![1]), `${where} actual`).toBe(w.actual);
        expect(textOf(td("achieved")), `${where} achieved`).toBe(w.achieved);
      }
    });
    for (const m of MANUAL) expect(decode(html)).toContain(m.evidence);
  });

  it("the CSV holds the same figures, as numbers, with the notes and the evidence", async () => {
    const res = await admin.get(`/logframe.csv?${query}`);
    expect(res.status).toBe(200);
    const table = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const [header, ...lines] = table.filter((l) => l.some((c) => c !== ""));
    expect(header[0]).toContain(AS_AT);
    expect(header.slice(1, 10)).toEqual(
      COUNTRIES.flatMap((c) => [`${c.name} – Target`, `${c.name} – Actual`, `${c.name} – % achieved`]),
    );
    expect(lines).toHaveLength(rows.length);
    const asCsv = (v: string | number | null) => (v === null ? "" : String(v));
    rows.forEach((row, i) => {
      const line = lines[i];
      expect(line[0]).toBe(MANUAL_INDICATORS.includes(row.key) ? `${row.name} (manual)` : row.name);
      row.cells.forEach((cell, j) => {
        const v = fileValues(row, cell);
        const where = `${row.key}|${row.dimension}|${cell.country}`;
        expect(line.slice(1 + j * 3, 4 + j * 3), where).toEqual([asCsv(v.target), asCsv(v.actual), asCsv(v.achieved)]);
        const notes = line.slice(1 + COUNTRIES.length * 3 + j * 3, 4 + COUNTRIES.length * 3 + j * 3);
        const manual = MANUAL.find((m) => m.indicator === row.key && m.country === cell.country && row.dimension === "");
        expect(notes, `${where} notes`).toEqual([cell.target.note, manual?.evidence ?? "", manual?.note ?? ""]);
      });
    });
  });

  it("the XLSX holds the same figures, percentages as fractions formatted as percent, without float noise", async () => {
    const res = await admin.get(`/logframe.xlsx?${query}`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(String(ws.getCell("A2").value)).toContain("30 Jun 2016");
    rows.forEach((row, i) => {
      const r = ws.getRow(6 + i);
      expect(r.getCell(1).value).toBe(MANUAL_INDICATORS.includes(row.key) ? `${row.name} (manual)` : row.name);
      row.cells.forEach((cell, j) => {
        const v = fileValues(row, cell);
        const where = `${row.key}|${row.dimension}|${cell.country}`;
        const fraction = (x: string | number | null, isPercent: boolean) =>
          typeof x === "number" && isPercent ? Number((x / 100).toFixed(3)) : x;
        const a = cell.actual;
        const notEntered = a.kind === "manual" && a.state === "none";
        const got = [2, 3, 4].map((k) => r.getCell(2 + j * 3 + (k - 2)).value ?? null);
        expect(got, where).toEqual([
          fraction(v.target, row.unit === "percent"),
          notEntered ? "not entered" : fraction(v.actual, row.unit === "percent"),
          fraction(v.achieved, true),
        ]);
      });
    });
    const notes = wb.worksheets[1].getSheetValues().slice(2) as unknown[][];
    const noted = notes.map((n) =>
      n
        .slice(1)
        .map((x) => x ?? "")
        .join("|"),
    );
    for (const t of TARGETS.filter((x) => x.note))
      expect(
        noted.some((n) => n.includes(t.note!)),
        t.note,
      ).toBe(true);
    for (const m of MANUAL)
      expect(
        noted.some((n) => n.includes(m.evidence)),
        m.evidence,
      ).toBe(true);
  });

  it("the PDF says the same, row by row, in order, with the notes and evidence", async () => {
    const res = await admin.get(`/logframe.pdf?${query}`);
    expect(res.status).toBe(200);
    const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
    const { text } = await extractText(pdf, { mergePages: true });
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("30 Jun 2016");
    // Every row's name and its nine cells, in the order the table draws them.
    let at = flat.indexOf("Indicator");
    expect(at).toBeGreaterThanOrEqual(0);
    for (const row of rows) {
      const name = MANUAL_INDICATORS.includes(row.key) ? `${row.name} (manual)` : row.name;
      for (const piece of [name, ...row.cells.flatMap((c) => Object.values(words(row, c)))]) {
        const next = flat.indexOf(piece.replace(/\s+/g, " "), at);
        expect(next, `${row.key}|${row.dimension}: “${piece}” after …${flat.slice(at, at + 80)}`).toBeGreaterThanOrEqual(0);
        at = next + piece.length;
      }
    }
    for (const t of TARGETS.filter((x) => x.note)) expect(flat).toContain(t.note);
    for (const m of MANUAL) expect(flat).toContain(m.evidence);
  });
});
