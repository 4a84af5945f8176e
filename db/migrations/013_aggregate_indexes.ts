import type { Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Indexes for the aggregate pages (decision 018): the logframe and the programme totals count
 * the cycles that ended in a phase and the trainers certified by a day, across every institution
 * of a country; a phase is a few years of a history that keeps growing, so the cycles are found by
 * their end date, and a trainer's certifications by the trainer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("training_cycles_ended").on("training_cycles").columns(["ended_on"]).execute();
  await db.schema
    .createIndex("trainer_certifications_trainer")
    .on("trainer_certifications")
    .columns(["trainer_id", "certified_on"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("trainer_certifications_trainer").execute();
  await db.schema.dropIndex("training_cycles_ended").execute();
}
