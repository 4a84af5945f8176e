import type { Kysely } from "kysely";
import { hashPassword } from "../app/platform/password.server";
import { createUser } from "./queries/users";
import type { Database, UserRole } from "./schema";
import { DEMO_STORY_INSTITUTION } from "./seed";

/** The demo accounts' shared password: demo data only, printed by `npm start` on first run. */
export const DEMO_PASSWORD = "pathways-demo";

export interface DemoUser {
  email: string;
  name: string;
  role: UserRole;
  scope: string;
}

/**
 * One account for every role, created once when there are no users yet. The reporter of the
 * demo story's institution and the reporter of another institution show tenancy at work.
 */
export async function seedDemoUsers(db: Kysely<Database>, now: Date): Promise<DemoUser[]> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("users").select("id").limit(1).execute();
    if (existing.length > 0) return [];
    const story = await trx
      .selectFrom("institutions")
      .select(["id", "name", "country_code"])
      .where("name", "=", DEMO_STORY_INSTITUTION)
      .executeTakeFirst();
    if (!story) return [];
    const other = await trx
      .selectFrom("institutions")
      .select(["id", "name", "country_code"])
      .where("country_code", "!=", story.country_code)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const users: (DemoUser & { institutionId?: string; countries?: string[] })[] = [
      { email: "admin@pathways.example", name: "Amara Okafor", role: "ilo_admin", scope: "everything" },
      {
        email: "officer@pathways.example",
        name: "Lucía Fernández",
        role: "ilo_officer",
        countries: [story.country_code, other.country_code],
        scope: `${story.country_code}, ${other.country_code}`,
      },
      { email: "manager@pathways.example", name: "Minh Tran", role: "programme_manager", scope: "reads everything" },
      {
        email: "reporter@pathways.example",
        name: "Kwame Mensah",
        role: "institution_reporter",
        institutionId: story.id,
        scope: story.name,
      },
      {
        email: "reporter2@pathways.example",
        name: "Dewi Lestari",
        role: "institution_reporter",
        institutionId: other.id,
        scope: other.name,
      },
      { email: "viewer@pathways.example", name: "Donor viewer", role: "viewer", scope: "read-only" },
    ];
    for (const u of users) {
      await createUser(
        trx,
        {
          id: crypto.randomUUID(),
          email: u.email,
          name: u.name,
          role: u.role,
          institutionId: u.institutionId ?? null,
          countries: u.countries ?? [],
          passwordHash,
        },
        "demo-seed",
        now,
      );
    }
    return users.map(({ email, name, role, scope }) => ({ email, name, role, scope }));
  });
}
