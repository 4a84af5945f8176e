import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as importBatchAction } from "../../app/routes/import.batch";
import { loader as institutionLoader } from "../../app/routes/institutions.$id._index";
import { action as signOffAction } from "../../app/routes/institutions.$id.sign-off";
import { parseConfig } from "../../app/platform/config";
import { dryRun } from "../../app/features/import/import.server";
import { getBatch } from "../../db/queries/imports";
import { getInstitutionWithStatus } from "../../db/queries/pathway-status";
import { createTestDb, type TestDb } from "../support/db";
import { asSession, signInAs, type TestSession } from "../support/session";
import {
  Cleanup,
  eventually,
  makeInstitution,
  startDevTemporal,
  startPathway,
  startPathwayWorker,
  type TemporalHandle,
} from "../support/temporal";
import { csvBytes, TRAINER_HEADER } from "./support";

/**
 * An import that completes a gate, end to end on a real Temporal dev server and PostgreSQL: an
 * institution at Engaged whose gate into Training of Trainers is not met (no trainers yet); an
 * administrator imports six trainers, two of them women, through the import page's own service;
 * the import tells the pathway, which evaluates and stores the gate; the institution page then
 * offers the sign-off, and signing off moves the institution up at once.
 */

const cleanup = new Cleanup();
let t: TestDb;
let temporal: TemporalHandle;
let context: AppLoadContext;
let admin: TestSession;
let institutionId: string;
let institutionName: string;

beforeAll(async () => {
  t = await createTestDb("postgres");
  cleanup.add("the test database", () => t.close());
  temporal = await startDevTemporal(cleanup);
  const worker = await startPathwayWorker(cleanup, { temporal, db: t.db });
  context = {
    db: t.db,
    temporal: temporal.client,
    config: parseConfig({ TEMPORAL_TASK_QUEUE: worker.taskQueue }),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;
  admin = await signInAs(t.db, "ilo_admin", { name: "Import Admin" });

  institutionId = await makeInstitution(t.db, { mouSignedOn: "2024-01-10", scoreInPortfolio: true });
  institutionName = (
    await t.db.selectFrom("institutions").select("name").where("id", "=", institutionId).executeTakeFirstOrThrow()
  ).name;
  await startPathway(temporal.client, worker.taskQueue, institutionId);
  // The pathway's start evaluates the gate and stores it.
  await eventually(async () =>
    expect((await getInstitutionWithStatus(t.db, institutionId))?.pathwayStatus.state).toBe("current"),
  );
}, 120_000);

afterAll(() => cleanup.run(), 60_000);

async function institutionPage() {
  const request = await asSession(new Request(`http://test/institutions/${institutionId}`), admin);
  const res = await institutionLoader({ request, params: { id: institutionId }, context });
  return res.json();
}

async function post(
  action: typeof signOffAction,
  url: string,
  params: Record<string, string>,
  fields: Record<string, string>,
): Promise<Response> {
  const request = await asSession(
    new Request(url, {
      method: "POST",
      body: new URLSearchParams({ csrf: admin.csrf, ...fields }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
    admin,
  );
  try {
    return await action({ request, params, context });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

describe("an import that meets a gate", () => {
  it("shows the institution awaiting sign-off once the import has run, and the sign-off moves it up at once", async () => {
    const before = await institutionPage();
    expect(before.gatePending).toBe(false);
    expect(before.nextGate).toMatchObject({ stageKey: "tot", met: false });
    expect(before.nextGate!.criteria.find((c: { key: string }) => c.key === "trained")).toMatchObject({ value: 0, met: false });

    // Upload and check, as the /import page does, then run the checked batch from its page.
    const trainers = ["Ama", "Efua", "Kofi", "Kwame", "Yaw", "Kojo"].map((name, i) => [
      "GH",
      institutionName,
      `ToT-${i + 1}`,
      `${name} Mensah`,
      i < 2 ? "female" : "male",
      "no",
      "2024-03-15",
      "",
    ]);
    const batchId = await dryRun(t.db, {
      entity: "trainers",
      fileName: "trainers.csv",
      bytes: csvBytes(TRAINER_HEADER, trainers),
      actorId: admin.userId,
      now: new Date(),
    });
    expect((await getBatch(t.db, batchId))!.status).toBe("checked");
    const started = await post(
      importBatchAction as typeof signOffAction,
      "http://test/import/batch",
      {},
      { id: batchId, intent: "import" },
    );
    expect(started.status).toBe(302);
    await eventually(async () => expect((await getBatch(t.db, batchId))!.status).toBe("done"), 30_000);

    // The import told the pathway; it evaluated and stored the gate: met, awaiting sign-off.
    const stored = await eventually(async () => {
      const row = await getInstitutionWithStatus(t.db, institutionId);
      expect(row!.pathwayStatus).toMatchObject({ state: "current", awaitingSignOff: true });
      return row!;
    }, 20_000);
    expect(stored.pathwayStatus.nextGate).toMatchObject({ stageKey: "tot", met: true });
    const page = await institutionPage();
    expect(page.gatePending).toBe(false);
    expect(page.nextGate).toMatchObject({ stageKey: "tot", met: true });
    expect(page.nextGate!.criteria.find((c: { key: string }) => c.key === "trained")).toMatchObject({ value: 6, met: true });

    // The sign-off is accepted at once: the workflow holds the same verdict the page showed.
    const signed = await post(
      signOffAction,
      `http://test/institutions/${institutionId}/sign-off`,
      { id: institutionId },
      { fromStage: "engaged", note: "Trainers imported" },
    );
    expect(signed.status).toBe(302);
    expect(signed.headers.get("Location")).toBe(`/institutions/${institutionId}`);
    expect(signed.headers.get("Set-Cookie")).toMatch(/^pathways_flash=/);
    const moved = await t.db
      .selectFrom("institutions")
      .select("stage_key")
      .where("id", "=", institutionId)
      .executeTakeFirstOrThrow();
    expect(moved.stage_key).toBe("tot");
  }, 90_000);
});
