import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { publishDraft } from "../../db/queries/templates";
import { dryRun, runImport } from "../../app/features/import/import.server";
import { tellHistoryImported } from "../../app/features/pathway/pathway.server";
import { toCsv } from "../../app/features/import/rules/csv";
import { DEFAULT_TEMPLATE_V2_ID } from "../../db/reference-data";
import {
  decideReportUpdate,
  historyImportedUpdate,
  moveTemplateUpdate,
  pathwayStateQuery,
  recordsChangedUpdate,
  reportMilestoneUpdate,
  signOffStageUpdate,
} from "../../workflows/shared";
import { createTestDb } from "./db";
import {
  Cleanup,
  historyFileText,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  totCohortReport,
} from "./temporal";

/**
 * `npm run record-history [-- --out <file>]`: drives one realistic pathway on a real dev server
 * (a ToT report verified, a sign-off, a report returned) and writes its history as JSON.
 * `tests/workflow/replay.test.ts` replays the committed file against the current workflow
 * code: a change that would break running workflows fails there, and must go behind `patched()`.
 * Re-record only when a new version of the workflow is deployed, and keep the old file.
 *
 * `--with-move` ends the flow with a move to default@2, published for it, and a retry of the
 * move (version 3 of the workflow code): `npm run record-history -- --with-move --out
 * tests/fixtures/histories/pathway-v2.json`.
 *
 * `--records-changed` then adds a trainer straight to the records, as a bulk import does, and
 * tells the pathway with a `recordsChanged` update, twice (a retried call). With version 4 of the
 * workflow code (gates evaluated in an activity): `npm run record-history -- --with-move
 * --records-changed --out tests/fixtures/histories/pathway-v3.json`.
 *
 * `--history-import` then imports the institution's stage history (engaged in 2023, ToT and
 * certification in 2024) through the stage-history import, which tells the pathway with a
 * `historyImported` update (and the same update again, a retried call), then a second
 * `historyImported` with another cause, which finds nothing to take. With version 6 of the
 * workflow code: `npm run record-history -- --with-move --records-changed --history-import --out
 * tests/fixtures/histories/pathway-v5.json`. With version 7 (overdue timers spread from the run's
 * start, decision 041), the same flags: `--out tests/fixtures/histories/pathway-v6.json`.
 */

const DEFAULT_HISTORY_FILE = path.join(PROJECT_ROOT, "tests", "fixtures", "histories", "pathway-v1.json");

async function main(argv: string[]) {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : DEFAULT_HISTORY_FILE;
  const cleanup = new Cleanup();
  const started = Date.now();
  try {
    const temporal = await startDevTemporal(cleanup);
    const testDb = await createTestDb("pglite");
    cleanup.add("the database", () => testDb.close());
    const { taskQueue } = await startPathwayWorker(cleanup, { temporal, db: testDb.db });

    const flowStarted = Date.now();
    const institutionId = await makeInstitution(testDb.db, { mouSignedOn: "2024-01-15", scoreInPortfolio: true });
    const handle = await startPathway(temporal.client, taskQueue, institutionId);

    const tot = totCohortReport(institutionId, { total: 6, women: 2 });
    await handle.executeUpdate(reportMilestoneUpdate, { args: [tot] });
    await handle.executeUpdate(reportMilestoneUpdate, { args: [tot] }); // a double submit: no new report
    await handle.executeUpdate(decideReportUpdate, {
      args: [{ reportId: tot.reportId, decision: "verify", comment: "", decidedBy: "officer@ilo.example" }],
    });
    await handle.executeUpdate(signOffStageUpdate, {
      args: [{ fromStage: "engaged", decidedBy: "officer@ilo.example", note: "Six trainers, two of them women" }],
    });

    const trainer = await testDb.db
      .selectFrom("trainers")
      .select("id")
      .where("institution_id", "=", institutionId)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const certified = {
      reportId: crypto.randomUUID(),
      institutionId,
      submittedBy: "coordinator@institute.example",
      evidence: [{ label: "Certificate", reference: "CERT-0001" }],
      kind: "trainer_certified" as const,
      payload: { trainerId: trainer.id, module: "M1", certifiedOn: "2024-06-01", nationalExpert: false },
    };
    await handle.executeUpdate(reportMilestoneUpdate, { args: [certified] });
    await handle.executeUpdate(decideReportUpdate, {
      args: [
        {
          reportId: certified.reportId,
          decision: "return",
          comment: "Attach the expert's recommendation",
          decidedBy: "officer@ilo.example",
        },
      ],
    });
    if (argv.includes("--with-move")) {
      await publishDraft(testDb.db, DEFAULT_TEMPLATE_V2_ID, "admin@ilo.example", new Date());
      const move = {
        moveId: `move-${institutionId}`,
        templateId: DEFAULT_TEMPLATE_V2_ID,
        decidedBy: "admin@ilo.example",
        reason: "Readiness assessments begin",
      };
      await handle.executeUpdate(moveTemplateUpdate, { args: [move] });
      await handle.executeUpdate(moveTemplateUpdate, { args: [move] }); // a retried move: nothing more happens
    }
    if (argv.includes("--records-changed")) {
      await testDb.db
        .insertInto("trainers")
        .values({
          id: crypto.randomUUID(),
          institution_id: institutionId,
          name: "Imported trainer",
          sex: "female",
          trained_on: "2024-05-02",
        })
        .execute();
      const updateId = `records-import-${institutionId}`;
      await handle.executeUpdate(recordsChangedUpdate, { args: [{ cause: "import" }], updateId });
      await handle.executeUpdate(recordsChangedUpdate, { args: [{ cause: "import" }], updateId });
    }
    if (argv.includes("--history-import")) {
      const adminId = crypto.randomUUID();
      await testDb.db
        .insertInto("users")
        .values({
          id: adminId,
          email: "admin@ilo.example",
          name: "Admin",
          role: "ilo_admin",
          institution_id: null,
          password_hash: null,
        })
        .execute();
      const inst = await testDb.db
        .selectFrom("institutions")
        .select(["name", "country_code"])
        .where("id", "=", institutionId)
        .executeTakeFirstOrThrow();
      const file = toCsv([
        ["country", "institution", "stage", "reached_on", "decided_by", "note"],
        [inst.country_code, inst.name, "engaged", "2023-05-02", "officer@ilo.example", "MoU signed"],
        [inst.country_code, inst.name, "tot", "2024-02-01", "officer@ilo.example", "Six trainers, two of them women"],
        [inst.country_code, inst.name, "certification", "2024-09-30", "officer@ilo.example", "Certified for M1"],
      ]);
      const batchId = await dryRun(testDb.db, {
        entity: "stage_history",
        fileName: "history.csv",
        bytes: new TextEncoder().encode(file),
        actorId: adminId,
        now: new Date(),
      });
      const cause = `import-${batchId}`;
      const outcome = await runImport(testDb.db, batchId, {
        actor: { id: adminId, name: "Admin" },
        now: () => new Date(),
        historyImported: (ids) => tellHistoryImported(temporal.client, taskQueue, ids, cause),
      });
      if (outcome.status !== "done" || outcome.pathwaysPending)
        throw new Error(`The history import did not complete: ${JSON.stringify(outcome)}`);
      await tellHistoryImported(temporal.client, taskQueue, [institutionId], cause); // a retried call: one update
      const again = await handle.executeUpdate(historyImportedUpdate, {
        args: [{ cause: "start-up" }],
        updateId: "history-start-up",
      });
      if (again.moved) throw new Error("A second historyImported moved the pathway again");
    }
    const expected = argv.includes("--history-import") ? "certification" : "tot";
    const view = await handle.query(pathwayStateQuery);
    if (view.stageKey !== expected) throw new Error(`Expected the institution at ${expected}, found ${view.stageKey}`);

    const history = await handle.fetchHistory();
    const json = historyFileText(history);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, json);
    console.log(
      `Recorded ${history.events?.length ?? 0} events (${(Buffer.byteLength(json) / 1024).toFixed(1)} KB) to ${path.relative(PROJECT_ROOT, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s (the flow itself ${((Date.now() - flowStarted) / 1000).toFixed(1)} s)`,
    );
    await handle.terminate("history recorded");
  } finally {
    await cleanup.run();
  }
}

await main(process.argv.slice(2));
