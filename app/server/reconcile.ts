import type { Client } from "@temporalio/client";
import { sql } from "kysely";
import type { DbHandle } from "../../db/create-db";
import { listActiveInstitutionIds } from "../../db/queries/institutions";
import { listInstitutionsWithoutStatus } from "../../db/queries/status";
import { reconcilePathways, tellRecordsChanged } from "../features/pathway/pathway.server";

/**
 * With several workers on one PostgreSQL, one of them at a time starts the missing pathways: the
 * others would list the same running pathways and send the same (idempotent) starts again. A
 * session lock on a connection of its own, so a worker that dies frees it; a worker that finds it
 * taken leaves the work to the holder (and to the next start-up should the holder stop).
 */
export const RECONCILE_LOCK = 0x7061_7468; // any constant shared by every process of the programme

export async function reconcileInBackground(dbHandle: DbHandle, temporal: Client, taskQueue: string) {
  if (dbHandle.kind === "pglite") return reconcile(dbHandle.db, temporal, taskQueue);
  try {
    await dbHandle.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${RECONCILE_LOCK}) as got`.execute(conn);
      if (!rows[0]?.got) {
        console.log("  Another worker is starting the pathways; this one leaves them to it.");
        return;
      }
      try {
        await reconcile(dbHandle.db, temporal, taskQueue);
      } finally {
        await sql`select pg_advisory_unlock(${RECONCILE_LOCK})`.execute(conn);
      }
    });
  } catch (e) {
    console.error("Starting the pathways in the background failed (they start at the next start-up):", e);
  }
}

async function reconcile(db: DbHandle["db"], temporal: Client, taskQueue: string) {
  try {
    await reconcilePathways(temporal, taskQueue, await listActiveInstitutionIds(db));
    const unevaluated = await listInstitutionsWithoutStatus(db);
    if (unevaluated.length > 0) {
      console.log(`  Evaluating the gates of ${unevaluated.length} institutions without a stored status…`);
      const failed = await tellRecordsChanged(temporal, taskQueue, unevaluated, "status-read-model");
      if (failed.length) console.warn(`  ${failed.length} institutions were not evaluated; they are at the next start-up.`);
    }
  } catch (e) {
    console.error("Starting the pathways in the background failed (they start at the next start-up):", e);
  }
}
