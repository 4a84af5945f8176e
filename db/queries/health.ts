import { sql } from "kysely";
import type { Db } from "./audit";

/** A round trip to the database, for /healthz: throws when it does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
