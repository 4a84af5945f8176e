import { sql, type Insertable, type Updateable } from "kysely";
import {
  reportEffects,
  type CertificationAdded,
  type EnterpriseUpserted,
  type FundingCommitmentAdded,
  type InstitutionUpdated,
  type ReportEffect,
  type TotCohortAdded,
  type TrainerAdded,
  type TrainingCycleAdded,
} from "../../app/domain/report-effects";
import type { ReportBody } from "../../app/domain/reports";
import type { Database } from "../schema";
import type { Db } from "./audit";
import { loadPathwayRecords } from "./institutions";

/**
 * Writes and reads what a verified report does to an institution's records. The effects come from
 * app/domain/report-effects.ts; here they become rows. Every insert is keyed by the effect's id
 * and does nothing on conflict, every update is written so that running it again changes nothing:
 * a retried activity or a duplicate call leaves exactly one record per effect.
 */

type Row<T extends keyof Database> = Insertable<Database[T]>;

export function totCohortRow(e: TotCohortAdded): Row<"tot_cohorts"> {
  return {
    id: e.id,
    institution_id: e.institutionId,
    module_code: e.module,
    started_on: e.startedOn,
    ended_on: e.endedOn,
    source_report_id: e.sourceReportId,
  };
}

export function trainerRow(e: TrainerAdded): Row<"trainers"> & { trained_on: string; last_active_on: string } {
  return {
    id: e.id,
    institution_id: e.institutionId,
    name: e.name,
    sex: e.sex,
    national_expert: false,
    tot_cohort_id: e.cohortId,
    trained_on: e.trainedOn,
    last_active_on: e.lastActiveOn,
  };
}

export function certificationRow(e: CertificationAdded): Row<"trainer_certifications"> {
  return {
    id: e.id,
    trainer_id: e.trainerId,
    module_code: e.module,
    certified_on: e.certifiedOn,
    expires_on: e.expiresOn,
    source_report_id: e.sourceReportId,
  };
}

export function enterpriseRow(e: EnterpriseUpserted): Row<"enterprises"> {
  return {
    id: e.id,
    institution_id: e.institutionId,
    name: e.name,
    size: e.size,
    sector: e.sector ?? "",
    workers_female: e.workersFemale ?? 0,
    workers_male: e.workersMale ?? 0,
  };
}

/** What a second report about an enterprise changes: its size, and what else the report says. */
export function enterpriseChanges(e: EnterpriseUpserted): Updateable<Database["enterprises"]> {
  return {
    size: e.size,
    ...(e.sector !== undefined ? { sector: e.sector } : {}),
    ...(e.workersFemale !== undefined ? { workers_female: e.workersFemale } : {}),
    ...(e.workersMale !== undefined ? { workers_male: e.workersMale } : {}),
  };
}

export function institutionChanges(e: InstitutionUpdated): Updateable<Database["institutions"]> {
  return {
    ...(e.set.mouSignedOn !== undefined ? { mou_signed_on: e.set.mouSignedOn } : {}),
    ...(e.set.scoreInPortfolio ? { score_in_portfolio: true } : {}),
    ...(e.set.businessPlanAdoptedOn !== undefined ? { business_plan_adopted_on: e.set.businessPlanAdoptedOn } : {}),
  };
}

export function trainingCycleRow(e: TrainingCycleAdded, enterpriseId: string): Row<"training_cycles"> {
  return {
    id: e.id,
    institution_id: e.institutionId,
    module_code: e.module,
    enterprise_id: enterpriseId,
    started_on: e.startedOn,
    ended_on: e.endedOn,
    visits: e.visits,
    managers_female: e.participants.managersFemale,
    managers_male: e.participants.managersMale,
    workers_female: e.participants.workersFemale,
    workers_male: e.participants.workersMale,
    currency: e.currency,
    cost_minor: e.cost,
    fund_enterprise_fee: e.funding.enterprise_fee,
    fund_institution_funds: e.funding.institution_funds,
    fund_government: e.funding.government,
    fund_sponsor: e.funding.sponsor,
    fund_other_donor: e.funding.other_donor,
    fund_ilo: e.funding.ilo,
    ilo_staff_involved: e.iloStaffInvolved,
    source_report_id: e.sourceReportId,
  };
}

export function fundingCommitmentRow(e: FundingCommitmentAdded): Row<"funding_commitments"> {
  return {
    id: e.id,
    institution_id: e.institutionId,
    kind: e.kind,
    funder: e.funder,
    starts_on: e.startsOn,
    ends_on: e.endsOn,
    source_report_id: e.sourceReportId,
  };
}

/**
 * The effects of verifying a stored report, computed against the institution's records as they
 * stand in `db`. Throws ReportNotApplicableError when the report names a trainer the institution
 * does not have.
 */
export async function loadReportEffects(db: Db, reportId: string, certificationValidityMonths: number): Promise<ReportEffect[]> {
  const row = await db
    .selectFrom("milestone_reports")
    .select(["id", "institution_id", "kind", "payload"])
    .where("id", "=", reportId)
    .executeTakeFirst();
  if (!row) throw new Error(`Report ${reportId} does not exist`);
  const inst = await db
    .selectFrom("institutions")
    .select("currency")
    .where("id", "=", row.institution_id)
    .executeTakeFirstOrThrow();
  const records = await loadPathwayRecords(db, row.institution_id);
  const body = { kind: row.kind, payload: row.payload } as ReportBody;
  return reportEffects({ reportId: row.id, institutionId: row.institution_id, ...body }, records, {
    certificationValidityMonths,
    currency: inst.currency,
  });
}

/**
 * Writes effects in their order (a cohort before its trainers, an enterprise before its cycle).
 * Cohorts, cycles and commitments are also unique by their report, so any conflict means the
 * record is already there. Call inside a transaction.
 */
export async function writeReportEffects(db: Db, effects: readonly ReportEffect[]): Promise<void> {
  for (const e of effects) {
    switch (e.type) {
      case "tot_cohort_added":
        await db
          .insertInto("tot_cohorts")
          .values(totCohortRow(e))
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      case "trainer_added":
        await db
          .insertInto("trainers")
          .values(trainerRow(e))
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
        break;
      case "trainer_updated":
        await db
          .updateTable("trainers")
          .set((eb) => ({
            national_expert: e.nationalExpert ? true : eb.ref("national_expert"),
            // greatest() ignores a null: a trainer never active before becomes active on that day.
            last_active_on: sql<string>`greatest(last_active_on, ${e.activeOn}::date)`,
          }))
          .where("id", "=", e.trainerId)
          .where("institution_id", "=", e.institutionId)
          .execute();
        break;
      case "certification_added":
        // A certificate is one per trainer, module and day, whichever report brought it.
        await db
          .insertInto("trainer_certifications")
          .values(certificationRow(e))
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      case "certifications_lapsed":
        await db
          .updateTable("trainer_certifications")
          .set({ expires_on: e.lapsedOn })
          .where(
            "trainer_id",
            "in",
            db.selectFrom("trainers").select("id").where("id", "=", e.trainerId).where("institution_id", "=", e.institutionId),
          )
          .where("module_code", "=", e.module)
          .where("expires_on", ">", e.lapsedOn)
          .execute();
        break;
      case "enterprise_upserted":
        await db
          .insertInto("enterprises")
          .values(enterpriseRow(e))
          .onConflict((oc) => oc.columns(["institution_id", "name"]).doUpdateSet(enterpriseChanges(e)))
          .execute();
        break;
      case "training_cycle_added": {
        const ent = await db
          .selectFrom("enterprises")
          .select("id")
          .where("institution_id", "=", e.institutionId)
          .where("name", "=", e.enterpriseName)
          .executeTakeFirstOrThrow();
        await db
          .insertInto("training_cycles")
          .values(trainingCycleRow(e, ent.id))
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
      }
      case "institution_updated": {
        const set = institutionChanges(e);
        if (Object.keys(set).length > 0)
          await db.updateTable("institutions").set(set).where("id", "=", e.institutionId).execute();
        break;
      }
      case "funding_commitment_added":
        await db
          .insertInto("funding_commitments")
          .values(fundingCommitmentRow(e))
          .onConflict((oc) => oc.doNothing())
          .execute();
        break;
    }
  }
}
