// First: React reads NODE_ENV when the server build loads it (./node-env.ts).
import "./node-env";
import { Client, Connection } from "@temporalio/client";
import { NativeConnection, type Worker } from "@temporalio/worker";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import v8 from "node:v8";
import { createDb, migrateToLatest, type DbHandle } from "../../db/create-db";
import { ensureReferenceData } from "../../db/reference-data";
import { seedDemoData } from "../../db/seed";
import { DEMO_PASSWORD, seedDemoUsers, type DemoUser } from "../../db/seed-users";
import { createPathwayWorker, defaultWorkflowHeapMb } from "../../workflows/worker";
import { ConfigError, parseConfig, type Config } from "../platform/config";
import { temporalConnectionOptions } from "../platform/temporal-connection";
import { issueSetupLink, SETUP_LINK_HOURS } from "../features/setup/setup.server";
import { ensureMailer } from "../features/mail/mailer.server";
import { PROJECT_ROOT } from "./temporal-binaries";
import { startDevServer, type DevServer } from "./temporal-dev";
import { buildWebApp } from "./build-web";
import { reconcileInBackground } from "./reconcile";
import { startWebServer } from "./web";
import { startHealthPort } from "../platform/health-port.server";

/**
 * `npm start`: database, Temporal dev server, worker and web server in one command.
 * `--only=web` / `--only=worker`: one role per process, for production behind one PostgreSQL
 * and one Temporal cluster.
 */

type Role = "all" | "web" | "worker";

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith("--only="));
  const role = arg?.slice("--only=".length) ?? "all";
  if (role !== "all" && role !== "web" && role !== "worker")
    throw new ConfigError(`Unknown role "${role}": use --only=web or --only=worker`);
  return role;
}

/**
 * The key that signs the notice cookie when COOKIE_SECRET is not set: made once, kept in the data
 * folder (readable by its owner only), so a restart still reads the notices it set.
 */
function cookieSecretIn(dataDir: string): string {
  const file = path.join(dataDir, "cookie-secret");
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  return readFileSync(file, "utf8").trim();
}

/** Where links in e-mail point: APP_URL, else this machine's web port. */
function appUrlOf(config: Config): string {
  return (config.APP_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
}

export async function main(argv: string[], env: NodeJS.ProcessEnv) {
  const config = parseConfig(env);
  const role = parseRole(argv);
  if (role !== "all" && !config.DATABASE_URL)
    throw new ConfigError(
      "Pathways cannot start: bad configuration\n  DATABASE_URL: required with --only=web or --only=worker (the embedded database serves one process; use npm start)",
    );
  if (role !== "all" && !config.TEMPORAL_ADDRESS)
    throw new ConfigError(
      "Pathways cannot start: bad configuration\n  TEMPORAL_ADDRESS: required with --only=web or --only=worker",
    );

  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Pathways…");
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (e) {
        console.error(e);
      }
    }
    process.exit(code);
  };
  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));

  try {
    const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
    if (role !== "worker" && !config.COOKIE_SECRET) config.COOKIE_SECRET = cookieSecretIn(dataDir);
    if (role !== "worker" && env.SKIP_BUILD !== "true") buildWebApp();

    let devServer: DevServer | null = null;
    let address = config.TEMPORAL_ADDRESS;
    if (!address) {
      const port = config.TEMPORAL_DEV_PORT || undefined;
      const uiPort = config.TEMPORAL_UI_PORT || undefined;
      devServer = await startDevServer({ port, uiPort, dbFile: path.join(dataDir, "temporal.db") });
      stops.push(() => devServer!.stop());
      address = devServer.address;
    }

    const dbHandle: DbHandle = await createDb(config.DATABASE_URL ?? path.join(dataDir, "pglite"), {
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
    stops.push(() => dbHandle.close());
    await migrateToLatest(dbHandle.db);
    await ensureReferenceData(dbHandle.db);
    let seeded = 0;
    let demoUsers: DemoUser[] = [];
    if (role === "all" && config.DEMO_DATA) {
      seeded = (await seedDemoData(dbHandle.db, new Date())).institutions;
      demoUsers = await seedDemoUsers(dbHandle.db, new Date());
    }

    // 30 s, not the SDK's 10: a Temporal server starting beside this process on a busy machine
    // (a deploy, CI) can take longer than 10 s to answer its first call.
    const connection = await Connection.connect({ ...temporalConnectionOptions(config, address), connectTimeout: "30s" });
    stops.push(() => connection.close());
    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

    if (role !== "web") {
      const nativeConnection = await NativeConnection.connect(temporalConnectionOptions(config, address));
      const worker: Worker = await createPathwayWorker({
        connection: nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        db: dbHandle.db,
        settings: {
          maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
          maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
          maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
          workflowHeapMb: config.WORKER_WORKFLOW_HEAP_MB ?? defaultWorkflowHeapMb(config.WORKER_MAX_CACHED_WORKFLOWS),
        },
        mail: { smtpUrl: config.SMTP_URL ?? null, appUrl: appUrlOf(config), from: config.MAIL_FROM ?? null },
      });
      const running = worker.run();
      stops.push(async () => {
        if (worker.getState() === "RUNNING") worker.shutdown();
        await running;
        await nativeConnection.close();
      });
      running.catch((e) => {
        console.error("The worker stopped:", e);
        void stopAll(1);
      });
    }

    let webUrl: string | null = null;
    let healthUrl: string | null = null;
    let healthNote = "";
    if (role !== "worker") {
      const ctx = { db: dbHandle.db, pingDatabase: dbHandle.ping, temporal, config, temporalUiUrl: devServer?.uiUrl ?? null };
      const web = await startWebServer(ctx, config.PORT, config.HOST);
      const server: Server = web.server;
      stops.push(
        () =>
          new Promise((r) => {
            server.close(() => r(undefined));
            // Browsers keep connections open; without this, close() would wait for them.
            server.closeAllConnections();
          }),
      );
      webUrl = web.url;
      // The health port (decision 040): /healthz from a thread of its own, with its own connections.
      if (config.HEALTH_PORT !== undefined) {
        const healthPort = await startHealthPort({
          host: config.HOST,
          port: config.HEALTH_PORT,
          databaseUrl: config.DATABASE_URL!,
          temporal: {
            address,
            namespace: config.TEMPORAL_NAMESPACE,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            settings: {
              TEMPORAL_TLS: config.TEMPORAL_TLS,
              TEMPORAL_TLS_CERT: config.TEMPORAL_TLS_CERT,
              TEMPORAL_TLS_KEY: config.TEMPORAL_TLS_KEY,
              TEMPORAL_API_KEY: config.TEMPORAL_API_KEY,
            },
          },
          stallMs: config.HEALTH_STALL_MS,
          nice: config.HEALTH_NICE,
        });
        stops.push(() => healthPort.close());
        healthUrl = healthPort.url;
        const { nice, refused } = healthPort.priority;
        healthNote = refused
          ? `a thread of its own; its priority stays at nice ${nice}: ${refused}`
          : `a thread of its own, nice ${nice}`;
      }
    }

    // First run without demo data: no administrator yet, so a one-time link creates the first.
    const setupLink = webUrl ? await issueSetupLink(dbHandle.db, { baseUrl: webUrl, createdBy: "npm-start" }) : null;

    console.log("");
    if (setupLink) {
      console.log("  No administrator yet. Open this one-time link to create the first ILO administrator");
      console.log(`  (it works once and expires in ${SETUP_LINK_HOURS} hours; \`npm run admin:create\` makes a new one):`);
      console.log(`    ${setupLink.url}\n`);
    }
    // Before the ready line: whoever waits for it finds the health port's address already printed.
    if (healthUrl) console.log(`  Health port     ${healthUrl}/healthz   (${healthNote})`);
    if (webUrl) console.log(`  Pathways        ${webUrl}/institutions   (ready)`);
    if (devServer?.uiUrl) console.log(`  Temporal Web UI ${devServer.uiUrl}`);
    console.log(
      `  Temporal        ${address} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})`,
    );
    console.log(
      `  Database        ${dbHandle.kind === "pglite" ? `embedded PGlite in ${path.relative(PROJECT_ROOT, dataDir)}/pglite` : "PostgreSQL (DATABASE_URL)"}`,
    );
    if (role !== "web") {
      const heapMb = config.WORKER_WORKFLOW_HEAP_MB ?? defaultWorkflowHeapMb(config.WORKER_MAX_CACHED_WORKFLOWS);
      const mainMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
      console.log(
        `  Worker          ${config.WORKER_MAX_CACHED_WORKFLOWS} pathways cached; V8 heap ${heapMb} MB for workflows, ${mainMb} MB for the rest`,
      );
    }
    if (seeded > 0) console.log(`  Demo data       ${seeded} institutions loaded`);
    if (demoUsers.length > 0) {
      console.log(`\n  Demo accounts (password for all: ${DEMO_PASSWORD}; shown on first run only):`);
      for (const u of demoUsers) console.log(`    ${u.email.padEnd(28)} ${u.role.padEnd(21)} ${u.scope}`);
    }
    console.log("  Press Ctrl-C to stop.\n");

    if (role !== "web") {
      // After the web has opened, in the background: every active institution has its pathway
      // running (demo institutions included), and pathways that have not stored their status
      // yet (running since before the status read model) evaluate. Pages show "not yet
      // evaluated" meanwhile, and a report to a pathway not yet started starts it.
      void reconcileInBackground(dbHandle, temporal, config.TEMPORAL_TASK_QUEUE);
      // The mailer: notifications and digests by e-mail, or into the outbox without SMTP_URL.
      ensureMailer(temporal, config.TEMPORAL_TASK_QUEUE).catch((e) => console.error("The mailer could not start:", e));
      console.log(
        config.SMTP_URL
          ? `  Mail            sent through SMTP_URL, links to ${appUrlOf(config)}`
          : `  Mail            no SMTP_URL: kept in the outbox (${appUrlOf(config)}/admin/outbox)`,
      );
    }
  } catch (e) {
    if (e instanceof ConfigError) console.error(e.message);
    else console.error("Pathways could not start:", e);
    await stopAll(e instanceof ConfigError ? 2 : 1);
  }
}

try {
  await main(process.argv.slice(2), process.env);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
}
