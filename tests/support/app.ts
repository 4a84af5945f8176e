import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_ROOT } from "../../app/server/temporal-binaries";
import { freePort } from "../../app/server/temporal-dev";

export interface RunningApp {
  url: string;
  /** The health port's address (HEALTH_PORT set), as the app printed it; else null. */
  healthUrl: string | null;
  temporalAddress: string;
  output(): string;
  stop(): Promise<number | null>;
  /** The process started (its own group: the app's node process and the Temporal dev server are under it). */
  pid: number;
}

/**
 * Runs the app the way `npm start` does (same entry point), on free ports and a data folder of
 * the test's own. Resolves once it prints that it is ready.
 */
export interface StartOptions {
  dataDir: string;
  env?: Record<string, string>;
  args?: string[];
  /** Node options before the entry point (e.g. the `--max-old-space-size` of `npm run worker`). */
  nodeArgs?: string[];
  /** What the process prints when it is ready; a worker-only process prints no web URL. */
  readyPattern?: RegExp;
}

/**
 * A port found free can be taken before the app binds it (the Temporal dev server opens ports of
 * its own while it starts, and other test files start apps at the same time). Such a start is
 * tried again on new ports; any other failure is reported as it is.
 */
export async function startApp(opts: StartOptions): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      const portTaken = e instanceof Error && /EADDRINUSE|address already in use/.test(e.message);
      if (!portTaken || attempt >= 3) throw e;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<RunningApp> {
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
      ...(opts.nodeArgs ?? []),
      "app/server/start.ts",
      ...(opts.args ?? []),
    ],
    {
      cwd: PROJECT_ROOT,
      detached: true, // its own process group, so a hard stop reaches the dev server too
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        TEMPORAL_DEV_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        DATA_DIR: opts.dataDir,
        SKIP_BUILD: "true",
        ...opts.env,
      },
    },
  );
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r((exitCode = code))));

  const stop = async () => {
    if (exitCode !== undefined) return exitCode;
    child.kill("SIGTERM");
    const code = await Promise.race([exited, sleep(20_000).then(() => "timeout" as const)]);
    if (code === "timeout") {
      process.kill(-child.pid!, "SIGKILL");
      return exited;
    }
    return code;
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    const web = out.match(/Pathways\s+(http:\/\/\S+)\/institutions\s+\(ready\)/);
    const ready = opts.readyPattern ? opts.readyPattern.test(out) : !!web;
    const health = out.match(/Health port\s+(http:\/\/\S+)\/healthz/);
    if (ready)
      return {
        url: web?.[1] ?? "",
        healthUrl: health?.[1] ?? null,
        temporalAddress: `127.0.0.1:${temporalPort}`,
        output: () => out,
        stop,
        pid: child.pid!,
      };
    if (exitCode !== undefined) throw new Error(`The app exited with ${exitCode} before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The app was not ready within 120 s:\n${out}`);
    }
    await sleep(200);
  }
}
