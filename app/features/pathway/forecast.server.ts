import type { Kysely } from "kysely";
import type { Stay } from "~/features/analytics/analytics";
import { forecastPathway, type Forecast, type PortfolioPace } from "~/features/pathway/forecast";
import { forecastFacts, institutionStays, portfolioPaceRow, type StageInstitutionRow } from "../../../db/queries/aggregates";
import { keyOf, minuteOf, readModel, NO_STATUS } from "../../../db/queries/read-model";
import { getInstitution, getTemplate } from "../../../db/queries/institutions";
import type { Database } from "../../../db/schema";

/**
 * One institution's forecast, for its own page: its stays and, when it has too few completed
 * stages of its own, the portfolio's pace (see app/features/pathway/forecast.ts for the rule).
 *
 * The portfolio's pace is the programme's: the median and quartiles of every completed stay of
 * every institution, counted in SQL (db/queries/aggregates.ts). It is the same whoever looks, and
 * says nothing about any one institution. The caller has already checked the actor may see the
 * institution. Returns null for an unknown id.
 */
export async function forecastFor(db: Kysely<Database>, institutionId: string, now: Date): Promise<Forecast | null> {
  const institution = await getInstitution(db, institutionId);
  if (!institution) return null;
  const template = await getTemplate(db, institution.template_id);
  return forecastOf(
    db,
    institutionId,
    template.definition.stages.map((s) => s.key),
    now,
  );
}

/**
 * The forecast of an institution whose template's stages the caller has (its page): two statements,
 * the read model's check and one query. The programme's pace is kept per change and minute
 * (decision 030); when this request computes it, the same statement brings the institution's own
 * stays, otherwise only they are read.
 */
export async function forecastOf(db: Kysely<Database>, institutionId: string, stageKeys: string[], now: Date): Promise<Forecast> {
  const rm = await readModel(db);
  let own: Awaited<ReturnType<typeof institutionStays>> | null = null;
  const pace = await rm.cached(
    keyOf("programmePace", minuteOf(now)),
    async () => {
      const facts = await forecastFacts(db, institutionId, now);
      own = facts.stays;
      return facts.pace;
    },
    NO_STATUS,
  );
  const stays = own ?? (await institutionStays(db, institutionId, now));
  return forecastPathway({ stageKeys, stays: staysOfRows(stays), now, portfolio: pace });
}

/** The portfolio's pace over every institution (null when no stage was ever completed). */
export async function programmePace(db: Kysely<Database>, now: Date): Promise<PortfolioPace | null> {
  return portfolioPaceRow(db, now);
}

/** Stays as the queries give them, as the pure rules take them. */
export function staysOfRows(rows: StageInstitutionRow["stays"]): Stay[] {
  return rows.map(([stageKey, enteredAt, leftAt, exit, days]) => ({ stageKey, enteredAt, leftAt, exit, days }));
}
