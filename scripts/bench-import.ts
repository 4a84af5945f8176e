/**
 * `npm run bench:import`: the 10,000-row dry run and import, on embedded PGlite and on the
 * PostgreSQL server (TEST_POSTGRES_URL), printing rows per second and peak memory. Figures are
 * printed, never asserted: they depend on the machine.
 *
 * `npm run bench:import -- --institutions`: 5,000 new institutions across the reference countries
 * (dry run, then the import that creates them), the same file again, then every row changed (5,000
 * updates), on the PostgreSQL server only.
 */
import { getBatch } from "../db/queries/imports";
import { dryRun, runImport } from "../app/features/import/import.server";
import { createTestDb, type TestDbKind } from "../tests/support/db";
import { csvBytes, seedForImport, TRAINER_HEADER, trainerRows, xlsxBytes } from "../tests/import/support";

const INSTITUTIONS = process.argv.includes("--institutions");
const ROWS = INSTITUTIONS ? 5_000 : 10_000;
const INSTITUTION_HEADER = ["country", "name", "type", "role", "mou_signed_on", "business_plan_adopted_on", "score_in_portfolio"];
const COUNTRIES = ["GH", "PE", "VN", "ZA", "IN", "CO", "BO", "CN", "ID"];
const TYPES = ["government_training", "employers_organisation", "industry_association", "private_provider"];

/** n new institutions spread over the countries, some with their optional cells. */
const institutionRows = (n: number): string[][] =>
  Array.from({ length: n }, (_, i) => [
    COUNTRIES[i % COUNTRIES.length],
    `Bench Training Institute ${i + 1}`,
    TYPES[i % TYPES.length],
    i % 7 === 0 ? "national_coordinator" : "implementing_partner",
    i % 2 === 0 ? `2024-${String((i % 12) + 1).padStart(2, "0")}-15` : "",
    i % 5 === 0 ? "2025-01-10" : "",
    i % 3 === 0 ? "yes" : "",
  ]);

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

async function benchInstitutions(kind: TestDbKind) {
  const t = await createTestDb(kind);
  try {
    const seed = await seedForImport(t.db, 0);
    const bytes = csvBytes(INSTITUTION_HEADER, institutionRows(ROWS));
    const input = { entity: "institutions" as const, fileName: "bench.csv", bytes, actorId: seed.admin.id };
    const check = await timed(() => dryRun(t.db, { ...input, now: new Date() }));
    line(kind, "dry run", check);
    const run = await timed(() => runImport(t.db, check.value, { actor: seed.admin, now: () => new Date() }));
    if (run.value.status !== "done") throw new Error(`import ${run.value.status}`);
    line(kind, "import", run);
    const againCheck = await timed(() => dryRun(t.db, { ...input, now: new Date() }));
    line(kind, "dry run again", againCheck);
    const again = await timed(() => runImport(t.db, againCheck.value, { actor: seed.admin, now: () => new Date() }));
    line(kind, "import again", again);
    // Every row's MoU date changed: 5,000 updates, one statement each.
    const changed = csvBytes(
      INSTITUTION_HEADER,
      institutionRows(ROWS).map((r) => [...r.slice(0, 4), "2025-05-05", ...r.slice(5)]),
    );
    const changedCheck = await timed(() => dryRun(t.db, { ...input, bytes: changed, now: new Date() }));
    line(kind, "dry run changed", changedCheck);
    const update = await timed(() => runImport(t.db, changedCheck.value, { actor: seed.admin, now: () => new Date() }));
    if (update.value.status !== "done") throw new Error(`import ${update.value.status}`);
    line(kind, "import changed", update);
    for (const [step, batch] of [
      ["first", check.value],
      ["changed", changedCheck.value],
    ]) {
      const b = await getBatch(t.db, batch);
      console.log(`${kind.padEnd(9)} ${step} import: ${b?.created} created, ${b?.updated} updated, ${b?.unchanged} unchanged`);
    }
  } finally {
    await t.close();
  }
}

if (INSTITUTIONS) {
  console.log(`Bulk import of ${ROWS.toLocaleString("en")} institutions (CSV)`);
  await benchInstitutions("postgres");
} else {
  console.log(
    `Bulk import of ${ROWS.toLocaleString("en")} trainers (CSV, ${(csvBytes(TRAINER_HEADER, trainerRows(ROWS, ["Import Test Institute 1"])).length / 1024).toFixed(0)} KB)`,
  );
  for (const kind of ["pglite", "postgres"] as const) await bench(kind);
}
