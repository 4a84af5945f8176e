import type { AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importPage from "../../app/routes/import._index";
import * as template from "../../app/routes/import.template";
import { problemMessage } from "../../app/features/import/rules/describe";
import { LOCALES } from "../../app/i18n/locales";
import { parseConfig } from "../../app/platform/config";
import { translatorFor } from "../../app/i18n/server";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";

/**
 * The import page offers the stage-history and business-plans kinds to administrators, with
 * their templates in the user's language (English, Spanish, French); a programme manager, who
 * imports targets only, is refused them.
 */

let t: TestDb;
let context: AppLoadContext;
let admin: TestSession;
let manager: TestSession;

beforeAll(async () => {
  t = await createTestDb("postgres");
  context = { db: t.db, config: parseConfig({}), clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  admin = await signInAs(t.db, "ilo_admin");
  manager = await signInAs(t.db, "programme_manager");
});
afterAll(async () => {
  await t?.close();
});

async function get(loader: (args: never) => Promise<Response>, url: string, s: TestSession): Promise<Response> {
  const request = await asSession(new Request(`http://test${url}`), s);
  try {
    return await loader({ request, params: {}, context } as never);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

describe("the import page and its templates", () => {
  it("offers both kinds to an administrator and neither to a programme manager", async () => {
    const page = await (await get(importPage.loader as never, "/import", admin)).json();
    expect(page.entities).toEqual(expect.arrayContaining(["stage_history", "business_plans"]));
    const managerPage = await (await get(importPage.loader as never, "/import", manager)).json();
    expect(managerPage.entities).toEqual(["targets"]);
    for (const entity of ["stage_history", "business_plans"])
      expect((await get(template.loader as never, `/import/template?entity=${entity}&format=csv`, manager)).status).toBe(403);
  });

  it("CSV templates: the columns and an example row", async () => {
    const history = await get(template.loader as never, "/import/template?entity=stage_history&format=csv", admin);
    expect((await history.text()).trim().split("\r\n")[0]).toBe("country,institution,stage,reached_on,decided_by,note");
    const plans = await get(template.loader as never, "/import/template?entity=business_plans&format=csv", admin);
    const lines = (await plans.text()).trim().split("\r\n");
    expect(lines[0]).toBe("country,institution,period,approved_on,note");
    expect(lines).toHaveLength(2);
  });

  it.each(LOCALES)("the workbook explains each column in %s", async (locale) => {
    const tr = translatorFor(locale);
    await t.db.updateTable("users").set({ locale }).where("id", "=", admin.userId).execute();
    for (const [entity, column, help] of [
      ["stage_history", "reached_on", "import.column.reachedOn"],
      ["business_plans", "period", "import.column.planPeriod"],
    ]) {
      const res = await get(template.loader as never, `/import/template?entity=${entity}&format=xlsx`, admin);
      expect(res.headers.get("Content-Disposition")).toContain(`pathways-${entity}-template.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual([tr("import.sheet.data"), tr("import.sheet.columns")]);
      const row = wb.worksheets[1].getRows(2, 10)!.find((r) => r.getCell(1).value === column)!;
      expect(row.getCell(4).value).toBe(tr(help));
      expect(row.getCell(4).value).not.toBe(help);
    }
    // A refused move back reads as a sentence naming the institution and both stages.
    const text = problemMessage(
      {
        row: 2,
        column: "stage",
        code: "import.problem.wouldMoveBack",
        vars: { institution: "Accra Centre", current: "Certification", stage: "Engaged" },
      },
      tr,
    );
    expect(text).toContain("Accra Centre");
    expect(text).toContain("Certification");
    expect(text).not.toContain("import.problem");
  });
});
