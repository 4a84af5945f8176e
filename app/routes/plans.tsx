import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { localFormats } from "~/features/handover/plan-view";
import { rollUpUsd } from "~/domain/handover";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { requireAllowed } from "~/platform/guard.server";
import { scopeOf, seesCountry } from "~/platform/policy";
import { listCountryPlans } from "../../db/queries/handover";
import { listCountries } from "../../db/queries/institutions";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = () => [{ title: "Handover by country · Pathways" }];

/**
 * A country's agreed handover plans (approved or active, never scenarios), rolled up in USD at
 * each plan's stated rate: what national funding is planned to carry, year by year.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  // A roll-up crosses institutions: not for an institution's own reporters.
  const actor = await requireAllowed(request, context, "country_rollup");
  // The policy's row says which countries: every one for those who read the whole programme.
  const byCountry = scopeOf(actor, "country_rollup") === "country";
  const countries = (await listCountries(context.db)).filter((c) => !byCountry || seesCountry(actor, c.code));
  const asked = new URL(request.url).searchParams.get("country");
  const country = countries.find((c) => c.code === asked) ?? null;
  if (asked && !country) throw new Response("Not found", { status: 404 });
  const plans = country ? await listCountryPlans(context.db, country.code) : [];
  const fmt = localFormats(getTranslator(request, actor));
  return json({
    countries: countries.map((c) => ({ code: c.code, name: c.name })),
    country,
    plans: plans.map((p) => ({
      id: p.id,
      institutionId: p.institutionId,
      institutionName: p.institutionName,
      name: p.name,
      currency: p.currency,
      rate: `${p.usdRate.num}/${p.usdRate.den}`,
      exitYear: p.exitYear,
    })),
    years: rollUpUsd(plans),
    // Shown as the reader's language writes them; the figures above stay for other uses.
    shown: rollUpUsd(plans).map((y) => ({
      cost: fmt.money(y.costUsdCents),
      nonIlo: fmt.money(y.nonIloUsdCents),
      share: fmt.share(y.nonIloShareBp),
      gap: fmt.money(y.gapUsdCents),
    })),
  });
}

export default function CountryHandover() {
  const { countries, country, plans, years, shown } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("handover.country.title")}</h1>
      <p className="lede">{t("handover.country.lede")}</p>
      <Form method="get" className="filters">
        <label>
          {t("handover.country.country")}{" "}
          <select name="country" defaultValue={country?.code ?? ""}>
            <option value="">{t("handover.country.choose")}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("handover.country.show")}</button>
      </Form>
      {!country ? (
        <p className="empty">{t("handover.country.pick")}</p>
      ) : plans.length === 0 ? (
        <p className="empty">{t("handover.country.none", { country: country.name })}</p>
      ) : (
        <>
          <ScrollTable label={t.plural("handover.country.caption", plans.length, { country: country.name })} className="data">
            <caption>{t.plural("handover.country.caption", plans.length, { country: country.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("handover.col.year")}</th>
                <th scope="col">{t("handover.country.plans")}</th>
                <th scope="col">{t("handover.country.cost")}</th>
                <th scope="col">{t("handover.country.nonIlo")}</th>
                <th scope="col">{t("handover.col.nonIloShare")}</th>
                <th scope="col">{t("handover.country.gap")}</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y, i) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td>{t.number(y.plans)}</td>
                  <td>{shown[i].cost}</td>
                  <td>{shown[i].nonIlo}</td>
                  <td>{shown[i].share}</td>
                  <td>{shown[i].gap}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <h2>{t("handover.country.behind")}</h2>
          <ul>
            {plans.map((p) => (
              <li key={p.id}>
                <Link to={`/institutions/${p.institutionId}/plans/${p.id}`}>{p.name}</Link> —{" "}
                {t("handover.country.planLine", {
                  institution: p.institutionName,
                  currency: p.currency,
                  rate: p.rate,
                  year: p.exitYear,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
