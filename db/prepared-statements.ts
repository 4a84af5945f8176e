import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * Each statement the app sends to PostgreSQL parsed and planned once per connection, not once per
 * request (decision 050).
 *
 * Kysely sends every statement as an unnamed one, so the server parses it and plans it again each
 * time: for the institution page's statements that was about 60 % of PostgreSQL's time. Here each
 * distinct SQL text gets a name the first time it is seen, and `pg` sends it as a named statement:
 * parsed on the first use on a connection, then only bound and executed. PostgreSQL plans it anew
 * for its first five runs, then keeps a generic plan when that costs no more than the custom ones.
 *
 * Bounds, so a process cannot fill the server's memory with statements:
 * - a text is named on its second use, so statements that run once (a text with a value written
 *   into it) never take a place;
 * - at most `maxStatements` texts are named per process; texts seen after that run unnamed, as
 *   before;
 * - a text with more than `maxParameters` parameters runs unnamed: such texts are the long `in
 *   (…)` lists whose text changes with the list's length, each one used rarely.
 *
 * A named statement outlives a schema change on its connection. When a migration changes what a
 * statement returns (a column added to a table read with `*`), PostgreSQL refuses the old statement
 * with "cached plan must not change result type" (0A000). The statement is then dropped on that
 * connection and, outside a transaction, run again at once; inside one, the transaction fails as
 * any failed statement fails it, and the statement is dropped before its next use.
 */

export interface PreparedOptions {
  maxStatements?: number;
  maxParameters?: number;
}

const CACHED_PLAN_CHANGED = "0A000";
/** Texts seen once, waiting for a second use before they are named (forgotten all at once when full). */
const SEEN_ONCE_LIMIT = 1_000;
/** Statements that read or write rows: the ones pages and activities repeat. */
const READ_OR_WRITE = /^\s*(select|with|insert|update|delete)\b/i;
const QUOTED_NAME = (name: string) => `"${name}"`;

/** The statement names kept in `pg`'s connection (parsed, or sent and not yet answered). */
interface PgConnectionState {
  parsedStatements: Record<string, string>;
}

export function withPreparedStatements(pool: pg.Pool, opts: PreparedOptions = {}): PostgresPool {
  const maxStatements = opts.maxStatements ?? 100;
  const maxParameters = opts.maxParameters ?? 32;
  const names = new Map<string, string>();
  const seenOnce = new Set<string>();
  const nameOf = (text: string, parameters: number): string | undefined => {
    const known = names.get(text);
    if (known) return known;
    if (names.size >= maxStatements || parameters > maxParameters) return undefined;
    if (!seenOnce.has(text)) {
      if (seenOnce.size >= SEEN_ONCE_LIMIT) seenOnce.clear();
      seenOnce.add(text);
      return undefined;
    }
    seenOnce.delete(text);
    const name = `pathways_${names.size + 1}`;
    names.set(text, name);
    return name;
  };
  // Kysely keeps its own state per client object: one wrapper per client, for the client's life.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client, nameOf);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function wrap(client: pg.PoolClient, nameOf: (text: string, parameters: number) => string | undefined): PostgresPoolClient {
  let inTransaction = false;
  /** Names whose statement on this connection PostgreSQL refused after a schema change. */
  const stale = new Set<string>();
  const drop = async (name: string) => {
    await client.query(`deallocate ${QUOTED_NAME(name)}`);
    delete (client as unknown as { connection: PgConnectionState }).connection.parsedStatements[name];
    stale.delete(name);
  };
  const run = async (text: string, values: unknown[]) => {
    const name = nameOf(text, values.length);
    if (!name) return client.query(text, values);
    if (stale.has(name) && !inTransaction) await drop(name);
    try {
      return await client.query({ name, text, values });
    } catch (e) {
      if ((e as { code?: string }).code !== CACHED_PLAN_CHANGED) throw e;
      stale.add(name);
      if (inTransaction) throw e;
      await drop(name);
      return client.query({ name, text, values });
    }
  };
  const query = (async (textOrCursor: unknown, values?: readonly unknown[]) => {
    if (typeof textOrCursor !== "string") return client.query(textOrCursor as never);
    const text = textOrCursor;
    if (/^\s*(begin|start transaction)\b/i.test(text)) inTransaction = true;
    else if (/^\s*(commit|rollback)\s*$/i.test(text)) inTransaction = false;
    // Transaction control, savepoints and schema changes run as they come, unnamed.
    if (!READ_OR_WRITE.test(text)) return client.query(text, values ? [...values] : undefined);
    return run(text, values ? [...values] : []) as Promise<PostgresQueryResult<unknown>>;
  }) as PostgresPoolClient["query"];
  return {
    query,
    release: (destroy?: boolean) => client.release(destroy),
  };
}
