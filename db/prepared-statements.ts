import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * Each statement the app sends to PostgreSQL parsed and planned once per connection, not once per
 * request (decision 050).
 *
 * Kysely sends every statement as an unnamed one, so the server parses it and plans it again each
 * time: for the institution page's statements that was about 80 % of PostgreSQL's time. Here each
 * distinct SQL text gets a name when it is seen a second time, and `pg` sends it as a named statement:
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
 * with "cached plan must not change result type" (0A000). That connection then parses the text
 * again under a new name, from its next use: outside a transaction at once (the caller sees no
 * error); inside one, the transaction fails as any failed statement fails it, and the next use,
 * in a transaction or not, runs the new statement.
 */

export interface PreparedOptions {
  maxStatements?: number;
  maxParameters?: number;
}

/** Texts seen once, waiting for a second use before they are named (forgotten all at once when full). */
const SEEN_ONCE_LIMIT = 1_000;
/** Statements that read or write rows: the ones pages and activities repeat. */
const READ_OR_WRITE = /^\s*(select|with|insert|update|delete)\b/i;
/** A statement parsed again under new names this often on one connection then runs unnamed there. */
const MAX_RENAMES = 3;

/**
 * The server refused a held statement: its result changed with the schema ("cached plan must not
 * change result type", 0A000), or it does not hold it (26000, e.g. after `pg` closed it when
 * binding a value failed on this side).
 */
function statementGone(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: string; message?: string };
  if (code === "26000") return true;
  return code === "0A000" && /cached plan must not change result type/.test(message ?? "");
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
  /** How often this connection parsed a statement again because the server refused the one it held. */
  const renames = new Map<string, number>();
  /** The name a statement has on this connection now; null once renamed too often (then unnamed). */
  const nameOn = (name: string): string | null => {
    const times = renames.get(name) ?? 0;
    return times === 0 ? name : times > MAX_RENAMES ? null : `${name}_r${times}`;
  };
  const run = async (text: string, values: unknown[]) => {
    const name = nameOf(text, values.length);
    const held = name ? nameOn(name) : null;
    if (!name || !held) return client.query(text, values);
    try {
      return await client.query({ name: held, text, values });
    } catch (e) {
      if (!statementGone(e)) throw e;
      // The server's statement no longer fits (a schema change) or no longer exists: this
      // connection parses the text again under a new name, leaving the old one unused (no
      // DEALLOCATE: a pooler between may hold it under a name of its own).
      renames.set(name, (renames.get(name) ?? 0) + 1);
      if (inTransaction) throw e;
      const now = nameOn(name);
      return now ? client.query({ name: now, text, values }) : client.query(text, values);
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
