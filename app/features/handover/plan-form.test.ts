import { describe, expect, it } from "vitest";
import { translatorFor } from "~/i18n/server";
import {
  PLAN_FORM_MAX,
  planShape,
  planToFormValues,
  rateFromUnitsPerUsd,
  readPlanForm,
  reshapePlanForm,
  unitsPerUsd,
} from "./plan-form";

const en = translatorFor("en");

describe("the stated rate", () => {
  it("keeps the rate exactly as a reduced fraction of USD per unit", () => {
    expect(rateFromUnitsPerUsd("15.5")).toEqual({ num: 2, den: 31 }); // 10/155
    expect(rateFromUnitsPerUsd("15,5")).toEqual({ num: 2, den: 31 }); // decimal comma
    expect(rateFromUnitsPerUsd("25,400")).toEqual({ num: 1, den: 25_400 }); // thousands separator
    expect(rateFromUnitsPerUsd("25 400")).toEqual({ num: 1, den: 25_400 });
    expect(rateFromUnitsPerUsd("3.75")).toEqual({ num: 4, den: 15 }); // 100/375
    expect(rateFromUnitsPerUsd("0.92")).toEqual({ num: 25, den: 23 }); // EUR-like: 100/92
    expect(unitsPerUsd({ num: 25, den: 23 })).toBe("0.92");
  });

  it("refuses what is not a positive number", () => {
    for (const bad of ["", "0", "0.000", "-3", "abc", "1/3"]) expect(rateFromUnitsPerUsd(bad)).toBeNull();
  });
});

describe("the plan form", () => {
  const modules = ["M1", "M2"];
  const fields = {
    name: "Plan",
    currency: "ghs",
    unitsPerUsd: "15.5",
    exitYear: "2027",
    varianceThresholdPp: "",
    "years.0.year": "2027",
    "years.0.lines.0.module": "M1",
    "years.0.lines.0.cycles": "2",
    "years.0.lines.0.enterprises": "9",
    "years.0.lines.0.unitCost": "8,000.50",
    "years.0.lines.1.module": "",
    "years.0.lines.1.cycles": "",
    "years.0.funding.government": "16001",
    "years.1.year": "",
  };

  it("reads a plan, skipping blank rows, with amounts in minor units and the default threshold", () => {
    const r = readPlanForm(fields, modules, en);
    expect(r).toEqual({
      ok: true,
      plan: {
        name: "Plan",
        currency: "GHS",
        usdRate: { num: 2, den: 31 },
        exitYear: 2027,
        varianceThresholdPp: 10,
        years: [
          {
            year: 2027,
            lines: [{ module: "M1", cycles: 2, enterprises: 9, unitCostMinor: 800_050 }],
            funding: { enterprise_fee: 0, institution_funds: 0, government: 1_600_100, sponsor: 0, other_donor: 0, ilo: 0 },
          },
        ],
      },
    });
    // And back into the form, as the edit page fills it in.
    if (r.ok) expect(readPlanForm(planToFormValues(r.plan), modules, en)).toEqual(r);
  });

  it("refuses decimals in a currency used without them (VND, IDR) next to the field, and reads whole amounts", () => {
    const dong = { ...fields, currency: "vnd", "years.0.lines.0.unitCost": "8000000.50", "years.0.funding.government": "1,5" };
    const r = readPlanForm(dong, modules, en);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors["years.0.lines.0.unitCost"]).toBe("VND amounts have no decimals");
    expect(r.errors["years.0.funding.government"]).toBe("VND amounts have no decimals");
    const whole = readPlanForm(
      { ...dong, "years.0.lines.0.unitCost": "8,000,000", "years.0.funding.government": "16001" },
      modules,
      en,
    );
    expect(whole.ok && whole.plan.years[0].lines[0].unitCostMinor).toBe(800_000_000);
    // The same decimals in cedis are fine.
    expect(readPlanForm({ ...fields, "years.0.lines.0.unitCost": "8000000.50" }, modules, en).ok).toBe(true);
  });

  it("asks for at least one year and one module line", () => {
    expect(
      readPlanForm(
        {
          ...fields,
          "years.0.year": "",
          "years.0.lines.0.module": "",
          "years.0.lines.0.cycles": "",
          "years.0.lines.0.enterprises": "",
          "years.0.lines.0.unitCost": "",
          "years.0.funding.government": "",
        },
        modules,
        en,
      ),
    ).toEqual({
      ok: false,
      errors: { "years.0.year": "Plan at least one year" },
    });
    const noLines = readPlanForm(
      {
        ...fields,
        "years.0.lines.0.module": "",
        "years.0.lines.0.cycles": "",
        "years.0.lines.0.enterprises": "",
        "years.0.lines.0.unitCost": "",
      },
      modules,
      en,
    );
    expect(noLines).toEqual({ ok: false, errors: { "years.0.lines.0.module": "Plan at least one module for this year" } });
  });

  it("writes its errors in the user's language", () => {
    const r = readPlanForm({ ...fields, currency: "cedi", "years.0.lines.0.cycles": "cuatro" }, modules, translatorFor("es"));
    expect(r).toEqual({
      ok: false,
      errors: {
        currency: "Un código de moneda de tres letras, p. ej. GHS",
        "years.0.lines.0.cycles": "Ciclos: un número entero",
      },
    });
    const fr = readPlanForm(
      {
        ...fields,
        "years.0.year": "",
        "years.0.lines.0.module": "",
        "years.0.lines.0.cycles": "",
        "years.0.lines.0.enterprises": "",
        "years.0.lines.0.unitCost": "",
        "years.0.funding.government": "",
      },
      modules,
      translatorFor("fr"),
    );
    expect(fr).toEqual({ ok: false, errors: { "years.0.year": "Prévoyez au moins une année" } });
  });
});

describe("the plan form's rows", () => {
  const typed = {
    name: "Plan",
    "years.0.year": "2027",
    "years.0.lines.0.module": "M1",
    "years.0.lines.0.cycles": "1",
    "years.0.lines.1.module": "M2",
    "years.0.lines.1.cycles": "2",
    "years.1.year": "2028",
    "years.1.lines.0.module": "M2",
  };

  it("starts at three years of three lines and grows to what was typed", () => {
    expect(planShape({})).toEqual({ years: 3, lines: [3, 3, 3] });
    expect(planShape({ "years.4.lines.5.cycles": "1" })).toEqual({ years: 5, lines: [3, 3, 3, 3, 6] });
    expect(planShape({ "shape.years": "1", "shape.lines.0": "1" })).toEqual({ years: 1, lines: [1] });
  });

  it("adds a line or a year, keeping what was typed and naming the new row's first field", () => {
    const line = reshapePlanForm(typed, "addLine.0", en);
    expect(line).toMatchObject({ ok: true, focus: "years.0.lines.3.module" });
    expect(planShape(line!.values)).toEqual({ years: 3, lines: [4, 3, 3] });
    expect(line!.values["years.0.lines.1.module"]).toBe("M2");
    const year = reshapePlanForm(line!.values, "addYear", en);
    expect(planShape(year!.values)).toEqual({ years: 4, lines: [4, 3, 3, 3] });
    expect(year).toMatchObject({ focus: "years.3.year" });
  });

  it("removes a line or a year, moving the rows after it up", () => {
    const line = reshapePlanForm(typed, "removeLine.0.0", en)!;
    expect(line.values["years.0.lines.0.module"]).toBe("M2");
    expect(line.values["years.0.lines.0.cycles"]).toBe("2");
    expect(line.values["years.0.lines.1.module"]).toBeUndefined();
    expect(planShape(line.values).lines[0]).toBe(2);
    const year = reshapePlanForm(typed, "removeYear.0", en)!;
    expect(year.values["years.0.year"]).toBe("2028");
    expect(year.values["years.0.lines.0.module"]).toBe("M2");
    expect(planShape(year.values).years).toBe(2);
  });

  it("refuses past twenty rows and below one, next to the button, and ignores other buttons", () => {
    const full = { "shape.years": String(PLAN_FORM_MAX) };
    expect(reshapePlanForm(full, "addYear", en)).toMatchObject({
      ok: false,
      errors: { "shape.years": "A plan has at most 20 years" },
    });
    const one = { "shape.years": "1", "shape.lines.0": "1" };
    expect(reshapePlanForm(one, "removeLine.0.0", en)).toMatchObject({
      ok: false,
      errors: { "years.0.lines": "A year needs at least one line" },
    });
    expect(reshapePlanForm(one, "removeYear.0", en)).toMatchObject({
      ok: false,
      errors: { "shape.years": "A plan needs at least one year" },
    });
    expect(reshapePlanForm(typed, "save", en)).toBeNull();
    expect(planShape(reshapePlanForm(typed, "removeLine.9.9", en)!.values)).toEqual(planShape(typed));
  });

  it("reads lines past the third and refuses rows past the twentieth", () => {
    const plan = {
      name: "Plan",
      currency: "GHS",
      unitsPerUsd: "15.5",
      exitYear: "2027",
      "years.0.year": "2027",
      ...Object.fromEntries(
        [0, 1, 2, 3, 4].flatMap((l) => [
          [`years.0.lines.${l}.module`, "M1"],
          [`years.0.lines.${l}.cycles`, "1"],
          [`years.0.lines.${l}.enterprises`, "2"],
          [`years.0.lines.${l}.unitCost`, "100"],
        ]),
      ),
    };
    const read = readPlanForm(plan, ["M1"], en);
    expect(read.ok && read.plan.years[0].lines).toHaveLength(5);
    const tooMany = readPlanForm({ ...plan, "years.0.lines.20.module": "M1" }, ["M1"], en);
    expect(tooMany).toMatchObject({ ok: false, errors: { "years.0.lines": "A year has at most 20 lines" } });
  });
});
