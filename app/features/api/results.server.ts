import type { AppLoadContext } from "@remix-run/node";
import { isoDate } from "~/domain/dates";
import { choosePhase, loadLogframe } from "~/features/indicators/logframe.server";
import type { Actor } from "~/platform/policy";
import { INDICATORS } from "~/features/indicators/indicators";
import {
  getPublishedCountry,
  listResultsPublication,
  publishedIndicatorKeys,
  setCountryPublished,
  setIndicatorPublished,
} from "../../../db/queries/api";
import { listPhases, loadProgrammeTotals, type ProgrammeTotals } from "../../../db/queries/indicators";

/**
 * A country's public results (decision 028): its programme totals and the published logframe
 * indicators for the current phase (or `?phase=`). Counts only: no names, no institution, no
 * person. 404 unless an administrator published the country.
 */

/** The logframe service reads as a viewer who sees every country; the page keeps one. */
const PUBLIC_READER: Actor = {
  id: "00000000-0000-0000-0000-000000000000",
  name: "public",
  email: "public",
  role: "viewer",
  institutionId: null,
  countries: "all",
};

export const BY_SEX: { key: string; f: keyof ProgrammeTotals; m: keyof ProgrammeTotals }[] = [
  { key: "trainersTrained", f: "trainersTrainedFemale", m: "trainersTrainedMale" },
  { key: "trainersCertified", f: "trainersCertifiedFemale", m: "trainersCertifiedMale" },
  { key: "workers", f: "workersEmployedFemale", m: "workersEmployedMale" },
  { key: "managers", f: "managersFemale", m: "managersMale" },
  { key: "workerParticipants", f: "workersFemale", m: "workersMale" },
];
export const UNSEXED: { key: string; v: keyof ProgrammeTotals }[] = [
  { key: "institutions", v: "institutions" },
  { key: "enterprises", v: "enterprises" },
  { key: "visits", v: "visits" },
];

export async function loadPublicResults(context: Pick<AppLoadContext, "db">, code: string, askedPhase: string | null) {
  if (!/^[A-Za-z]{2}$/.test(code)) return null;
  const country = await getPublishedCountry(context.db, code.toUpperCase());
  if (!country) return null;
  const phases = await listPhases(context.db);
  const phase = choosePhase(phases, askedPhase, isoDate(new Date()));
  if (!phase) return { country, phase: null, totals: null, indicators: [] };
  const [totals, logframe, published] = await Promise.all([
    loadProgrammeTotals(context.db, [country.code], phase),
    loadLogframe(context.db, PUBLIC_READER, phase.key, new Date()),
    publishedIndicatorKeys(context.db),
  ]);
  const indicators = (logframe?.rows ?? [])
    .filter((r) => published.has(r.key))
    .map((r) => {
      const cell = r.cells.find((c) => c.country === country.code);
      return {
        key: r.key,
        unit: r.unit,
        target: cell?.target ?? null,
        actual: cell?.value ?? null,
        women: cell?.women?.count ?? null,
        achieved: cell?.achieved ?? null,
      };
    });
  return { country, phase, totals: totals.get(country.code) ?? null, indicators };
}

export type PublicResults = NonNullable<Awaited<ReturnType<typeof loadPublicResults>>>;

/** What the administrator's publication form shows. */
export async function loadPublication(db: AppLoadContext["db"]) {
  const [countries, published] = await Promise.all([listResultsPublication(db), publishedIndicatorKeys(db)]);
  return {
    countries: countries.map((c) => ({ code: c.code, name: c.name, published: c.results_published })),
    indicators: INDICATORS.map((d) => ({ key: d.key, published: published.has(d.key) })),
  };
}

/** Saves the publication form: the ticked countries and indicators are public, the others not; each change audited. */
export async function savePublication(db: AppLoadContext["db"], form: FormData, actor: string): Promise<void> {
  const countries = new Set(form.getAll("country").map(String));
  const indicators = new Set(form.getAll("indicator").map(String));
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    for (const c of await listResultsPublication(trx)) await setCountryPublished(trx, c.code, countries.has(c.code), actor, now);
    for (const d of INDICATORS) await setIndicatorPublished(trx, d.key, indicators.has(d.key), actor, now);
  });
}
