/**
 * The aggregate pages at scale: `npm run bench:aggregates` makes a database on the PostgreSQL
 * server (TEST_POSTGRES_URL), loads the demo data, then inserts INSTITUTIONS institutions (default
 * 5,000) with their stage history, stored status, trainers, enterprises, commitments and CYCLES
 * training cycles (default 100,000) straight with SQL, and times each page's loader (server time, no
 * HTTP), counting its SQL statements through Kysely's log hook: one request at a time after a change
 * (the kept aggregates of decision 030 counted again), one at a time unchanged, and BURST (20) at
 * once after a change. Prints a table; asserts nothing. READ_MODEL_CACHE=off measures without the
 * kept aggregates; SLOW_MS=<ms> prints each slower statement; ONLY=<text> runs the pages whose label
 * has it. The database is dropped at the end (KEEP_DB=1 keeps it; BENCH_DB=<name>
 * measures again on a kept one, without inserting anything).
 */
import { benchDatabase, bulkInsert } from "./bench-data";
import type { AppLoadContext } from "@remix-run/node";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { parseConfig } from "../app/platform/config";
import { loader as portfolioLoader } from "../app/routes/portfolio";
import { loader as analyticsLoader } from "../app/routes/analytics";
import { loader as logframeLoader } from "../app/routes/logframe._index";
import { loader as totalsLoader } from "../app/routes/totals";
import { loader as institutionLoader } from "../app/routes/institutions.$id._index";
import { loader as institutionsLoader } from "../app/routes/institutions._index";
import { migrateToLatest } from "../db/create-db";
import { ensureReferenceData } from "../db/reference-data";
import type { Database } from "../db/schema";
import { seedDemoData } from "../db/seed";
import { signInAs } from "../tests/support/session";

const INSTITUTIONS = Number(process.env.INSTITUTIONS ?? 5_000);
const CYCLES = Number(process.env.CYCLES ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);

const benchDb = await benchDatabase("pathways_bench");
const reuse = benchDb.reused;
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
const pool = new pg.Pool({ connectionString: benchDb.url, max: 10, options: "-c jit=off" }); // as db/create-db.ts
pool.on("error", () => {}); // connections ended by the final drop database
let statements = 0;
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log: (e) => {
    if (e.level === "query") statements++;
    // SLOW_MS=<ms>: print each statement that took longer, to find where a page's time goes.
    if (process.env.SLOW_MS && e.queryDurationMillis > Number(process.env.SLOW_MS))
      console.log(`  ${e.queryDurationMillis.toFixed(0)} ms: ${e.query.sql.replace(/\s+/g, " ").slice(0, 300)}`);
  },
});

try {
  if (!reuse) await migrateToLatest(db);
  if (!reuse) {
    await ensureReferenceData(db);
    const now = new Date();
    await seedDemoData(db, now);
    const t0 = performance.now();
    await bulkInsert(db, now, { institutions: INSTITUTIONS, cycles: CYCLES });
    console.log(`inserted ${INSTITUTIONS} institutions, ${CYCLES} cycles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (reuse) await migrateToLatest(db); // a kept database made before the latest migration
  await sql`analyze`.execute(db);

  const counts = await sql<{ i: number; c: number; t: number; tr: number }>`select
    (select count(*) from institutions) as i, (select count(*) from training_cycles) as c,
    (select count(*) from stage_transitions) as t, (select count(*) from trainers) as tr`.execute(db);
  console.log("rows:", counts.rows[0]);

  const manager = await signInAs(db, "programme_manager");
  const some = await db
    .selectFrom("institutions")
    .select("id")
    .where("name", "like", "Bench %")
    .orderBy("name")
    .executeTakeFirstOrThrow();
  const reporter = await signInAs(db, "institution_reporter", { institutionId: some.id });
  const context = {
    db,
    temporal: {},
    config: parseConfig({}),
    temporalUiUrl: null,
    namespace: "default",
    clientIp: "127.0.0.1",
  } as unknown as AppLoadContext;

  type Loader = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>;
  const pages: [string, Loader, string, string, Record<string, string>][] = [
    ["/portfolio", portfolioLoader as Loader, "/portfolio", manager.cookie, {}],
    ["/portfolio?stage=certification", portfolioLoader as Loader, "/portfolio?stage=certification", manager.cookie, {}],
    ["/portfolio (reporter)", portfolioLoader as Loader, "/portfolio", reporter.cookie, {}],
    ["/analytics", analyticsLoader as Loader, "/analytics", manager.cookie, {}],
    ["/logframe", logframeLoader as Loader, "/logframe", manager.cookie, {}],
    ["/totals", totalsLoader as Loader, "/totals", manager.cookie, {}],
    ["/institutions", institutionsLoader as Loader, "/institutions", manager.cookie, {}],
    [
      "/institutions?sort=stage&page=40",
      institutionsLoader as Loader,
      "/institutions?sort=stage&dir=desc&page=40",
      manager.cookie,
      {},
    ],
    ["/institutions/<id>", institutionLoader as Loader, `/institutions/${some.id}`, manager.cookie, { id: some.id }],
  ];
  const BURST = Number(process.env.BURST ?? 20);
  // A write to a counted table (none here: `where false`) still notes a change, so the next
  // request finds the kept aggregates out of date and counts again (decision 030).
  const change = () => sql`update countries set name = name where false`.execute(db);
  const once = async (loader: Loader, path: string, cookie: string, params: Record<string, string>) => {
    const start = performance.now();
    const res = await loader({ request: new Request(`http://bench${path}`, { headers: { Cookie: cookie } }), params, context });
    if (res instanceof Response) await res.text();
    return performance.now() - start;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `\n| page | statements after a change | ms after a change (median of ${RUNS}) | statements, unchanged | ms, unchanged (median of ${RUNS}) | ${BURST} at once after a change: slowest ms |\n| --- | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const [label, loader, path, cookie, params] of pages) {
    if (process.env.ONLY && !label.includes(process.env.ONLY)) continue; // ONLY=<text>: the pages whose label has it
    const cold: number[] = [];
    const warm: number[] = [];
    let nCold = 0;
    let nWarm = 0;
    for (let r = 0; r < RUNS; r++) {
      await change();
      statements = 0;
      cold.push(await once(loader, path, cookie, params));
      nCold = statements;
    }
    for (let r = 0; r < RUNS; r++) {
      statements = 0;
      warm.push(await once(loader, path, cookie, params));
      nWarm = statements;
    }
    await change();
    const burst = await Promise.all(Array.from({ length: BURST }, () => once(loader, path, cookie, params)));
    console.log(
      `| ${label} | ${nCold} | ${median(cold).toFixed(0)} | ${nWarm} | ${median(warm).toFixed(0)} | ${Math.max(...burst).toFixed(0)} |`,
    );
  }
} finally {
  await db.destroy();
  await benchDb.finish();
}
