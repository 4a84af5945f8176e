/**
 * How long the indicators take to compute for one large country, in pure code (no database):
 * `npm run bench:indicators`. Prints the sizes and the time; asserts nothing.
 */
import { DEFAULT_INDICATOR_SETTINGS, INDICATORS, logframeCell, type CountryRecords } from "../app/features/indicators/indicators";

const STAGES = ["engaged", "tot", "certification", "cost_recovery", "independent"];
const INSTITUTIONS = 2_000;
const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

let seed = 42;
const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

const records: CountryRecords = { institutions: [], trainers: [], cycles: [], commitments: [] };
for (let i = 0; i < INSTITUTIONS; i++) {
  const id = `i${i}`;
  const moves = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, k) => {
    const on = day(k * 200 + Math.floor(rnd() * 150));
    return { id: `${id}-${k}`, toStage: STAGES[Math.min(k, 4)], on, at: `${on}T10:00:00.000Z` };
  });
  records.institutions.push({
    id,
    name: id,
    stages: STAGES,
    mouSignedOn: day(Math.floor(rnd() * 2000)),
    businessPlanAdoptedOn: rnd() < 0.5 ? day(Math.floor(rnd() * 2000)) : null,
    scoreInPortfolio: false,
    portfolioListedOn: null,
    transitions: moves,
  });
  for (let k = 0; k < 25; k++)
    records.trainers.push({
      id: `${id}-t${k}`,
      institutionId: id,
      sex: rnd() < 0.4 ? "female" : "male",
      trainedOn: day(Math.floor(rnd() * 2000)),
      nationalExpert: rnd() < 0.1,
      firstCertifiedOn: day(Math.floor(rnd() * 2000)),
    });
  for (let k = 0; k < 50; k++) {
    const fee = BigInt(Math.floor(rnd() * 200_000));
    const ilo = BigInt(Math.floor(rnd() * 200_000));
    records.cycles.push({
      id: `${id}-c${k}`,
      institutionId: id,
      enterpriseId: `e${Math.floor(rnd() * 20_000)}`,
      endedOn: day(Math.floor(rnd() * 2000)),
      currency: "USD",
      cost: fee + ilo,
      funding: { enterprise_fee: fee, institution_funds: 0n, government: 0n, sponsor: 0n, other_donor: 0n, ilo },
    });
  }
  records.commitments.push({
    id: `${id}-f`,
    institutionId: id,
    funder: `Funder ${i % 300}`,
    startsOn: day(Math.floor(rnd() * 2000)),
    endsOn: null,
  });
}

const period = { startsOn: "2022-01-01", endsOn: "2024-12-31" };
const start = performance.now();
const values = INDICATORS.map((def) => [
  def.key,
  logframeCell(def, "XX", records, period, DEFAULT_INDICATOR_SETTINGS, 10, null).actual.value,
]);
const ms = performance.now() - start;
console.log(
  `${records.institutions.length} institutions, ${records.trainers.length} trainers, ${records.cycles.length} cycles, ${records.commitments.length} commitments`,
);
console.log(`all ${INDICATORS.length} indicators for one country and phase: ${ms.toFixed(1)} ms`);
console.log(Object.fromEntries(values));
