import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * The header's work counts kept with the other aggregates (decision 042): what they count must
 * note its changes too. Notifications and their reads are noted as status-tier changes (they drop
 * only the values that are not marked as reading no stored status, so a notification written or
 * read leaves the logframe and the records' aggregates in place); handover plans as records.
 */
const INBOX = ["notifications", "notification_reads"];
const RECORDS = ["handover_plans"];

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of INBOX)
    await sql`create trigger read_model_change after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function note_status_change()`.execute(db);
  for (const table of RECORDS)
    await sql`create trigger read_model_change after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function note_read_model_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...INBOX, ...RECORDS])
    await sql`drop trigger if exists read_model_change on ${sql.table(table)}`.execute(db);
}
