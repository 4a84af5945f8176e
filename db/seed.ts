import type { Kysely } from "kysely";
import type { Database } from "./schema";

/** Placeholder until the demo data lands. */
export async function seedDemoData(_db: Kysely<Database>, _now: Date): Promise<{ institutions: number }> {
  return { institutions: 0 };
}
