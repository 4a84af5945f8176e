import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../../i18n/catalog";
import { LOCALES } from "../../../i18n/locales";
import { isIsoDate, normaliseDecimal, parseMoney } from "./columns";
import { parseCsv, toCsv } from "./csv";
import { institutionKey, enterpriseKey, type ImportReference } from "./entity";
import { IMPORT_SPECS } from "./index";
import { validateSheet } from "./validate";

const ref: ImportReference = {
  countries: ["GH", "PE"],
  modules: ["M1", "M2"],
  phases: ["phase-3"],
  institutions: new Map([[institutionKey("GH", "Accra Centre"), { id: "i-1", currency: "GHS" }]]),
  enterprises: new Map([[enterpriseKey("i-1", "Tema Garments"), "e-1"]]),
};

const TRAINERS = ["country", "institution", "trainer_code", "name", "sex", "national_expert", "trained_on", "last_active_on"];

describe("CSV", () => {
  it("reads quoted separators, doubled quotes, line breaks in a cell, CRLF and a byte-order mark", () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3\r\n';
    expect(parseCsv(text)).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "two\nlines"],
      ["1", "", "3"],
    ]);
  });

  it("takes the separator Excel used: semicolons in Spanish and French settings", () => {
    expect(parseCsv("country;name\nGH;Accra, Centre\n")).toEqual([
      ["country", "name"],
      ["GH", "Accra, Centre"],
    ]);
  });

  it("writes what it reads", () => {
    const rows = [
      ["a", "b,c"],
      ['q"', "line\nbreak"],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });
});

describe("cell values", () => {
  it("amounts become minor units without floating-point drift", () => {
    expect([parseMoney("1250.5"), parseMoney("0.10"), parseMoney("19.99"), parseMoney("7")]).toEqual([125050, 10, 1999, 700]);
    expect([parseMoney("1,250.00"), parseMoney("12.345"), parseMoney("-3"), parseMoney("GHS 5")]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it("dates are real calendar days in YYYY-MM-DD", () => {
    expect([isIsoDate("2024-02-29"), isIsoDate("2023-02-29"), isIsoDate("2024-13-01"), isIsoDate("15/03/2024")]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it("targets keep their exact decimal value", () => {
    expect([normaliseDecimal("40.50"), normaliseDecimal("007"), normaliseDecimal("0.000"), normaliseDecimal("1e3")]).toEqual([
      "40.5",
      "7",
      "0",
      null,
    ]);
  });
});

describe("validateSheet", () => {
  it("reports missing, unknown and repeated columns on row 1 and checks no rows then", () => {
    const v = validateSheet(
      IMPORT_SPECS.trainers,
      { header: ["Country", "institution", "name", "name", "colour"], rows: [["GH"]] },
      ref,
    );
    expect(v.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1, "trainer_code", "import.problem.missingColumn"],
      [1, "sex", "import.problem.missingColumn"],
      [1, "name", "import.problem.repeatedColumn"],
      [1, "colour", "import.problem.unknownColumn"],
    ]);
    expect(v.rows).toEqual([]);
  });

  it("reports every bad cell of every row with the values its message needs, and keeps the good rows", () => {
    const v = validateSheet(
      IMPORT_SPECS.trainers,
      {
        header: TRAINERS,
        rows: [
          ["GH", "Accra Centre", "T1", "Ama Mensah", "female", "yes", "2024-05-10", ""],
          ["", "", "", "", "", "", "", ""], // a blank line is skipped, not an error
          ["XX", "Accra Centre", "T2", "Kofi", "M", "maybe", "10/05/2024", ""],
          ["GH", "Accra  Centre ", "T1", "Ama again", "female", "", "", ""],
          ["GH", "Kumasi", "T3", "Yaw", "male", "", "2024-05-10", "2024-01-01"],
        ],
      },
      ref,
    );
    expect(v.problems).toEqual([
      { row: 4, column: "country", code: "import.problem.oneOf", vars: { allowed: "GH, PE", value: "XX" } },
      { row: 4, column: "sex", code: "import.problem.oneOf", vars: { allowed: "female, male", value: "M" } },
      { row: 4, column: "national_expert", code: "import.problem.bool", vars: { value: "maybe" } },
      { row: 4, column: "trained_on", code: "import.problem.date", vars: { value: "10/05/2024" } },
      { row: 5, column: "trainer_code", code: "import.problem.duplicate", vars: { first: 2 } },
      { row: 6, column: "institution", code: "import.problem.unknownInstitution", vars: { name: "Kumasi", country: "GH" } },
      { row: 6, column: "last_active_on", code: "import.problem.beforeTrained" },
    ]);
    expect(v.rows).toEqual([
      {
        row: 2,
        values: {
          country: "GH",
          institution: "Accra Centre",
          trainer_code: "T1",
          name: "Ama Mensah",
          sex: "female",
          national_expert: true,
          trained_on: "2024-05-10",
          last_active_on: null,
        },
      },
    ]);
  });

  it("training cycles: the funding must add up to the cost, the end not before the start, the enterprise known", () => {
    const header = IMPORT_SPECS.training_cycles.columns(ref).map((c) => c.name);
    const good = [
      "GH",
      "Accra Centre",
      "M1",
      "Tema Garments",
      "2024-06-03",
      "2024-09-27",
      "",
      "5",
      "3",
      "4",
      "12",
      "9",
      "4500.50",
      "1500.50",
      "500",
      "0",
      "1000",
      "0",
      "1500",
      "yes",
    ];
    const bad = [...good];
    bad[3] = "Other Ltd";
    bad[5] = "2024-06-01";
    bad[13] = "1500";
    bad[7] = "21";
    const v = validateSheet(IMPORT_SPECS.training_cycles, { header, rows: [good, bad] }, ref);
    expect(v.problems.map((p) => [p.row, p.column, p.code])).toEqual([[3, "visits", "import.problem.range"]]);
    bad[7] = "5";
    const again = validateSheet(IMPORT_SPECS.training_cycles, { header, rows: [good, bad] }, ref);
    expect(again.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, "enterprise", "import.problem.unknownEnterprise"],
      [3, "ended_on", "import.problem.endsBeforeStart"],
      [3, "cost", "import.problem.fundingSum"],
    ]);
    expect(again.rows[0].values.cost).toBe(450050);
  });

  it("a header with no rows is a problem, not an empty import", () => {
    const v = validateSheet(IMPORT_SPECS.targets, { header: ["indicator_key", "country", "phase_key", "target"], rows: [] }, ref);
    expect(v.problems.map((p) => p.code)).toEqual(["import.problem.noRows"]);
  });
});

describe("messages", () => {
  it("every problem and every column's help exists in every language", () => {
    const codes = new Set<string>([
      "import.problem.required",
      "import.problem.tooLong",
      "import.problem.tooShort",
      "import.problem.oneOf",
      "import.problem.date",
      "import.problem.int",
      "import.problem.range",
      "import.problem.money",
      "import.problem.decimal",
      "import.problem.bool",
      "import.problem.missingColumn",
      "import.problem.unknownColumn",
      "import.problem.repeatedColumn",
      "import.problem.noRows",
      "import.problem.tooManyRows",
      "import.problem.unknownInstitution",
      "import.problem.unknownEnterprise",
      "import.problem.duplicate",
      "import.problem.endsBeforeStart",
      "import.problem.positive",
      "import.problem.fundingSum",
      "import.problem.beforeTrained",
    ]);
    for (const spec of Object.values(IMPORT_SPECS))
      for (const c of spec.columns(ref)) codes.add(c.help).add(`import.format.${c.type.kind}`);
    for (const locale of LOCALES)
      expect(
        [...codes].filter((k) => !(k in CATALOGS[locale])),
        locale,
      ).toEqual([]);
  });
});
