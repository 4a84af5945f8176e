import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";
import type { Database } from "./schema";
import { migrations } from "./migrations/index";
import { withPreparedStatements } from "./prepared-statements";

export interface DbHandle {
  db: Kysely<Database>;
  kind: "pglite" | "postgres";
  /**
   * A round trip to the database for /healthz. On PostgreSQL over a connection of its own, so a
   * health check never waits behind the pages' queries for one of the pool's connections: busy is
   * not down.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Both drivers return the same JS shapes: dates as ISO strings, bigint as number.
const DATE_OID = 1082;
const INT8_OID = 20;

export interface DbOptions {
  /**
   * PostgreSQL: each statement parsed and planned once per connection (db/prepared-statements.ts,
   * decision 050). On by default; off for a pooler that cannot keep them.
   */
  preparedStatements?: boolean;
}

/**
 * Opens the database: a PostgreSQL server when `url` is a postgres:// URL, otherwise PGlite
 * stored in the folder `url` names (`memory://` keeps it in memory, for tests).
 */
export async function createDb(url: string, opts: DbOptions = {}): Promise<DbHandle> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pg = await import("pg");
    const types = pg.default.types;
    types.setTypeParser(DATE_OID, (v: string) => v);
    types.setTypeParser(INT8_OID, (v: string) => Number(v));
    // A server that accepts but never answers must not hold a request (or /healthz) forever.
    // No JIT: the pages' aggregates are tens of milliseconds of work, and compiling them cost as much
    // again on every statement whose estimate crossed jit_above_cost (decision 030).
    const pool = new pg.default.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000, options: "-c jit=off" });
    // An idle connection the server ends (a restart, a failover, an administrator) must not take
    // the process down: the pool drops it and opens a new one on next use.
    pool.on("error", (err: Error & { code?: string }) => {
      console.warn(`PostgreSQL ended an idle connection (${err.code ?? err.message}); the pool opens a new one when needed.`);
    });
    // A connection ended while in use (a failover mid-query): its query fails, and so does that
    // request, but the `error` event the client also emits must have a listener, or Node ends the
    // whole process. The pool discards the broken client when it is released.
    pool.on("connect", (client) => {
      client.on("error", (err: Error & { code?: string }) => {
        console.warn(
          `PostgreSQL ended a connection in use (${err.code ?? err.message}); the query on it fails, the pool opens a new one.`,
        );
      });
    });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: opts.preparedStatements === false ? pool : withPreparedStatements(pool) }),
    });
    const { createPingPool } = await import("./ping");
    const health = createPingPool(url, { applicationName: "pathways-healthz" });
    return {
      db,
      kind: "postgres",
      ping: health.ping,
      close: async () => {
        await Promise.all([db.destroy(), health.close()]);
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  const client = await PGlite.create(url, {
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: "pglite",
    // One embedded database in this process: there is no pool to wait behind.
    ping: async () => {
      await client.query("select 1");
    },
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
