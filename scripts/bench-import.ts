/**
 * `npm run bench:import`: the 10,000-row dry run and import, on embedded PGlite and on the
 * PostgreSQL server (TEST_POSTGRES_URL), printing rows per second and peak memory. Figures are
 * printed, never asserted: they depend on the machine.
 */
import { getBatch } from "../db/queries/imports";
import { dryRun, runImport } from "../app/features/import/import.server";
import { createTestDb, type TestDbKind } from "../tests/support/db";
import { csvBytes, seedForImport, TRAINER_HEADER, trainerRows, xlsxBytes } from "../tests/import/support";

const ROWS = 10_000;

function peakMemory() {
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 10);
  return () => {
    clearInterval(timer);
    return { rssMb: rss / 1024 / 1024, heapMb: heap / 1024 / 1024 };
  };
}

async function timed<T>(f: () => Promise<T>) {
  global.gc?.();
  const stop = peakMemory();
  const start = performance.now();
  const value = await f();
  const seconds = (performance.now() - start) / 1000;
  return { value, seconds, ...stop() };
}

const line = (kind: string, step: string, r: { seconds: number; rssMb: number; heapMb: number }) =>
  console.log(
    `${kind.padEnd(9)} ${step.padEnd(16)} ${r.seconds.toFixed(2).padStart(6)} s ${Math.round(ROWS / r.seconds)
      .toString()
      .padStart(7)} rows/s   peak RSS ${r.rssMb.toFixed(0).padStart(4)} MB, heap ${r.heapMb.toFixed(0).padStart(4)} MB`,
  );

async function bench(kind: TestDbKind) {
  const t = await createTestDb(kind);
  try {
    const seed = await seedForImport(t.db, 20);
    const bytes = csvBytes(TRAINER_HEADER, trainerRows(ROWS, seed.institutions));
    const opts = { actor: seed.admin, now: () => new Date() };
    const check = await timed(() =>
      dryRun(t.db, { entity: "trainers", fileName: "bench.csv", bytes, actorId: seed.admin.id, now: new Date() }),
    );
    line(kind, "dry run", check);
    const run = await timed(() => runImport(t.db, check.value, opts));
    if (run.value.status !== "done") throw new Error(`import ${run.value.status}`);
    line(kind, "import", run);
    const againCheck = await timed(() =>
      dryRun(t.db, { entity: "trainers", fileName: "bench.csv", bytes, actorId: seed.admin.id, now: new Date() }),
    );
    line(kind, "dry run again", againCheck);
    const again = await timed(() => runImport(t.db, againCheck.value, opts));
    line(kind, "import again", again);
    const xlsx = await xlsxBytes(TRAINER_HEADER, trainerRows(ROWS, seed.institutions));
    line(
      kind,
      "dry run (xlsx)",
      await timed(() =>
        dryRun(t.db, { entity: "trainers", fileName: "bench.xlsx", bytes: xlsx, actorId: seed.admin.id, now: new Date() }),
      ),
    );
    const b = await getBatch(t.db, againCheck.value);
    console.log(`${kind.padEnd(9)} second import: ${b?.created} created, ${b?.updated} updated, ${b?.unchanged} unchanged`);
  } finally {
    await t.close();
  }
}

console.log(
  `Bulk import of ${ROWS.toLocaleString("en")} trainers (CSV, ${(csvBytes(TRAINER_HEADER, trainerRows(ROWS, ["Import Test Institute 1"])).length / 1024).toFixed(0)} KB)`,
);
for (const kind of ["pglite", "postgres"] as const) await bench(kind);
