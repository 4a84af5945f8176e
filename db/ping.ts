import pg from "pg";

/**
 * A round trip to a PostgreSQL server over one connection of its own, for the health checks:
 * never waits behind the pages' queries for one of the pool's connections (busy is not down).
 * The web process's `/healthz` (DbHandle.ping) and the health port's thread each make one.
 *
 * The statement is cut off by the server after `statementTimeoutMs`, and a connection that cannot
 * be made in `connectTimeoutMs` fails the ping; the checks put their own limit around it as well.
 */
export interface PingPool {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createPingPool(
  url: string,
  opts: { applicationName?: string; statementTimeoutMs?: number; connectTimeoutMs?: number } = {},
): PingPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 2_000,
    statement_timeout: opts.statementTimeoutMs ?? 1_000,
    ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
  });
  // An idle connection ended by the server (a restart, a failover): the next ping opens another.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return {
    ping: async () => {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
}
