import { Client, Connection, type WorkflowHandle } from "@temporalio/client";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from "@temporalio/worker";
import type { Duration } from "@temporalio/common";
import type { Kysely } from "kysely";
import proto from "@temporalio/proto";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { temporalTestServerPath } from "../../app/server/temporal-binaries";
import { startDevServer } from "../../app/server/temporal-dev";
import { createInstitution } from "../../db/queries/institutions";
import type { Database } from "../../db/schema";
import { createActivities, type PathwayActivities } from "../../workflows/activities";
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId, type PathwayWorkflowInput } from "../../workflows/shared";
import { pathwayWorkflowBundle } from "../../workflows/worker";
import { TEMPORAL_CONNECT_TIMEOUT } from "./temporal-connect";

/**
 * Real Temporal servers for workflow tests: the CLI's dev server (`temporal server start-dev`)
 * and the time-skipping test server, both on ports the OS hands out, plus workers on unique
 * task queues and institutions whose pathway runs. Every start registers its stop in a
 * `Cleanup`, so `afterAll(cleanup.run)` stops everything even when a test failed half-way.
 */

const NAMESPACE = "default";

/** Stops, last started first; one failing stop does not keep the others from running. */
export class Cleanup {
  private readonly stops: { name: string; stop: () => Promise<unknown> }[] = [];

  add(name: string, stop: () => Promise<unknown>): void {
    this.stops.push({ name, stop });
  }

  run = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        errors.push(new Error(`Stopping ${name} failed: ${String(e)}`));
      }
    }
    if (errors.length) throw new AggregateError(errors, errors.map(String).join("\n"));
  };
}

/**
 * The SDK's default logger writes to console.error, which the test setup turns into a failure.
 * Worker logs (an activity that failed on purpose, a worker shutting down) go to console.warn
 * instead, and are kept for tests that want to look at them.
 */
export const workerLog: LogEntry[] = [];
let runtimeInstalled = false;
export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger("WARN", (entry) => {
      workerLog.push(entry);
      console.warn(`[temporal ${entry.level}] ${entry.message}`);
    }),
  });
}

export interface TemporalHandle {
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
  address: string;
}

/** A real `temporal server start-dev` (in-memory, headless) with a client and a worker connection. */
export async function startDevTemporal(cleanup: Cleanup): Promise<TemporalHandle> {
  installTestRuntime();
  const server = await startDevServer({ uiPort: null, dbFile: null });
  cleanup.add("the Temporal dev server", () => server.stop());
  const connection = await Connection.connect({ address: server.address, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
  cleanup.add("the client connection", () => connection.close());
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  cleanup.add("the worker connection", () => nativeConnection.close());
  return {
    client: new Client({ connection, namespace: NAMESPACE }),
    nativeConnection,
    namespace: NAMESPACE,
    address: server.address,
  };
}

/** Temporal's time-skipping test server, from the binary the project installs (never a download). */
export async function startTimeSkippingTemporal(cleanup: Cleanup): Promise<TestWorkflowEnvironment & TemporalHandle> {
  installTestRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: "existing-path", path: await temporalTestServerPath() } },
  });
  cleanup.add("the time-skipping test server", () => env.teardown());
  return Object.assign(env, { namespace: env.namespace ?? NAMESPACE });
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Graceful shutdown; resolves when the worker stopped polling and finished its tasks. */
  stop(): Promise<void>;
}

export function uniqueTaskQueue(prefix = "pathways-test"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A pathway worker with the real activities on the given database. `activities` replaces some
 * of them, for tests that simulate a crash at a chosen point.
 */
export async function startPathwayWorker(
  cleanup: Cleanup,
  opts: {
    temporal: Pick<TemporalHandle, "nativeConnection" | "namespace">;
    db: Kysely<Database>;
    taskQueue?: string;
    activities?: (real: PathwayActivities) => Partial<PathwayActivities>;
    shutdownGraceTime?: Duration;
  },
): Promise<RunningWorker> {
  const taskQueue = opts.taskQueue ?? uniqueTaskQueue();
  const real = createActivities({ db: opts.db });
  const worker = await Worker.create({
    connection: opts.temporal.nativeConnection,
    namespace: opts.temporal.namespace,
    taskQueue,
    workflowBundle: await pathwayWorkflowBundle(),
    activities: { ...real, ...opts.activities?.(real) },
    shutdownGraceTime: opts.shutdownGraceTime ?? "2s",
    // An activity that ignores cancellation must not keep a test (or its cleanup) waiting forever.
    shutdownForceTime: "20s",
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (worker.getState() === "RUNNING") worker.shutdown();
      await running;
    })();
    return stopped;
  };
  // A worker that dies on its own fails the test that waits on it; keep the rejection handled.
  running.catch(() => {});
  cleanup.add(`the worker on ${taskQueue}`, stop);
  return { worker, taskQueue, stop };
}

export interface InstitutionOptions {
  stageKey?: string;
  mouSignedOn?: string | null;
  scoreInPortfolio?: boolean;
  /** The institution's creation time; defaults to now. Time-skipping tests pass the server's time. */
  at?: Date;
  countryCode?: string;
}

/** An institution as `createInstitution` makes it, then moved to the state a test needs. */
export async function makeInstitution(db: Kysely<Database>, opts: InstitutionOptions = {}): Promise<string> {
  const id = randomUUID();
  const at = opts.at ?? new Date();
  await createInstitution(
    db,
    {
      id,
      name: `Test institute ${id.slice(0, 8)}`,
      type: "employers_organisation",
      role: "implementing_partner",
      countryCode: opts.countryCode ?? "GH",
    },
    "test-setup",
    at,
  );
  await db
    .updateTable("institutions")
    .set({
      created_at: at,
      stage_key: opts.stageKey ?? "engaged",
      mou_signed_on: opts.mouSignedOn ?? null,
      score_in_portfolio: opts.scoreInPortfolio ?? false,
    })
    .where("id", "=", id)
    .execute();
  return id;
}

/** Starts the institution's pathway the way the web app does (workflow id `pathway-<id>`). */
export async function startPathway(
  client: Client,
  taskQueue: string,
  institutionId: string,
  state?: PathwayWorkflowInput["state"],
): Promise<WorkflowHandle> {
  const input: PathwayWorkflowInput = state ? { institutionId, state } : { institutionId };
  return client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(institutionId),
    taskQueue,
    args: [input],
  });
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle["fetchHistory"]>>["events"]>[number];

/** The events of the handle's current run. */
export async function historyEvents(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** How many times the workflow scheduled an activity of this type. */
export function activitiesScheduled(events: HistoryEvent[], activityType: string): number {
  return events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).length;
}

/** The update ids the workflow accepted (a validator's rejection leaves no event). */
export function acceptedUpdateIds(events: HistoryEvent[]): string[] {
  return events
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
    .filter((id): id is string => !!id);
}

/** Polls until `check` stops throwing: for effects that land a moment after the call that caused them. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A ToT cohort report with `total` trainers, `women` of them women. */
export function totCohortReport(
  institutionId: string,
  opts: { total: number; women: number; endedOn?: string; reportId?: string },
) {
  return {
    reportId: opts.reportId ?? randomUUID(),
    institutionId,
    submittedBy: "coordinator@institute.example",
    evidence: [],
    kind: "tot_cohort" as const,
    payload: {
      module: "M1",
      startedOn: "2024-03-04",
      endedOn: opts.endedOn ?? "2024-03-15",
      trainers: Array.from({ length: opts.total }, (_, i) => ({
        name: `Trainer ${String.fromCharCode(65 + i)}`,
        sex: i < opts.women ? ("female" as const) : ("male" as const),
      })),
    },
  };
}

type History = Awaited<ReturnType<WorkflowHandle["fetchHistory"]>>;
const HistoryMessage = proto.temporal.api.history.v1.History;

/**
 * A history as committed JSON: protobufjs' own JSON form (enum names, 64-bit ids as strings,
 * payloads base64). Not `historyToJSON` from @temporalio/common: in this install it and its
 * reverse `historyFromJSON` throw "type must be a Type" (the SDK's packages carry two copies of
 * protobufjs 8 beside the hoisted protobufjs 7 that gRPC needs).
 */
export function historyFileText(history: History): string {
  return JSON.stringify(HistoryMessage.fromObject(history).toJSON(), null, 1) + "\n";
}

/** A history file read back as the History object `Worker.runReplayHistory` takes as is. */
export function readHistoryFile(file: string): History {
  return HistoryMessage.fromObject(JSON.parse(readFileSync(file, "utf8")));
}
