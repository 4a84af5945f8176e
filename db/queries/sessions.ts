import type { Db } from "./audit";

export async function insertSession(
  db: Db,
  s: { id: string; userId: string; csrfToken: string; at: Date; expiresAt: Date; userAgent: string; ip: string },
) {
  await db
    .insertInto("sessions")
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
      user_agent: s.userAgent.slice(0, 300),
      ip: s.ip,
    })
    .execute();
}

/** A live session and its user: not revoked, not past its absolute expiry, not idle too long, user active. */
export async function findLiveSession(db: Db, id: string, now: Date, idleSince: Date) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.id as session_id",
      "s.csrf_token",
      "s.last_seen_at",
      "u.id as user_id",
      "u.name",
      "u.email",
      "u.role",
      "u.institution_id",
      "u.countries",
      "u.locale",
    ])
    .where("s.id", "=", id)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", now)
    .where("s.last_seen_at", ">", idleSince)
    .where("u.status", "=", "active")
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: Date) {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export async function revokeSession(db: Db, id: string, at: Date) {
  await db.updateTable("sessions").set({ revoked_at: at }).where("id", "=", id).where("revoked_at", "is", null).execute();
}

export async function revokeUserSessions(db: Db, userId: string, at: Date): Promise<number> {
  const res = await db
    .updateTable("sessions")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Failed sign-ins since `since`: for one account, for one address, and for the account from that
 * address (with the latest of those), leaving out the attempt being checked (`except`).
 */
export async function recentFailures(db: Db, email: string, ip: string, since: Date, except = -1) {
  const pair = db
    .selectFrom("login_attempts")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("at").as("last")])
    .where("email", "=", email)
    .where("ip", "=", ip)
    .where("succeeded", "=", false)
    .where("at", ">", since)
    .where("id", "!=", except)
    .executeTakeFirstOrThrow();
  const count = (col: "email" | "ip", value: string) =>
    db
      .selectFrom("login_attempts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(col, "=", value)
      .where("succeeded", "=", false)
      .where("at", ">", since)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [byAccount, byAddress, byPair] = await Promise.all([count("email", email), count("ip", ip), pair]);
  return {
    byAccount,
    byAddress,
    byPair: Number(byPair.n),
    lastPairAt: byPair.last ? new Date(byPair.last as unknown as string | Date) : null,
  };
}

/** Accounts with failed sign-ins since `since`: how many, from how many addresses, the latest. */
export async function listFailedSignIns(db: Db, since: Date) {
  const rows = await db
    .selectFrom("login_attempts")
    .select((eb) => [
      "email",
      eb.fn.countAll<number>().as("failures"),
      eb.fn.count<number>("ip").distinct().as("addresses"),
      eb.fn.max("at").as("last"),
    ])
    .where("succeeded", "=", false)
    .where("at", ">", since)
    .groupBy("email")
    .orderBy("email")
    .execute();
  return rows.map((r) => ({
    email: r.email,
    failures: Number(r.failures),
    addresses: Number(r.addresses),
    last: new Date(r.last as unknown as string | Date),
  }));
}

/** An administrator lifts the slow-down on an account: its failed sign-ins are forgotten. */
export async function clearFailedSignIns(db: Db, email: string): Promise<number> {
  const res = await db.deleteFrom("login_attempts").where("email", "=", email).where("succeeded", "=", false).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function insertResetToken(db: Db, t: { id: string; userId: string; createdBy: string; at: Date; expiresAt: Date }) {
  await db
    .insertInto("password_reset_tokens")
    .values({ id: t.id, user_id: t.userId, created_by: t.createdBy, created_at: t.at, expires_at: t.expiresAt })
    .execute();
}

/** Marks a reset token used and returns its user, once: a second use finds nothing. */
export async function consumeResetToken(db: Db, id: string, now: Date): Promise<string | null> {
  const row = await db
    .updateTable("password_reset_tokens")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id ?? null;
}

export async function findResetToken(db: Db, id: string, now: Date) {
  return db
    .selectFrom("password_reset_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id", "u.email", "u.name"])
    .where("t.id", "=", id)
    .where("t.used_at", "is", null)
    .where("t.expires_at", ">", now)
    .executeTakeFirst();
}

/** A sign-in attempt, written as failed before the password is checked; its id. */
export async function recordLoginAttempt(db: Db, a: { email: string; ip: string; at: Date }): Promise<number> {
  const row = await db
    .insertInto("login_attempts")
    .values({ email: a.email, ip: a.ip, succeeded: false, at: a.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An attempt refused unchecked (throttled) is not a guess: it is forgotten. */
export async function forgetLoginAttempt(db: Db, id: number): Promise<void> {
  await db.deleteFrom("login_attempts").where("id", "=", id).execute();
}

export async function markLoginSucceeded(db: Db, id: number): Promise<void> {
  await db.updateTable("login_attempts").set({ succeeded: true }).where("id", "=", id).execute();
}
