import { Worker } from "@temporalio/worker";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { emptyFunding, type PlanYear } from "../../app/domain/handover";
import type { FundingSplit } from "../../app/domain/records";
import { insertPlan } from "../../db/queries/handover";
import type { Database } from "../../db/schema";
import { createActivities } from "../../workflows/activities";
import { createHandoverActivities } from "../../workflows/handover.activities";
import { HANDOVER_WORKFLOW_TYPE, handoverWorkflowId, type StepActor } from "../../workflows/handover.shared";
import { pathwayWorkflowBundle } from "../../workflows/worker";
import { uniqueTaskQueue, type Cleanup, type TemporalHandle } from "../support/temporal";

/** A worker as workflows/worker.ts builds it (pathway and handover activities), on a queue of its own. */
export async function startHandoverWorker(
  cleanup: Cleanup,
  temporal: Pick<TemporalHandle, "nativeConnection" | "namespace">,
  db: Kysely<Database>,
) {
  const taskQueue = uniqueTaskQueue("handover-test");
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: await pathwayWorkflowBundle(),
    activities: { ...createActivities({ db }), ...createHandoverActivities({ db }) },
    shutdownGraceTime: "2s",
    shutdownForceTime: "20s",
  });
  const running = worker.run();
  running.catch(() => {});
  cleanup.add(`the handover worker on ${taskQueue}`, async () => {
    if (worker.getState() === "RUNNING") worker.shutdown();
    await running;
  });
  return taskQueue;
}

export const funding = (f: Partial<FundingSplit>): FundingSplit => ({ ...emptyFunding(), ...f });

/** Two years in GHS: 36.36 % non-ILO in the first, 58.33 % in the second (see app/domain/handover.test.ts). */
export function sampleYears(firstYear: number): PlanYear[] {
  return [
    {
      year: firstYear,
      lines: [
        { module: "M1", cycles: 4, enterprises: 18, unitCostMinor: 800_000 },
        { module: "M2", cycles: 2, enterprises: 9, unitCostMinor: 600_000 },
      ],
      funding: funding({ enterprise_fee: 1_100_000, government: 500_000, ilo: 2_400_000 }),
    },
    {
      year: firstYear + 1,
      lines: [{ module: "M1", cycles: 6, enterprises: 27, unitCostMinor: 800_000 }],
      funding: funding({ enterprise_fee: 1_800_000, government: 600_000, sponsor: 400_000, ilo: 2_000_000 }),
    },
  ];
}

export async function makePlan(
  db: Kysely<Database>,
  institutionId: string,
  firstYear: number,
  opts: { varianceThresholdPp?: number } = {},
) {
  const id = randomUUID();
  await db.transaction().execute((trx) =>
    insertPlan(
      trx,
      {
        id,
        institutionId,
        name: `Handover ${firstYear}–${firstYear + 1}`,
        currency: "GHS",
        usdRate: { num: 2, den: 31 },
        exitYear: firstYear + 1,
        varianceThresholdPp: opts.varianceThresholdPp ?? 10,
        scenarioOf: null,
        years: sampleYears(firstYear),
      },
      "test-setup",
      new Date(),
    ),
  );
  return id;
}

export function startHandover(temporal: Pick<TemporalHandle, "client">, taskQueue: string, planId: string) {
  return temporal.client.workflow.start(HANDOVER_WORKFLOW_TYPE, {
    workflowId: handoverWorkflowId(planId),
    taskQueue,
    args: [{ planId }],
  });
}

export const REPORTER: StepActor = { id: "u-reporter", name: "Ama Mensah", role: "institution_reporter" };
export const MANAGER: StepActor = { id: "u-manager", name: "Pat Manager", role: "programme_manager" };
export const OFFICER: StepActor = { id: "u-officer", name: "Kwesi Officer", role: "ilo_officer" };

/** A delivered cycle straight in the records (with its enterprise), as a verified report leaves it. */
export async function recordCycle(
  db: Kysely<Database>,
  institutionId: string,
  endedOn: string,
  cost: number,
  f: Partial<FundingSplit>,
) {
  const enterpriseId = randomUUID();
  await db
    .insertInto("enterprises")
    .values({
      id: enterpriseId,
      institution_id: institutionId,
      name: `Enterprise ${enterpriseId.slice(0, 6)}`,
      size: "small",
      sector: "garments",
      workers_female: 10,
      workers_male: 10,
    })
    .execute();
  const s = funding(f);
  await db
    .insertInto("training_cycles")
    .values({
      id: randomUUID(),
      institution_id: institutionId,
      module_code: "M1",
      enterprise_id: enterpriseId,
      started_on: endedOn,
      ended_on: endedOn,
      visits: 3,
      managers_female: 1,
      managers_male: 1,
      workers_female: 1,
      workers_male: 1,
      currency: "GHS",
      cost_minor: cost,
      fund_enterprise_fee: s.enterprise_fee,
      fund_institution_funds: s.institution_funds,
      fund_government: s.government,
      fund_sponsor: s.sponsor,
      fund_other_donor: s.other_donor,
      fund_ilo: s.ilo,
      ilo_staff_involved: false,
      source_report_id: null,
    })
    .execute();
}

/** The recorded history of a plan's whole life that tests/handover/replay.test.ts replays. */
export const HANDOVER_FIXTURE = new URL("../fixtures/histories/handover-v1.json", import.meta.url).pathname;

/** An active plan's first quarterly check, recorded before the cost variance check existed (see decision 005). */
export const HANDOVER_QUARTER_FIXTURE = new URL("../fixtures/histories/handover-v1-quarter.json", import.meta.url).pathname;
