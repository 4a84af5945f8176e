import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { temporalCliPath } from "./temporal-binaries";

export interface DevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** A port the OS says is free now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * Starts the Temporal CLI's dev server: a complete single-process Temporal with SQLite
 * persistence. `dbFile` null keeps it in memory (tests).
 */
export async function startDevServer(opts: {
  /** Omitted: a free port, tried again on another if it is taken before the server binds it. */
  port?: number;
  /** null: headless; omitted: a free port. */
  uiPort?: number | null;
  dbFile: string | null;
  log?: (line: string) => void;
}): Promise<DevServer> {
  const chosen = opts.port !== undefined && opts.uiPort !== undefined;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const uiPort = opts.uiPort === undefined ? await freePort() : opts.uiPort;
    try {
      return await startOnPorts({ ...opts, port, uiPort });
    } catch (e) {
      // Between finding a port free and binding it, another process (another test file's server,
      // this server's own internal ports) can take it: only then is it worth another try.
      const taken = e instanceof Error && /address already in use|is taken/i.test(e.message);
      if (chosen || !taken || attempt >= 3) throw e;
    }
  }
}

async function startOnPorts(opts: {
  port: number;
  uiPort: number | null;
  dbFile: string | null;
  log?: (line: string) => void;
}): Promise<DevServer> {
  const cli = await temporalCliPath();
  if (await portOpen(opts.port)) throw new Error(`Port ${opts.port} is taken; set TEMPORAL_DEV_PORT to another port`);
  const args = ["server", "start-dev", "--ip", "127.0.0.1", "--port", String(opts.port), "--log-level", "error"];
  if (opts.uiPort === null) args.push("--headless");
  else args.push("--ui-port", String(opts.uiPort));
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push("--db-filename", opts.dbFile);
  }
  const child: ChildProcess = spawn(cli, args, { stdio: ["ignore", "pipe", "pipe"] });
  let exited = false;
  let output = "";
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
    opts.log?.(b.toString());
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.once("exit", () => (exited = true));
  // A process that dies without stopping the server (a crash, a test timeout) takes it along.
  const killOnExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(opts.port))) {
    if (exited) throw new Error(`The Temporal dev server exited at start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The Temporal dev server did not open port ${opts.port} within 60 s:\n${output}`);
    }
    await sleep(100);
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort === null ? null : `http://127.0.0.1:${opts.uiPort}`,
    async stop() {
      process.off("exit", killOnExit);
      if (exited) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const killed = await Promise.race([gone.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        child.kill("SIGKILL");
        await gone;
      }
    },
  };
}
