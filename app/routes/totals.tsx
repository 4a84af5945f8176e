import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { choosePhase, logframeAccess, seesCountry } from "~/features/indicators/logframe.server";
import { isoDate } from "~/domain/dates";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import logframeStyles from "~/styles/logframe.css";
import { requireActor } from "~/platform/access.server";
import { listPhases, loadProgrammeTotals, logframeCountries, type ProgrammeTotals } from "../../db/queries/indicators";
import { PhasePicker } from "~/features/indicators/PhasePicker";
import { keyOf, readModel, NO_STATUS } from "../../db/queries/read-model";

export const meta: MetaFunction = () => [{ title: "Programme totals · Pathways" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: logframeStyles }];

/** `/totals?phase=`: what evaluations quote, per country and for all the actor's countries together, by sex where recorded. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const access = logframeAccess(actor);
  const [phases, rm] = await Promise.all([listPhases(context.db), readModel(context.db)]);
  if (phases.length === 0) return json({ data: null });
  const phase = choosePhase(phases, new URL(request.url).searchParams.get("phase"), isoDate(new Date()));
  if (!phase) throw new Response("No such programme phase", { status: 404 });
  const countries = (await logframeCountries(context.db, phase.key)).filter((c) => seesCountry(access, c.code));
  // Kept per change for every reader of the same countries and phase (decision 030).
  const codes = countries.map((c) => c.code);
  const totals = await rm.cached(
    keyOf("loadProgrammeTotals", codes, phase),
    () => loadProgrammeTotals(context.db, codes, phase),
    NO_STATUS,
  );
  const list = countries.map((c) => ({ ...c, totals: totals.get(c.code)! }));
  const all = list.reduce<ProgrammeTotals | null>((sum, c) => {
    if (!sum) return { ...c.totals };
    for (const k of Object.keys(sum) as (keyof ProgrammeTotals)[]) sum[k] += c.totals[k];
    return sum;
  }, null);
  return json({ data: { phases, phase, countries: list, all } });
}

type T = ProgrammeTotals;
const BY_SEX: { key: string; f: keyof T; m: keyof T }[] = [
  { key: "indicators.totals.trainersTrained", f: "trainersTrainedFemale", m: "trainersTrainedMale" },
  { key: "indicators.totals.trainersCertified", f: "trainersCertifiedFemale", m: "trainersCertifiedMale" },
  { key: "indicators.totals.workers", f: "workersEmployedFemale", m: "workersEmployedMale" },
  { key: "indicators.totals.managers", f: "managersFemale", m: "managersMale" },
  { key: "indicators.totals.workerParticipants", f: "workersFemale", m: "workersMale" },
];
const UNSEXED: { key: string; v: keyof T }[] = [
  { key: "indicators.totals.institutions", v: "institutions" },
  { key: "indicators.totals.enterprises", v: "enterprises" },
  { key: "indicators.totals.visits", v: "visits" },
];

function Cells({ t, totals }: { t: Translator; totals: T }) {
  return (
    <>
      {UNSEXED.map((u) => [
        <td key={`${u.v}-t`} className="numeric">
          {t.number(totals[u.v])}
        </td>,
        <td key={`${u.v}-s`} className="numeric muted">
          {t("indicators.totals.notRecorded")}
        </td>,
      ])}
      {BY_SEX.map((b) => [
        <td key={`${b.f}-t`} className="numeric">
          {t.number(totals[b.f] + totals[b.m])}
        </td>,
        <td key={`${b.f}-f`} className="numeric">
          {t.number(totals[b.f])}
        </td>,
        <td key={`${b.f}-m`} className="numeric">
          {t.number(totals[b.m])}
        </td>,
      ])}
    </>
  );
}

export default function Totals() {
  const { data } = useLoaderData<typeof loader>();
  const t = useT();
  if (!data)
    return (
      <div className="page">
        <h1>{t("indicators.totals.title")}</h1>
        <p className="notice notice-warn">{t("indicators.noPhases")}</p>
      </div>
    );
  const { phase } = data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {t("indicators.totals.title")}: {phase.name}
        </h1>
        <Link to={`/logframe?phase=${encodeURIComponent(phase.key)}`}>{t("indicators.title")}</Link>
      </div>
      <p className="lede">
        {t("indicators.totals.lede", { phase: phase.name, start: t.date(phase.startsOn), end: t.date(phase.endsOn) })}
      </p>
      <PhasePicker id="totals-phase" phases={data.phases} current={phase.key} />
      {data.countries.length === 0 || !data.all ? (
        <p className="notice notice-warn">{t("indicators.noCountries")}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="totals-caption" tabIndex={0}>
          <table className="logframe-table">
            <caption id="totals-caption">{t("indicators.totals.caption", { phase: phase.name })}</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {t("indicators.totals.country")}
                </th>
                {UNSEXED.map((u) => (
                  <th key={u.key} scope="colgroup" colSpan={2} className="country-head">
                    {t(u.key)}
                  </th>
                ))}
                <th scope="colgroup" colSpan={3} className="country-head">
                  {t("indicators.totals.trainersTrained")}
                </th>
                <th scope="colgroup" colSpan={3} className="country-head">
                  {t("indicators.totals.trainersCertified")}
                </th>
                <th scope="colgroup" colSpan={3} className="country-head">
                  {t("indicators.totals.workers")}
                </th>
                <th scope="colgroup" colSpan={3} className="country-head">
                  {t("indicators.totals.participants")}: {t("indicators.totals.managers")}
                </th>
                <th scope="colgroup" colSpan={3} className="country-head">
                  {t("indicators.totals.participants")}: {t("indicators.totals.workerParticipants")}
                </th>
              </tr>
              <tr>
                {UNSEXED.map((u) => [
                  <th key={`${u.key}-t`} scope="col" className="numeric">
                    {t("indicators.totals.total")}
                  </th>,
                  <th key={`${u.key}-s`} scope="col" className="numeric">
                    {t("indicators.totals.women")} / {t("indicators.totals.men")}
                  </th>,
                ])}
                {BY_SEX.map((b) => [
                  <th key={`${b.key}-t`} scope="col" className="numeric">
                    {t("indicators.totals.total")}
                  </th>,
                  <th key={`${b.key}-f`} scope="col" className="numeric">
                    {t("indicators.totals.women")}
                  </th>,
                  <th key={`${b.key}-m`} scope="col" className="numeric">
                    {t("indicators.totals.men")}
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {data.countries.map((c) => (
                <tr key={c.code} data-country={c.code}>
                  <th scope="row">{c.name}</th>
                  <Cells t={t} totals={c.totals} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("indicators.totals.all")}</th>
                <Cells t={t} totals={data.all} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p className="muted">{t("indicators.totals.notes")}</p>
    </div>
  );
}
