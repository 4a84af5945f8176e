import type { UserRole } from "../schema";
import { appendAudit, type Db } from "./audit";

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  institutionId?: string | null;
  countries?: string[];
  passwordHash: string | null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(db: Db, u: NewUser, actor: string, at: Date) {
  const row = await db
    .insertInto("users")
    .values({
      id: u.id,
      email: normaliseEmail(u.email),
      name: u.name,
      role: u.role,
      institution_id: u.institutionId ?? null,
      countries: JSON.stringify(u.countries ?? []),
      password_hash: u.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    actor,
    action: "user.created",
    entityType: "user",
    entityId: u.id,
    institutionId: u.institutionId ?? null,
    after: { email: row.email, name: u.name, role: u.role, countries: u.countries ?? [] },
    at,
  });
  return row;
}

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export async function getUser(db: Db, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listUsers(db: Db) {
  return db
    .selectFrom("users as u")
    .leftJoin("institutions as i", "i.id", "u.institution_id")
    .select(["u.id", "u.email", "u.name", "u.role", "u.countries", "u.status", "u.institution_id", "i.name as institution_name"])
    .orderBy("u.role")
    .orderBy("u.name")
    .execute();
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string, actor: string, at: Date) {
  await db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
  await appendAudit(db, { actor, action: "user.password_set", entityType: "user", entityId: userId, at });
}

export async function setUserStatus(db: Db, userId: string, status: "active" | "disabled", actor: string, at: Date) {
  const before = await db.selectFrom("users").select("status").where("id", "=", userId).executeTakeFirstOrThrow();
  await db.updateTable("users").set({ status }).where("id", "=", userId).execute();
  await appendAudit(db, { actor, action: `user.${status}`, entityType: "user", entityId: userId, before, after: { status }, at });
}

export async function setUserLocale(db: Db, userId: string, locale: string): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

/** Whether an account has this address already (compared in lower case). */
export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return !!(await db.selectFrom("users").select("id").where("email", "=", email.toLowerCase()).executeTakeFirst());
}
