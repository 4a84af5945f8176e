import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { timeInStageRows } from "../../db/queries/aggregates";
import { getBatch } from "../../db/queries/imports";
import { recordTransition } from "../../db/queries/transitions";
import { createTestDb, type TestDb } from "../support/db";
import { checksum, csvBytes, seedForImport } from "../import/support";

/**
 * Stage history and business plans brought in with their dates, on PostgreSQL: the same dry run,
 * all-or-nothing import and idempotent rerun as every kind. Imported stages become the
 * institution's transitions with the imported dates (so time in stage counts from them), are
 * audited as imported, and move the institution forward to its furthest stage; the pathways of
 * the institutions moved are told of their imported stage, the others of changed records.
 */

const HEADER = ["country", "institution", "stage", "reached_on", "decided_by", "note"];
const PLAN_HEADER = ["country", "institution", "period", "approved_on", "note"];
const DAY_MS = 86_400_000;

let t: TestDb;
let seed: Awaited<ReturnType<typeof seedForImport>>;
let ids: Record<string, string>;
let a: string;
let b: string;
const historyTold: string[][] = [];
const recordsTold: string[][] = [];
const opts = () => ({
  actor: seed.admin,
  now: () => new Date(),
  historyImported: async (institutionIds: string[]) => {
    historyTold.push([...institutionIds].sort());
    return [];
  },
  recordsChanged: async (institutionIds: string[]) => {
    recordsTold.push([...institutionIds].sort());
    return [];
  },
});

beforeAll(async () => {
  t = await createTestDb("postgres");
  seed = await seedForImport(t.db, 3);
  const rows = await t.db.selectFrom("institutions").select(["id", "name"]).execute();
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  [a, b] = seed.institutions;
});
afterAll(async () => {
  await t?.close();
});

async function check(entity: "stage_history" | "business_plans", header: string[], rows: string[][]) {
  const id = await dryRun(t.db, {
    entity,
    fileName: `${entity}.csv`,
    bytes: csvBytes(header, rows),
    actorId: seed.admin.id,
    now: new Date(),
  });
  return { id, batch: (await getBatch(t.db, id))! };
}

const problemsOf = (batch: { problems: unknown }) =>
  (batch.problems as { row: number; column: string; code: string; vars?: Record<string, unknown> }[]).map(
    ({ row, column, code }) => ({ row, column, code }),
  );

const history = () => [
  ["GH", a, "engaged", "2013-02-01", "officer@ilo.org", "MoU with the ILO"],
  ["GH", a, "Training of Trainers", "2014-03-20", "Jane Officer", "Six trainers, two of them women"],
  ["GH", a, "certification", "2015-09-30", "officer@ilo.org", ""],
  ["GH", b, "engaged", "2016-01-10", "officer@ilo.org", ""],
];

describe("stage history", () => {
  it("the dry run names every bad row (unknown institution or stage, a future day, stages out of order) and writes nothing", async () => {
    const before = await checksum(t.db);
    const bad = history();
    bad[1][3] = "2012-12-31"; // ToT before Engaged
    bad[2][2] = "accredited"; // no such stage
    bad.push(["GH", "Nowhere Institute", "tot", "2014-01-01", "officer@ilo.org", ""]);
    bad.push(["GH", b, "tot", "2999-01-01", "officer@ilo.org", ""]);
    const { batch } = await check("stage_history", HEADER, bad);
    expect(batch.status).toBe("invalid");
    expect(problemsOf(batch)).toEqual([
      { row: 3, column: "reached_on", code: "import.problem.stageOutOfOrder" },
      { row: 4, column: "stage", code: "import.problem.unknownStage" },
      { row: 6, column: "institution", code: "import.problem.unknownInstitution" },
      { row: 7, column: "reached_on", code: "import.problem.futureDate" },
    ]);
    const order = (batch.problems as { row: number; vars?: Record<string, unknown> }[]).find((p) => p.row === 3)!;
    expect(order.vars).toMatchObject({ stage: "Training of Trainers", date: "2012-12-31", earlier: "Engaged" });
    expect(await checksum(t.db)).toEqual(before);
  });

  it("a stage given by its key and by its name is one stage named twice", async () => {
    const twice = history();
    twice.push(["GH", a, "tot", "2014-03-20", "officer@ilo.org", ""]);
    const { batch } = await check("stage_history", HEADER, twice);
    expect(problemsOf(batch)).toEqual([{ row: 6, column: "stage", code: "import.problem.duplicate" }]);
  });

  it("imports the history with its dates, moves the institution forward, audits it as imported, and tells its pathway", async () => {
    const { id, batch } = await check("stage_history", HEADER, history());
    // The first stage dates the start transition each institution already has; the others are new.
    expect(batch).toMatchObject({ status: "checked", created: 2, updated: 2, unchanged: 0 });
    historyTold.length = 0;
    recordsTold.length = 0;
    expect(await runImport(t.db, id, opts())).toMatchObject({ status: "done", pathwaysPending: 0 });

    const transitions = await t.db
      .selectFrom("stage_transitions")
      .select(["from_stage", "to_stage", "kind", "decided_by", "reason", "occurred_at", "import_batch_id"])
      .where("institution_id", "=", ids[a])
      .orderBy("occurred_at")
      .execute();
    expect(transitions).toEqual([
      {
        from_stage: null,
        to_stage: "engaged",
        kind: "start",
        decided_by: "officer@ilo.org",
        reason: "MoU with the ILO",
        occurred_at: new Date("2013-02-01T00:00:00Z"),
        import_batch_id: id,
      },
      {
        from_stage: "engaged",
        to_stage: "tot",
        kind: "advance",
        decided_by: "Jane Officer",
        reason: "Six trainers, two of them women",
        occurred_at: new Date("2014-03-20T00:00:00Z"),
        import_batch_id: id,
      },
      {
        from_stage: "tot",
        to_stage: "certification",
        kind: "advance",
        decided_by: "officer@ilo.org",
        reason: "",
        occurred_at: new Date("2015-09-30T00:00:00Z"),
        import_batch_id: id,
      },
    ]);
    const institutions = await t.db
      .selectFrom("institutions")
      .select(["id", "stage_key", "stage_entered_at"])
      .where("id", "in", [ids[a], ids[b]])
      .execute();
    expect(Object.fromEntries(institutions.map((i) => [i.id, [i.stage_key, i.stage_entered_at]]))).toEqual({
      [ids[a]]: ["certification", new Date("2015-09-30T00:00:00Z")],
      [ids[b]]: ["engaged", new Date("2016-01-10T00:00:00Z")],
    });

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "entity_id", "actor"])
      .where("action", "in", ["stage.imported", "institution.stage_imported"])
      .execute();
    expect(audit.filter((e) => e.action === "stage.imported")).toHaveLength(4);
    expect(
      audit
        .filter((e) => e.action === "institution.stage_imported")
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([ids[a], ids[b]].sort());
    expect(audit.every((e) => e.actor === seed.admin.name)).toBe(true);
    // The institution moved takes its imported stage; the other only had its start re-dated.
    expect(historyTold).toEqual([[ids[a]]]);
    expect(recordsTold).toEqual([[ids[b]]]);
  });

  it("time in stage counts from the imported dates", async () => {
    const now = new Date();
    const rows = await timeInStageRows(t.db, { ids: [ids[a]] }, now);
    const overall = (stage: string) => rows.find((r) => r.stageKey === stage && r.country === null)!;
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
    expect(overall("engaged").median).toBeCloseTo(days("2013-02-01", "2014-03-20"), 6);
    expect(overall("tot").median).toBeCloseTo(days("2014-03-20", "2015-09-30"), 6);
    expect(overall("certification").open).toBe(1);
    expect(overall("certification").median).toBeCloseTo((now.getTime() - Date.parse("2015-09-30")) / DAY_MS, 3);
  });

  it("the same file again changes nothing and tells no pathway", async () => {
    const after = await checksum(t.db);
    const { id, batch } = await check("stage_history", HEADER, history());
    expect(batch).toMatchObject({ status: "checked", created: 0, updated: 0, unchanged: 4 });
    historyTold.length = 0;
    recordsTold.length = 0;
    expect((await runImport(t.db, id, opts())).status).toBe("done");
    expect(await checksum(t.db)).toEqual(after);
    expect(historyTold).toEqual([]);
    expect(recordsTold).toEqual([]);
  });

  it("refuses a file that would move an institution back, saying where it is", async () => {
    const back = [["GH", a, "tot", "2014-03-20", "Jane Officer", ""]];
    const { batch } = await check("stage_history", HEADER, back);
    expect(batch.status).toBe("invalid");
    const [p] = batch.problems as { row: number; column: string; code: string; vars: Record<string, string> }[];
    expect(p).toMatchObject({
      row: 2,
      column: "stage",
      code: "import.problem.wouldMoveBack",
      vars: { institution: a, current: "Certification", stage: "Training of Trainers" },
    });
  });

  it("all or nothing: a file checked before the institution moved on is refused when run, and writes nothing", async () => {
    const c = seed.institutions[2];
    const file = [
      ["GH", b, "tot", "2017-05-05", "officer@ilo.org", ""],
      ["GH", c, "engaged", "2018-01-01", "officer@ilo.org", ""],
      ["GH", c, "tot", "2019-01-01", "officer@ilo.org", ""],
    ];
    const { id, batch } = await check("stage_history", HEADER, file);
    expect(batch).toMatchObject({ status: "checked", created: 2, updated: 1 });
    // Meanwhile an officer signs the third institution off twice: the file would now take it back.
    await t.db.transaction().execute(async (trx) => {
      for (const [from, to] of [
        ["engaged", "tot"],
        ["tot", "certification"],
      ])
        await recordTransition(trx, {
          id: crypto.randomUUID(),
          institutionId: ids[c],
          fromStage: from,
          toStage: to,
          kind: "advance",
          reason: "signed off here",
          decidedBy: "officer@ilo.org",
          at: new Date(),
        });
    });
    const before = await checksum(t.db);
    const outcome = await runImport(t.db, id, opts());
    expect(outcome.status).toBe("invalid");
    expect(outcome.status === "invalid" && outcome.problems.map((p) => p.code)).toEqual(["import.problem.wouldMoveBack"]);
    // The first institution's row was valid, and is not written either.
    expect(await checksum(t.db)).toEqual(before);
    expect((await getBatch(t.db, id))!.status).toBe("invalid");
  });
});

describe("business plans", () => {
  const plans = () => [
    ["GH", a, "2016-2018", "2016-02-15", "Approved by the board"],
    ["GH", a, "2013 - 2015", "2013-06-30", ""],
    ["GH", b, "2019", "2019-01-20", ""],
  ];

  it("refuses a period that is none, a future approval and a period named twice, writing nothing", async () => {
    const before = await checksum(t.db);
    const bad = plans();
    bad[0][2] = "next year";
    bad[2][3] = "2999-01-01";
    bad.push(["GH", a, "2013-2015", "2013-07-01", ""]);
    const { batch } = await check("business_plans", PLAN_HEADER, bad);
    expect(problemsOf(batch)).toEqual([
      { row: 2, column: "period", code: "import.problem.planPeriod" },
      { row: 4, column: "approved_on", code: "import.problem.futureDate" },
      { row: 5, column: "period", code: "import.problem.duplicate" },
    ]);
    expect(await checksum(t.db)).toEqual(before);
  });

  it("imports plans with their dates; the first approval is the day the institution adopted a plan, which the gate reads", async () => {
    const { id, batch } = await check("business_plans", PLAN_HEADER, plans());
    expect(batch).toMatchObject({ status: "checked", created: 3 });
    recordsTold.length = 0;
    expect((await runImport(t.db, id, opts())).status).toBe("done");
    const stored = await t.db
      .selectFrom("institution_business_plans")
      .select(["institution_id", "period", "approved_on", "note", "import_batch_id"])
      .orderBy("approved_on")
      .execute();
    expect(stored).toEqual([
      { institution_id: ids[a], period: "2013-2015", approved_on: "2013-06-30", note: null, import_batch_id: id },
      {
        institution_id: ids[a],
        period: "2016-2018",
        approved_on: "2016-02-15",
        note: "Approved by the board",
        import_batch_id: id,
      },
      { institution_id: ids[b], period: "2019", approved_on: "2019-01-20", note: null, import_batch_id: id },
    ]);
    const adopted = await t.db
      .selectFrom("institutions")
      .select(["id", "business_plan_adopted_on"])
      .where("id", "in", [ids[a], ids[b]])
      .execute();
    expect(Object.fromEntries(adopted.map((i) => [i.id, i.business_plan_adopted_on]))).toEqual({
      [ids[a]]: "2013-06-30",
      [ids[b]]: "2019-01-20",
    });
    expect(recordsTold).toEqual([[ids[a], ids[b]].sort()]);
  });

  it("the same file again changes nothing; a later approval never moves the adoption day later", async () => {
    const after = await checksum(t.db);
    const again = await check("business_plans", PLAN_HEADER, plans());
    expect(again.batch).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    await runImport(t.db, again.id, opts());
    expect(await checksum(t.db)).toEqual(after);

    const later = plans();
    later[1][3] = "2014-01-10";
    const update = await check("business_plans", PLAN_HEADER, later);
    expect(update.batch).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    await runImport(t.db, update.id, opts());
    const row = await t.db
      .selectFrom("institutions")
      .select("business_plan_adopted_on")
      .where("id", "=", ids[a])
      .executeTakeFirstOrThrow();
    expect(row.business_plan_adopted_on).toBe("2013-06-30");
  });
});
