import { sql, type Kysely } from "kysely";
import { requestState } from "../../app/platform/request-state.server";
import type { Database } from "../schema";

/**
 * Aggregates computed once and shared by every request of this process until something they count
 * changes (decision 030).
 *
 * Every statement that writes to a table the aggregate pages count notes its transaction in
 * `read_model_changes` (migration 021). A process keeps, per database, a generation and the
 * snapshot that opened it. Each request asks once, in one statement, whether a noted transaction
 * has committed outside that snapshot; if so the generation moves on and every kept aggregate is
 * dropped. Within a generation, an aggregate is computed by the first request that needs it and
 * the others (twenty readers of /portfolio at once) wait for that one computation.
 *
 * Why this is never stale: a kept value was computed after the check that opened (or confirmed)
 * its generation, so it includes every change visible in the generation's snapshot; a later request
 * whose check finds nothing committed outside that snapshot sees the same data. A write that commits
 * before a request starts is visible to that request's check, so it moves the generation on.
 *
 * Keys carry everything the value depends on: the arguments, the reader's scope (tenancy), and for
 * figures that count time until now, the minute (so a value lives at most a minute of the clock).
 * Values are shared between requests: callers must not change them.
 *
 * Two tiers (decision 038): a transaction that wrote only the stored status (`institution_status`,
 * the workflows' evaluations, several a second while reminders come due) or the inbox
 * (notifications and their reads, decision 042) drops only the values that read them. A value
 * that reads neither says so (`{ readsStatus: false }`) and is kept across such writes; any other
 * change drops it. The same reasoning holds per tier: the check that
 * moves the generation on found every change committed outside the old snapshot to be status only,
 * so a records value of the old snapshot still holds at the new one.
 */

interface State {
  /** Moves on with any change. */
  gen: number;
  /** Moves on with a change to anything but the stored status. */
  recordsGen: number;
  /** The snapshot that opened this generation, as pg_current_snapshot() prints it; null: none yet. */
  snap: string | null;
  openedAt: number;
  /** Values that read the stored status. */
  entries: Map<string, Entry>;
  /** Values that read no stored status. */
  recordsEntries: Map<string, Entry>;
}

interface Entry {
  value: Promise<unknown>;
  at: number;
}

export interface CacheOptions {
  /** False for a value computed from no `institution_status` row: kept across status-only writes. */
  readsStatus?: boolean;
}

/** For a value that reads no stored status (tests/analytics/read-model-cache.test.ts checks each). */
export const NO_STATUS: CacheOptions = { readsStatus: false };

export interface ReadModel {
  /** The value kept under `key` in this generation, or `compute()` kept there (a failure is not kept). */
  cached<T>(key: string, compute: () => Promise<T>, options?: CacheOptions): Promise<T>;
}

/** A generation is reopened from scratch after this long; change rows are pruned after an hour. */
const MAX_GENERATION_MS = 5 * 60_000;
/** A kept value older than this is computed again (the minute in time-dependent keys bounds it too). */
const MAX_ENTRY_MS = 2 * 60_000;
const MAX_ENTRIES = 500;

const states = new WeakMap<object, State>();

const uncached: ReadModel = { cached: (_key, compute) => compute() };

/** Whether the kept aggregates are used: READ_MODEL_CACHE=off turns them off (to measure without). */
const enabled = () => process.env.READ_MODEL_CACHE !== "off";

/**
 * This request's view of the kept aggregates: one statement, shared by the loaders of one GET
 * (decision 042). Inside a transaction nothing is kept
 * (the transaction may hold writes of its own that no other reader sees yet).
 */
export function readModel(db: Kysely<Database>): Promise<ReadModel> {
  if (db.isTransaction || !enabled()) return Promise.resolve(uncached);
  // The loaders of one page request (the root's header and the page's) share one check: the
  // request began before it, so every write committed before the request is in it. Only for
  // reads: after an action's writes, its loaders must check again.
  const request = requestState.getStore();
  if (!request?.reads) return openReadModel(db);
  const views = (request.readModels ??= new Map());
  let view = views.get(db) as Promise<ReadModel> | undefined;
  if (!view) {
    view = openReadModel(db);
    views.set(db, view);
    view.catch(() => views.delete(db));
  }
  return view;
}

async function openReadModel(db: Kysely<Database>): Promise<ReadModel> {
  let state = states.get(db);
  if (!state) {
    state = { gen: 0, recordsGen: 0, snap: null, openedAt: 0, entries: new Map(), recordsEntries: new Map() };
    states.set(db, state);
  }
  // Twice at most: when another request moved the generation on while this one asked, this one's
  // snapshot and that one's are not ordered, so it asks again against the new generation (its
  // second snapshot is later than the one that opened it); after that it computes without the cache.
  for (let attempt = 0; attempt < 2; attempt++) {
    const gens = await check(db, state);
    if (gens !== null) return keep(state, gens);
  }
  return uncached;
}

/**
 * The statement that asks what changed since `seenSnap` (a `pg_current_snapshot()` as text; null:
 * nothing seen yet): the current snapshot, and whether a transaction the seen snapshot did not see
 * noted a change (`changed`), of the records (`records`). Each asks for the first such change in
 * xid order, not `exists (…)`: PostgreSQL keeps no statistics for xid8 and guesses that a third of
 * the table matches, so `exists` read the whole table (an hour of changes: 2.3 ms at 11,000 rows,
 * more as writes go on); ordered and limited, it walks the primary key from the snapshot's xmin.
 */
export function changeCheck(seenSnap: string | null) {
  const notSeen = (extra: ReturnType<typeof sql>) => sql`(select c.xid from read_model_changes c
    where c.xid >= pg_snapshot_xmin(${seenSnap}::pg_snapshot)
      and not pg_visible_in_snapshot(c.xid, ${seenSnap}::pg_snapshot) ${extra}
    order by c.xid limit 1) is not null`;
  return sql<{ snap: string; changed: boolean; records: boolean }>`
    select pg_current_snapshot()::text as snap,
      ${seenSnap === null ? sql`true` : notSeen(sql``)} as changed,
      ${seenSnap === null ? sql`true` : notSeen(sql`and c.records`)} as records`;
}

/** The generations this request may use, or null when another request moved them on meanwhile. */
async function check(db: Kysely<Database>, state: State): Promise<Gens | null> {
  const seenGen = state.gen;
  const seenSnap = state.snap !== null && Date.now() - state.openedAt < MAX_GENERATION_MS ? state.snap : null;
  const { rows } = await changeCheck(seenSnap).execute(db);
  const row = rows[0]!;
  if (state.gen !== seenGen) return null;
  if (row.changed) {
    state.gen = seenGen + 1;
    state.snap = row.snap;
    state.openedAt = Date.now();
    state.entries.clear();
    if (row.records) {
      state.recordsGen += 1;
      state.recordsEntries.clear();
    }
  }
  return { gen: state.gen, recordsGen: state.recordsGen };
}

interface Gens {
  gen: number;
  recordsGen: number;
}

function keep(s: State, gens: Gens): ReadModel {
  return {
    cached<T>(key: string, compute: () => Promise<T>, options: CacheOptions = {}): Promise<T> {
      const records = options.readsStatus === false;
      if (records ? s.recordsGen !== gens.recordsGen : s.gen !== gens.gen) return compute();
      const entries = records ? s.recordsEntries : s.entries;
      const now = Date.now();
      const kept = entries.get(key);
      if (kept && now - kept.at < MAX_ENTRY_MS) return kept.value as Promise<T>;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const value = compute();
      const entry: Entry = { value: value as Promise<unknown>, at: now };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
  };
}

/** A key from a name and JSON-able arguments. */
export function keyOf(name: string, ...args: unknown[]): string {
  return `${name}:${JSON.stringify(args)}`;
}

/** The minute of `now`, for keys of figures that count time until now. */
export const minuteOf = (now: Date) => Math.floor(now.getTime() / 60_000);
