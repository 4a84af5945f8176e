import type { AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import { sql, type Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as csvLoader } from "../../app/routes/logframe[.]csv";
import { loader as pdfLoader } from "../../app/routes/logframe[.]pdf";
import { loader as xlsxLoader } from "../../app/routes/logframe[.]xlsx";
import { loader as logframeLoader } from "../../app/routes/logframe._index";
import { action as editAction, loader as editLoader } from "../../app/routes/logframe.edit";
import { loader as recordsLoader } from "../../app/routes/logframe.records";
import { loader as totalsLoader } from "../../app/routes/totals";
import { translatorFor } from "../../app/i18n/server";
import { parseConfig } from "../../app/platform/config";
import { createInstitution } from "../../db/queries/institutions";
import { recordTransition } from "../../db/queries/transitions";
import type { Database } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { DEMO_MANUAL_ACTUALS } from "../../db/seed-indicators";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";

/**
 * The logframe on a real PostgreSQL server with the demo data: indicators computed from seeded
 * records and checked against the database by independent SQL, a phase whose last day decides
 * what counts, access by role, the target and manual-actual forms, and the three exports read back.
 */

const NEVER_TEMPORAL = new Proxy(
  {},
  {
    get: (_t, p) => {
      throw new Error(`The logframe asked Temporal for ${String(p)}`);
    },
  },
);

let handle: TestDb;
let db: Kysely<Database>;
let manager: TestSession;
let viewer: TestSession;
let officerGH: TestSession;
let reporter: TestSession;
const now = new Date();
const TEST_PHASE = { key: "test-2030", name: "Test phase 2030", starts_on: "2030-01-01", ends_on: "2030-12-31" };

const context = () =>
  ({
    db,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  }) as unknown as AppLoadContext;
const get = (path: string, s: TestSession) => new Request(`http://test${path}`, { headers: { Cookie: s.cookie } });
async function status(p: Promise<Response>): Promise<number> {
  try {
    return (await p).status;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}
async function logframe(query: string, s = manager) {
  const res = await logframeLoader({ request: get(`/logframe${query}`, s), params: {}, context: context() });
  return (await res.json()).data as unknown as Logframe;
}
type Cell = {
  country: string;
  target: number | null;
  value: number | null;
  manual: boolean;
  entered: boolean;
  recordCount: number;
  achieved: number | null;
  women: { count: number; percent: number | null } | null;
};
type Row = { key: string; cells: Cell[] };
type Logframe = { phase: { key: string }; countries: { code: string; name: string }[]; rows: Row[]; canEdit: boolean };
const cellOf = (data: { rows: Row[] }, key: string, country: string) =>
  data.rows.find((r) => r.key === key)!.cells.find((c) => c.country === country)!;
async function post(path: string, s: TestSession, fields: Record<string, string>) {
  const req = await asSession(
    new Request(`http://test${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    }),
    s,
  );
  try {
    return await editAction({ request: req, params: {}, context: context() });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

let phase4 = { starts_on: "", ends_on: "" };

beforeAll(async () => {
  handle = await createTestDb("postgres");
  db = handle.db;
  await seedDemoData(db, now);
  await db.insertInto("programme_phases").values(TEST_PHASE).execute();
  manager = await signInAs(db, "programme_manager");
  viewer = await signInAs(db, "viewer");
  officerGH = await signInAs(db, "ilo_officer", { countries: ["GH"] });
  const inst = await db.selectFrom("institutions").select("id").where("country_code", "=", "GH").executeTakeFirstOrThrow();
  reporter = await signInAs(db, "institution_reporter", { institutionId: inst.id });
  const p = await db
    .selectFrom("programme_phases")
    .select(["starts_on", "ends_on"])
    .where("key", "=", "phase-4")
    .executeTakeFirstOrThrow();
  phase4 = { starts_on: String(p.starts_on), ends_on: String(p.ends_on) };
});
afterAll(async () => {
  await handle?.close();
});

describe("indicators computed from the seeded records", () => {
  it("match independent SQL over the same records, country by country", async () => {
    const data = await logframe("?phase=phase-4");
    expect(data.phase.key).toBe("phase-4");
    const countries: string[] = data.countries.map((c: { code: string }) => c.code);
    expect(countries.length).toBeGreaterThanOrEqual(5);
    const end = phase4.ends_on;
    for (const country of countries) {
      const mous = await db
        .selectFrom("institutions")
        .select("id")
        .where("country_code", "=", country)
        .where("mou_signed_on", "<=", end)
        .execute();
      expect(cellOf(data, "mous_signed", country).value).toBe(mous.length);
      const plans = await db
        .selectFrom("institutions")
        .select("id")
        .where("country_code", "=", country)
        .where("business_plan_adopted_on", "<=", end)
        .execute();
      expect(cellOf(data, "business_plans", country).value).toBe(plans.length);
      const trained = await db
        .selectFrom("trainers as t")
        .innerJoin("institutions as i", "i.id", "t.institution_id")
        .select(["t.sex"])
        .where("i.country_code", "=", country)
        .where("t.trained_on", ">=", phase4.starts_on)
        .where("t.trained_on", "<=", end)
        .execute();
      const staff = cellOf(data, "partner_staff_trained", country);
      expect(staff.value).toBe(trained.length);
      expect(staff.women!.count).toBe(trained.filter((t) => t.sex === "female").length);
      const share = await sql<{ cost: string | null; ilo: string | null; n: string }>`
        select sum(c.cost_minor)::text as cost, sum(c.fund_ilo)::text as ilo, count(*)::text as n
        from training_cycles c join institutions i on i.id = c.institution_id
        where i.country_code = ${country} and c.ended_on between ${phase4.starts_on} and ${end}`.execute(db);
      const s = share.rows[0];
      const cs = cellOf(data, "non_ilo_cost_share", country);
      expect(cs.recordCount).toBe(Number(s.n));
      if (Number(s.n) === 0) expect(cs.value).toBeNull();
      else expect(cs.value).toBeCloseTo(((Number(s.cost) - Number(s.ilo)) / Number(s.cost)) * 100, 1);
      const embedding = await sql<{ n: string }>`
        select count(*)::text as n from institutions i
        where i.country_code = ${country}
          and (select t.to_stage from stage_transitions t where t.institution_id = i.id and t.occurred_at < (${end}::date + 1)
               order by t.occurred_at desc limit 1) in ('cost_recovery', 'independent')`.execute(db);
      expect(cellOf(data, "institutions_embedding", country).value).toBe(Number(embedding.rows[0].n));
    }
    // The demo data has cycles, trainers and MoUs in this phase: the checks above compared real figures.
    expect(data.rows.find((r: Row) => r.key === "mous_signed")!.cells.some((c: Cell) => (c.value ?? 0) > 0)).toBe(true);
    expect(data.rows.find((r: Row) => r.key === "non_ilo_cost_share")!.cells.some((c: Cell) => c.value !== null)).toBe(true);
  });

  it("shows the seeded targets, the manual actual with evidence marked manual, and % achieved", async () => {
    const data = await logframe("?phase=phase-4");
    const demo = DEMO_MANUAL_ACTUALS[0];
    const coe = cellOf(data, demo.indicator_key, demo.country);
    expect(coe).toMatchObject({ manual: true, entered: true, value: demo.value, target: 1, achieved: 100 });
    const notEntered = cellOf(data, "centre_of_excellence", "PE");
    expect(notEntered).toMatchObject({ manual: true, entered: false, value: null, achieved: null });
    const target = await db
      .selectFrom("indicator_targets")
      .select("target")
      .where("indicator_key", "=", "mous_signed")
      .where("country", "=", "GH")
      .where("phase_key", "=", "phase-4")
      .executeTakeFirstOrThrow();
    const mous = cellOf(data, "mous_signed", "GH");
    expect(mous.target).toBe(Number(target.target));
    expect(mous.achieved).toBe(Math.round((mous.value! / mous.target!) * 1000) / 10);
  });

  it("counts by the phase's last day: an advance kept, a slip back on the last day, a cycle on the last day and one the day after", async () => {
    const before = await logframe(`?phase=${TEST_PHASE.key}`);
    const baseline = cellOf(before, "institutions_embedding", "BO").value!;
    const kept = randomUUID();
    const slipped = randomUUID();
    for (const [id, name] of [
      [kept, "Kept Stage Institute"],
      [slipped, "Slipped Back Institute"],
    ] as const)
      await createInstitution(
        db,
        { id, name, type: "private_provider", role: "implementing_partner", countryCode: "BO" },
        "test",
        new Date("2030-01-10T09:00:00Z"),
      );
    const move = (institutionId: string, fromStage: string, toStage: string, kind: "advance" | "slip_back", at: string) =>
      recordTransition(db, {
        id: randomUUID(),
        institutionId,
        fromStage,
        toStage,
        kind,
        reason: "test",
        decidedBy: "test",
        at: new Date(at),
      });
    await move(kept, "engaged", "cost_recovery", "advance", "2030-06-01T10:00:00Z");
    await move(kept, "cost_recovery", "certification", "slip_back", "2031-01-01T00:30:00Z"); // the first day after: still counts
    await move(slipped, "engaged", "cost_recovery", "advance", "2030-03-01T10:00:00Z");
    await move(slipped, "cost_recovery", "certification", "slip_back", "2030-12-31T23:00:00Z"); // the last day: no longer counts
    const enterprise = randomUUID();
    await db
      .insertInto("enterprises")
      .values({
        id: enterprise,
        institution_id: kept,
        name: "Boundary Textiles",
        size: "small",
        sector: "textiles",
        workers_female: 30,
        workers_male: 10,
      })
      .execute();
    const cycle = (id: string, endedOn: string, fee: number, ilo: number) => ({
      id,
      institution_id: kept,
      module_code: "M1",
      enterprise_id: enterprise,
      started_on: "2030-10-01",
      ended_on: endedOn,
      visits: 3,
      managers_female: 1,
      managers_male: 1,
      workers_female: 2,
      workers_male: 0,
      currency: "BOB",
      cost_minor: fee + ilo,
      fund_enterprise_fee: fee,
      fund_institution_funds: 0,
      fund_government: 0,
      fund_sponsor: 0,
      fund_other_donor: 0,
      fund_ilo: ilo,
      ilo_staff_involved: false,
      source_report_id: null,
    });
    const lastDay = randomUUID();
    await db
      .insertInto("training_cycles")
      .values([cycle(lastDay, "2030-12-31", 60_000, 40_000), cycle(randomUUID(), "2031-01-01", 0, 100_000)])
      .execute();

    const after = await logframe(`?phase=${TEST_PHASE.key}`);
    expect(cellOf(after, "institutions_embedding", "BO").value).toBe(baseline + 1);
    const share = cellOf(after, "non_ilo_cost_share", "BO");
    expect(share.value).toBe(60);
    expect(share.recordCount).toBe(1);
    expect(cellOf(after, "paying_sponsors", "BO").value).toBeGreaterThanOrEqual(1);

    // One click away: the records behind the embedding count name the kept institution, not the slipped one.
    const res = await recordsLoader({
      request: get(`/logframe/records?phase=${TEST_PHASE.key}&country=BO&indicator=institutions_embedding`, manager),
      params: {},
      context: context(),
    });
    const records = (await res.json()).records as { id: string; type: string }[];
    expect(records.length).toBe(baseline + 1);
    expect(records.map((r) => r.id)).toContain(kept);
    expect(records.map((r) => r.id)).not.toContain(slipped);
    const cycles = await recordsLoader({
      request: get(`/logframe/records?phase=${TEST_PHASE.key}&country=BO&indicator=non_ilo_cost_share`, manager),
      params: {},
      context: context(),
    });
    expect(((await cycles.json()).records as { id: string }[]).map((r) => r.id)).toEqual([lastDay]);

    // Programme totals for the same phase see the same cycle, by sex.
    const totals = await (
      await totalsLoader({ request: get(`/totals?phase=${TEST_PHASE.key}`, manager), params: {}, context: context() })
    ).json();
    const bo = totals.data!.countries.find((c: { code: string }) => c.code === "BO")!;
    const boInstitutions = await db.selectFrom("institutions").select("id").where("country_code", "=", "BO").execute();
    // Every Bolivian institution was on the pathway by 2030; no demo trainer was trained in 2030.
    expect(bo.totals).toMatchObject({
      institutions: boInstitutions.length,
      trainersTrainedFemale: 0,
      trainersTrainedMale: 0,
      enterprises: 1,
      visits: 3,
      managersFemale: 1,
      managersMale: 1,
      workersFemale: 2,
      workersMale: 0,
      workersEmployedFemale: 30,
      workersEmployedMale: 10,
    });
  });
});

describe("who sees the logframe", () => {
  it("refuses institution reporters (403) on the page, the records and every export", async () => {
    for (const p of [
      () => logframeLoader({ request: get("/logframe", reporter), params: {}, context: context() }),
      () =>
        recordsLoader({
          request: get("/logframe/records?phase=phase-4&country=GH&indicator=mous_signed", reporter),
          params: {},
          context: context(),
        }),
      () => csvLoader({ request: get("/logframe.csv?phase=phase-4", reporter), params: {}, context: context() }),
      () => xlsxLoader({ request: get("/logframe.xlsx?phase=phase-4", reporter), params: {}, context: context() }),
      () => pdfLoader({ request: get("/logframe.pdf?phase=phase-4", reporter), params: {}, context: context() }),
      () => totalsLoader({ request: get("/totals?phase=phase-4", reporter), params: {}, context: context() }),
    ])
      expect(await status(p())).toBe(403);
  });

  it("shows an ILO officer every country, as the institutions' own pages do, read-only", async () => {
    const data = await logframe("?phase=phase-4", officerGH);
    expect(data.countries.map((c: { code: string }) => c.code)).toContain("VN");
    expect(data.canEdit).toBe(false);
    expect(
      await status(
        recordsLoader({
          request: get("/logframe/records?phase=phase-4&country=VN&indicator=mous_signed", officerGH),
          params: {},
          context: context(),
        }),
      ),
    ).toBe(200);
    expect(
      await status(
        recordsLoader({
          request: get("/logframe/records?phase=phase-4&country=GH&indicator=mous_signed", officerGH),
          params: {},
          context: context(),
        }),
      ),
    ).toBe(200);
  });

  it("answers 404 to an unknown phase, and lets viewers read but not edit", async () => {
    expect(await status(logframeLoader({ request: get("/logframe?phase=nope", manager), params: {}, context: context() }))).toBe(
      404,
    );
    expect((await logframe("?phase=phase-4", viewer)).canEdit).toBe(false);
    expect(
      await status(
        editLoader({
          request: get("/logframe/edit?phase=phase-4&country=GH&indicator=mous_signed", viewer),
          params: {},
          context: context(),
        }),
      ),
    ).toBe(403);
    const res = await post("/logframe/edit?phase=phase-4&country=GH&indicator=mous_signed", viewer, {
      intent: "target",
      target: "9",
      targetNote: "",
    });
    expect(res.status).toBe(403);
  });
});

describe("setting targets and manual actuals", () => {
  const targetOf = () =>
    db
      .selectFrom("indicator_targets")
      .select(["target", "note"])
      .where("indicator_key", "=", "business_plans")
      .where("country", "=", "PE")
      .where("phase_key", "=", "phase-4")
      .execute();
  const manualOf = () =>
    db
      .selectFrom("indicator_manual_actuals")
      .selectAll()
      .where("indicator_key", "=", "clusters_selected")
      .where("country", "=", "PE")
      .where("phase_key", "=", "phase-4")
      .execute();
  const url = (indicator: string) => `/logframe/edit?phase=phase-4&country=PE&indicator=${indicator}`;

  it("refuses a bad target with its error next to the field (400) and writes nothing", async () => {
    const before = await targetOf();
    const res = await post(url("business_plans"), manager, { intent: "target", target: "lots", targetNote: "" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.state.errors.target).toBe("Enter a number of zero or more.");
    expect(body.state.values.target).toBe("lots");
    expect(await targetOf()).toEqual(before);
  });

  it("saves a target by its natural key: saving twice leaves one row", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(url("business_plans"), manager, {
        intent: "target",
        target: "4,5",
        targetNote: "Revised at mid-term",
      });
      expect(res.status).toBe(302);
    }
    expect(await targetOf()).toEqual([{ target: "4.5", note: "Revised at mid-term" }]);
    expect(cellOf(await logframe("?phase=phase-4"), "business_plans", "PE").target).toBe(4.5);
  });

  it("refuses a manual actual without evidence or with a bad value (400, both errors), with nothing written", async () => {
    const res = await post(url("clusters_selected"), manager, { intent: "actual", value: "-2", evidence: "", note: "" });
    expect(res.status).toBe(400);
    const { state } = await res.json();
    expect(state.errors.value).toBe("Enter a number of zero or more.");
    expect(state.errors.evidence).toBe("Give a link or a reference to the evidence (3 to 500 characters).");
    const script = await post(url("clusters_selected"), manager, {
      intent: "actual",
      value: "2",
      evidence: "javascript:alert(1)",
      note: "",
    });
    expect(script.status).toBe(400);
    expect(await manualOf()).toEqual([]);
  });

  it("saves a manual actual with its evidence, once; the logframe marks it manual", async () => {
    for (let i = 0; i < 2; i++)
      expect(
        (
          await post(url("clusters_selected"), manager, {
            intent: "actual",
            value: "2",
            evidence: "https://example.org/clusters.pdf",
            note: "",
          })
        ).status,
      ).toBe(302);
    const rows = await manualOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ value: "2", evidence: "https://example.org/clusters.pdf", entered_by: manager.userId });
    expect(cellOf(await logframe("?phase=phase-4"), "clusters_selected", "PE")).toMatchObject({
      manual: true,
      entered: true,
      value: 2,
    });
    // A computed indicator takes no manual actual.
    expect(
      (await post(url("mous_signed"), manager, { intent: "actual", value: "2", evidence: "https://example.org/x" })).status,
    ).toBe(400);
  });

  it("changes the embedding stage, and refuses a stage the pathway does not have", async () => {
    const before = cellOf(await logframe("?phase=phase-4"), "institutions_embedding", "GH").value!;
    expect((await post("/logframe/edit?phase=phase-4", manager, { intent: "settings", embeddingStage: "engaged" })).status).toBe(
      302,
    );
    const all = await db.selectFrom("institutions").select("id").where("country_code", "=", "GH").execute();
    expect(cellOf(await logframe("?phase=phase-4"), "institutions_embedding", "GH").value).toBe(all.length);
    expect((await post("/logframe/edit?phase=phase-4", manager, { intent: "settings", embeddingStage: "heaven" })).status).toBe(
      400,
    );
    expect(
      (await post("/logframe/edit?phase=phase-4", manager, { intent: "settings", embeddingStage: "cost_recovery" })).status,
    ).toBe(302);
    expect(cellOf(await logframe("?phase=phase-4"), "institutions_embedding", "GH").value).toBe(before);
  });
});

describe("the exports", () => {
  const file = async (loader: typeof csvLoader, path: string, s = manager) => {
    const res = await loader({ request: get(path, s), params: {}, context: context() });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it("CSV: one header row like the page's and a row per indicator, figures as numbers", async () => {
    const { res, bytes } = await file(csvLoader, "/logframe.csv?phase=phase-4");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="logframe-phase-4.csv"');
    const lines = bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toContain("Ghana – Target,Ghana – Actual,Ghana – % achieved");
    // Nine indicators, and under each of the two people indicators the share of women, the women and the men.
    expect(lines).toHaveLength(16);
    const data = await logframe("?phase=phase-4");
    const ghIndex = data.countries.findIndex((c: { code: string }) => c.code === "GH");
    const mous = lines.find((l) => l.startsWith("MoUs signed,"))!.split(",");
    expect(Number(mous[1 + ghIndex * 3 + 1])).toBe(cellOf(data, "mous_signed", "GH").value);
    expect(lines.some((l) => l.startsWith("National centre of excellence in place (manual),"))).toBe(true);
    const staff = cellOf(data, "partner_staff_trained", "GH");
    const women = lines[lines.findIndex((l) => l.startsWith("Partner staff trained,")) + 1].split(",");
    expect(women[0]).toBe("Partner staff trained: % women");
    expect(women[1 + ghIndex * 3 + 1]).toBe(staff.women!.percent === null ? "" : String(staff.women!.percent));
  });

  it("XLSX: numbers as numbers under two header rows, frozen panes, in the user's language", async () => {
    await db.updateTable("users").set({ locale: "es" }).where("id", "=", manager.userId).execute();
    try {
      const { res, bytes } = await file(xlsxLoader, "/logframe.xlsx?phase=phase-4");
      expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="logframe-phase-4.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as never);
      const ws = wb.worksheets[0];
      expect(ws.views[0]).toMatchObject({ state: "frozen", xSplit: 1, ySplit: 5 });
      expect(ws.getCell("A1").value).toBe("Marco lógico: Phase IV");
      expect(ws.getRow(4).getCell(1).value).toBe("Indicador");
      const data = await logframe("?phase=phase-4");
      const gh = 2 + data.countries.findIndex((c: { code: string }) => c.code === "GH") * 3;
      expect(ws.getRow(4).getCell(gh).value).toBe("Ghana");
      expect([1, 2, 3].map((k) => ws.getRow(5).getCell(gh + k - 1).value)).toEqual(["Meta", "Resultado", "% logrado"]);
      const row = (name: string) => ws.getRows(6, 20)!.find((r) => String(r.getCell(1).value).startsWith(name))!;
      const mous = cellOf(data, "mous_signed", "GH");
      expect(row("Memorandos de entendimiento firmados").getCell(gh + 1).value).toBe(mous.value);
      expect(row("Memorandos de entendimiento firmados").getCell(gh).value).toBe(mous.target);
      const share = cellOf(data, "non_ilo_cost_share", "GH");
      const shareCell = row("% del costo").getCell(gh + 1);
      if (share.value !== null) {
        expect(shareCell.value).toBeCloseTo(share.value / 100, 6);
        expect(shareCell.numFmt).toBe("0.0%");
      }
      expect(String(row("Centro nacional de excelencia").getCell(1).value)).toContain("(manual)");
      const staff = cellOf(data, "partner_staff_trained", "GH");
      const women = row("Personal de las instituciones socias formado: % mujeres").getCell(gh + 1);
      if (staff.women!.percent !== null) expect(women.value).toBeCloseTo(staff.women!.percent / 100, 6);
    } finally {
      await db.updateTable("users").set({ locale: null }).where("id", "=", manager.userId).execute();
    }
  });

  it("PDF: landscape A4 with title, phase, date, indicator names, figures and the manual mark", async () => {
    const { res, bytes } = await file(pdfLoader, "/logframe.pdf?phase=phase-4");
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="logframe-phase-4.pdf"');
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const page = await pdf.getPage(1);
    const [, , w, h] = page.view;
    expect(w).toBeGreaterThan(h);
    expect(Math.round(w)).toBe(842);
    const { text, totalPages } = await extractText(pdf, { mergePages: false });
    const all = (text as string[]).join("\n");
    expect(all).toContain("Logframe: Phase IV");
    expect(all).toContain("1 Jan 2025 – 31 Dec 2027");
    expect(all).toContain("MoUs signed");
    expect(all).toContain("National centre of excellence in place (manual)");
    expect(all).toContain("% achieved");
    // The header is repeated on every page the table runs onto.
    // (The notes and evidence after the tables may take a page of their own.)
    for (const p of text as string[]) if (!p.startsWith("Notes and evidence")) expect(p).toContain("Indicator");
    expect(totalPages).toBeGreaterThanOrEqual(1);
    const data = await logframe("?phase=phase-4");
    for (const c of data.countries) expect(all).toContain(c.name);
    // The figures: each country's cost share as the page words it.
    const en = translatorFor("en");
    const shares = data.rows.find((r) => r.key === "non_ilo_cost_share")!.cells.filter((c) => c.value !== null);
    expect(shares.length).toBeGreaterThan(0);
    for (const c of shares) expect(all.replace(/\u00a0/g, " ")).toContain(en.percent(c.value!, 1));
  });
});
