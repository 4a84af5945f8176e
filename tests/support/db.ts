import pg from "pg";
import { createDb, migrateToLatest, type DbHandle } from "../../db/create-db";
import { ensureReferenceData } from "../../db/reference-data";

/** The PostgreSQL server tests use; each test file makes its own database there and drops it. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDbKind = "pglite" | "postgres";

export interface TestDb extends DbHandle {
  url: string;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database with the reference data: in-memory PGlite or a new database on the server. */
export async function createTestDb(kind: TestDbKind): Promise<TestDb> {
  if (kind === "pglite") {
    const handle = await createDb("memory://");
    await migrateToLatest(handle.db);
    await ensureReferenceData(handle.db);
    return { ...handle, url: "memory://" };
  }
  const name = `pathways_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(TEST_POSTGRES_URL, name);
  const handle = await createDb(url);
  await migrateToLatest(handle.db);
  await ensureReferenceData(handle.db);
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const a = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
