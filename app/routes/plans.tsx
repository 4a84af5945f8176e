import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatMinor, formatShareBp, rollUpUsd } from "~/domain/handover";
import { requireActor } from "~/utils/access.server";
import { listCountryPlans } from "../../db/queries/handover";
import { listCountries } from "../../db/queries/institutions";

export const meta: MetaFunction = () => [{ title: "Handover by country · Pathways" }];

/**
 * A country's agreed handover plans (approved or active, never scenarios), rolled up in USD at
 * each plan's stated rate: what national funding is planned to carry, year by year.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  // A roll-up crosses institutions: not for an institution's own reporters.
  if (actor.role === "institution_reporter") throw new Response("Forbidden", { status: 403 });
  const countries = (await listCountries(context.db)).filter((c) => actor.countries === "all" || actor.countries.includes(c.code));
  const asked = new URL(request.url).searchParams.get("country");
  const country = countries.find((c) => c.code === asked) ?? null;
  if (asked && !country) throw new Response("Not found", { status: 404 });
  const plans = country ? await listCountryPlans(context.db, country.code) : [];
  return json({
    countries: countries.map((c) => ({ code: c.code, name: c.name })),
    country,
    plans: plans.map((p) => ({ id: p.id, institutionId: p.institutionId, institutionName: p.institutionName, name: p.name, currency: p.currency, rate: `${p.usdRate.num}/${p.usdRate.den}`, exitYear: p.exitYear })),
    years: rollUpUsd(plans),
  });
}

export default function CountryHandover() {
  const { countries, country, plans, years } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Handover by country</h1>
      <p className="lede">The agreed handover plans of a country's institutions, in US dollars at each plan's stated rate.</p>
      <Form method="get" className="filters">
        <label>
          Country{" "}
          <select name="country" defaultValue={country?.code ?? ""}>
            <option value="">Choose…</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>{c.name}</option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </Form>
      {!country ? (
        <p className="empty">Choose a country to see its plans rolled up.</p>
      ) : plans.length === 0 ? (
        <p className="empty">No approved or active handover plan in {country.name} yet. Plans are made on each institution's page.</p>
      ) : (
        <>
          <table className="data">
            <caption>{country.name}: {plans.length} agreed plan{plans.length === 1 ? "" : "s"}, in USD</caption>
            <thead>
              <tr><th scope="col">Year</th><th scope="col">Plans</th><th scope="col">Cost (USD)</th><th scope="col">Non-ILO (USD)</th><th scope="col">Non-ILO share</th><th scope="col">Funding gap (USD)</th></tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td>{y.plans}</td>
                  <td>{formatMinor(y.costUsdCents)}</td>
                  <td>{formatMinor(y.nonIloUsdCents)}</td>
                  <td>{formatShareBp(y.nonIloShareBp)}</td>
                  <td>{formatMinor(y.gapUsdCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>The plans behind these figures</h2>
          <ul>
            {plans.map((p) => (
              <li key={p.id}>
                <Link to={`/institutions/${p.institutionId}/plans/${p.id}`}>{p.name}</Link> — {p.institutionName}, in {p.currency} at {p.rate} USD per unit, ILO exit {p.exitYear}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
