import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTrainers, listTransitions, loadInstitutionLists } from "../../db/queries/institutions";
import { listReports } from "../../db/queries/reports";
import { seedDemoData } from "../../db/seed";
import { createTestDb, type TestDb } from "../support/db";

/**
 * The institution page reads its four lists in one statement (json_agg): the same rows, in the same
 * order, as the four statements it replaced, the institution's own only, its timestamps as ISO text.
 */

let handle: TestDb;
beforeAll(async () => {
  handle = await createTestDb("pglite");
  await seedDemoData(handle.db, new Date());
});
afterAll(async () => {
  await handle?.close();
});

describe("loadInstitutionLists", () => {
  it("gives each list's rows in the order of its own query, for that institution only", async () => {
    const busiest = await handle.db
      .selectFrom("milestone_reports")
      .select(["institution_id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("institution_id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const id = busiest.institution_id;
    const got = await loadInstitutionLists(handle.db, id, 3);
    const [transitions, reports, notifications, trainers] = await Promise.all([
      listTransitions(handle.db, id),
      listReports(handle.db, id),
      handle.db
        .selectFrom("notifications")
        .selectAll()
        .where("institution_id", "=", id)
        .orderBy("created_at", "desc")
        .limit(3)
        .execute(),
      listTrainers(handle.db, id),
    ]);
    expect(reports.length).toBeGreaterThan(1);
    expect(transitions.length).toBeGreaterThan(0);
    expect(trainers.length).toBeGreaterThan(1);
    expect(got.transitions.map((t) => t.id)).toEqual(transitions.map((t) => t.id));
    expect(got.reports.map((r) => r.id)).toEqual(reports.map((r) => r.id));
    expect(got.notifications.map((n) => n.id)).toEqual(notifications.map((n) => n.id));
    expect(got.trainers.map((t) => t.id)).toEqual(trainers.map((t) => t.id));
    expect(got.notifications.length).toBeLessThanOrEqual(3);
    // Timestamps arrive as text that names the same instant; dates and flags as the driver gives them.
    expect(new Date(got.reports[0]!.submitted_at).getTime()).toBe(new Date(reports[0]!.submitted_at).getTime());
    expect(typeof got.reports[0]!.submitted_at).toBe("string");
    expect(got.trainers[0]!.trained_on).toBe(trainers[0]!.trained_on);
    expect(got.trainers[0]!.national_expert).toBe(trainers[0]!.national_expert);
    expect(got.transitions[0]!.reason_params).toEqual(transitions[0]!.reason_params);
  });

  it("gives empty lists for an institution with none", async () => {
    const got = await loadInstitutionLists(handle.db, "00000000-0000-4000-8000-000000000000", 20);
    expect(got).toEqual({ transitions: [], reports: [], notifications: [], trainers: [] });
  });
});
