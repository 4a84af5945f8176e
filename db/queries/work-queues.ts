import { sql, type Expression, type SqlBool } from "kysely";
import type { Db } from "./audit";
import { visibleNotifications, type NotificationScope } from "./notifications";

/**
 * The work queues (decision 025): what waits for a user, counted for the header in one statement
 * and listed on /queues. Each queue is narrowed by the access policy's scope for the action it
 * leads to (null: the role does not take it, so the queue is empty and not counted).
 */
export interface QueueScope {
  /** Institutions ("own"), or null. */
  institutionIds: string[] | null;
  /** Countries ("country"), or null for every country. */
  countries: string[] | null;
}

export interface WorkQueueScopes {
  /** Institutions whose gate is met and that wait for this user's sign-off. */
  signOff: QueueScope | null;
  /** Reports waiting for verification. */
  verify: QueueScope | null;
  /** Handover plans submitted for review. */
  plans: QueueScope | null;
  /** Reports returned to the user's institution. */
  returned: QueueScope | null;
}

export interface WorkCounts {
  unread: number;
  signOff: number;
  verify: number;
  plans: number;
  returned: number;
}

const NONE = "00000000-0000-0000-0000-000000000000";

function inScope(s: QueueScope): Expression<SqlBool> {
  const parts = [sql<boolean>`true`];
  if (s.institutionIds) parts.push(sql<boolean>`i.id in (${sql.join(s.institutionIds.length ? s.institutionIds : [NONE])})`);
  if (s.countries) parts.push(sql<boolean>`i.country_code in (${sql.join(s.countries.length ? s.countries : ["--"])})`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** The gate is met at the institution's current stage and template, and it is still running. */
export const awaitingSignOff = sql<boolean>`(s.awaiting_sign_off and s.stage_key = i.stage_key
  and s.template_id = i.template_id and i.status = 'active')`;

export function signOffQuery(db: Db, scope: QueueScope) {
  return db
    .selectFrom("institution_status as s")
    .innerJoin("institutions as i", "i.id", "s.institution_id")
    .where(awaitingSignOff)
    .where(inScope(scope));
}

export function plansQuery(db: Db, scope: QueueScope) {
  return db
    .selectFrom("handover_plans as p")
    .innerJoin("institutions as i", "i.id", "p.institution_id")
    .where("p.status", "=", "submitted")
    .where(inScope(scope));
}

function reportsQuery(db: Db, status: "submitted" | "returned", scope: QueueScope) {
  return db
    .selectFrom("milestone_reports as r")
    .innerJoin("institutions as i", "i.id", "r.institution_id")
    .where("r.status", "=", status)
    .where(inScope(scope));
}

/**
 * The header's counts, in ONE statement: unread notifications and each queue the user has. It is
 * read by the root loader, which runs again only after a submission (root-revalidate.ts).
 */
export async function workCounts(db: Db, n: NotificationScope, q: WorkQueueScopes): Promise<WorkCounts> {
  const zero = sql<number>`0`;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom(visibleNotifications(db, n).where("r.read_at", "is", null).select("n.id").as("v"))
        .select(eb.fn.countAll().as("c"))
        .as("unread"),
      q.signOff ? signOffQuery(db, q.signOff).select(eb.fn.countAll().as("c")).as("signOff") : zero.as("signOff"),
      q.verify ? reportsQuery(db, "submitted", q.verify).select(eb.fn.countAll().as("c")).as("verify") : zero.as("verify"),
      q.plans ? plansQuery(db, q.plans).select(eb.fn.countAll().as("c")).as("plans") : zero.as("plans"),
      q.returned ? reportsQuery(db, "returned", q.returned).select(eb.fn.countAll().as("c")).as("returned") : zero.as("returned"),
    ])
    .executeTakeFirstOrThrow();
  const num = (v: unknown) => Number(v ?? 0);
  return {
    unread: num(row.unread),
    signOff: num(row.signOff),
    verify: num(row.verify),
    plans: num(row.plans),
    returned: num(row.returned),
  };
}

/** Institutions awaiting sign-off in the scope, longest waiting first. */
export async function listAwaitingSignOff(db: Db, scope: QueueScope, limit: number, offset: number) {
  return signOffQuery(db, scope)
    .innerJoin("countries as c", "c.code", "i.country_code")
    .select(["i.id", "i.name", "c.name as country", "s.next_stage_key", "s.evaluated_at"])
    .orderBy("s.evaluated_at", "asc")
    .orderBy("i.id")
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Plans submitted for review in the scope, oldest first. */
export async function listPlansToReview(db: Db, scope: QueueScope, limit: number, offset: number) {
  return plansQuery(db, scope)
    .select(["p.id", "p.name", "p.institution_id", "i.name as institution_name", "p.updated_at"])
    .orderBy("p.updated_at", "asc")
    .orderBy("p.id")
    .limit(limit)
    .offset(offset)
    .execute();
}
