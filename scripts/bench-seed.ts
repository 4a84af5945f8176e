/**
 * How long the demo seed takes on an empty PGlite database and on the PostgreSQL server
 * (TEST_DATABASE_URL or the local one), over a few runs. Prints figures; asserts nothing.
 *   npm run bench:seed
 */
import { performance } from "node:perf_hooks";
import { seedDemoData } from "../db/seed";
import { createTestDb } from "../tests/support/db";

const RUNS = Number(process.env.RUNS ?? 3);
const NOW = new Date("2026-05-31T12:00:00Z");

for (const kind of ["pglite", "postgres"] as const) {
  const times: number[] = [];
  let institutions = 0;
  for (let i = 0; i < RUNS; i++) {
    const h = await createTestDb(kind);
    try {
      const t0 = performance.now();
      institutions = (await seedDemoData(h.db, NOW)).institutions;
      times.push(performance.now() - t0);
    } finally {
      await h.close();
    }
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `seed on ${kind.padEnd(8)}: ${institutions} institutions; median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms over ${RUNS} runs`,
  );
}
