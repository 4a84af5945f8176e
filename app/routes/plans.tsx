import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { localFormats } from "~/features/handover/plan-view";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { requireAllowed } from "~/platform/guard.server";
import { scopeOf, seesCountry } from "~/platform/policy";
import {
  AGREED_STATUSES,
  COUNTRY_PLAN_SORTS,
  countCountryPlans,
  countryRollUpUsd,
  pageCountryPlans,
  type AgreedStatus,
} from "../../db/queries/handover";
import { listCountries } from "../../db/queries/institutions";
import { ScrollTable } from "~/components/ScrollTable";
import { ListRange, Pager, SearchBox, SortHeader } from "~/components/ListControls";
import { listHref, pageWindow, parseListQuery } from "~/platform/list-query";
import { searchParams } from "~/platform/request-body.server";

export const meta: MetaFunction = () => [{ title: "Handover by country · Pathways" }];

/** `?status=`: one of the agreed statuses, or both (nothing, or a value that names none). */
function statusesOf(raw: string | null): { filter: AgreedStatus | null; statuses: AgreedStatus[] } {
  const one = AGREED_STATUSES.find((s) => s === raw) ?? null;
  return { filter: one, statuses: one ? [one] : [...AGREED_STATUSES] };
}

/**
 * A country's agreed handover plans (approved or active, never scenarios), rolled up in USD at
 * each plan's stated rate: what national funding is planned to carry, year by year. PostgreSQL
 * sums the roll-up and pages the plans behind it (decision 029): the country and status filter
 * both, the search and the sort only the list; everything is in the address.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  // A roll-up crosses institutions: not for an institution's own reporters.
  const actor = await requireAllowed(request, context, "country_rollup");
  // The policy's row says which countries: every one for those who read the whole programme.
  const byCountry = scopeOf(actor, "country_rollup") === "country";
  const params = searchParams(request);
  const countries = (await listCountries(context.db)).filter((c) => !byCountry || seesCountry(actor, c.code));
  const asked = params.get("country");
  const country = countries.find((c) => c.code === asked) ?? null;
  if (asked && !country) throw new Response("Not found", { status: 404 });
  const { filter, statuses } = statusesOf(params.get("status"));
  const list = parseListQuery(params, { sorts: COUNTRY_PLAN_SORTS, defaultSort: "institution" });
  const fmt = localFormats(getTranslator(request, actor));
  const [years, agreed, matching] = country
    ? await Promise.all([
        countryRollUpUsd(context.db, country.code, statuses),
        countCountryPlans(context.db, country.code, statuses),
        list.q ? countCountryPlans(context.db, country.code, statuses, list.q) : null,
      ])
    : [[], 0, null];
  const total = matching ?? agreed;
  const page = pageWindow(total, list.page, list.per);
  const plans =
    country && total > 0
      ? await pageCountryPlans(context.db, country.code, {
          statuses,
          q: list.q || undefined,
          sort: list.sort,
          dir: list.dir,
          limit: page.per,
          offset: page.offset,
        })
      : [];
  return json({
    countries: countries.map((c) => ({ code: c.code, name: c.name })),
    country,
    status: filter,
    list: { sort: list.sort, dir: list.dir, q: list.q },
    page,
    agreed,
    plans: plans.map((p) => ({
      id: p.id,
      institutionId: p.institutionId,
      institutionName: p.institutionName,
      name: p.name,
      currency: p.currency,
      status: p.status,
      rate: `${p.usdRate.num}/${p.usdRate.den}`,
      exitYear: p.exitYear,
    })),
    years,
    // Shown as the reader's language writes them; the figures above stay for other uses.
    shown: years.map((y) => ({
      cost: fmt.money(y.costUsdCents),
      nonIlo: fmt.money(y.nonIloUsdCents),
      share: fmt.share(y.nonIloShareBp),
      gap: fmt.money(y.gapUsdCents),
    })),
  });
}

export default function CountryHandover() {
  const { countries, country, status, list, page, agreed, plans, years, shown } = useLoaderData<typeof loader>();
  const t = useT();
  const keep: [string, string][] = [
    ["country", country?.code ?? ""],
    ["status", status ?? ""],
    ["sort", list.sort],
    ["dir", list.dir],
  ].filter(([, v]) => v !== "") as [string, string][];
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
        <label>
          {t("handover.country.status")}{" "}
          <select name="status" defaultValue={status ?? ""}>
            <option value="">{t("handover.country.allAgreed")}</option>
            <option value="approved">{t("handover.status.approved")}</option>
            <option value="active">{t("handover.status.active")}</option>
          </select>
        </label>
        <button type="submit">{t("handover.country.show")}</button>
      </Form>
      {!country ? (
        <p className="empty">{t("handover.country.pick")}</p>
      ) : agreed === 0 ? (
        <p className="empty">{t("handover.country.none", { country: country.name })}</p>
      ) : (
        <>
          <ScrollTable label={t.plural("handover.country.caption", agreed, { country: country.name })} className="data">
            <caption>{t.plural("handover.country.caption", agreed, { country: country.name })}</caption>
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
          <h2 id="plans-behind">{t("handover.country.behind")}</h2>
          <SearchBox q={list.q} label={t("handover.country.search")} keep={keep} />
          {plans.length === 0 ? (
            <div className="empty-state">
              <p>{t("handover.country.noMatch", { country: country.name, q: list.q })}</p>
              <p>
                <Link to={listHref("/plans", "", { country: country.code, status: status ?? undefined })}>{t("list.clear")}</Link>
              </p>
            </div>
          ) : (
            <>
              <ListRange window={page} />
              <ScrollTable label={t("handover.country.behind")} className="data">
                <caption className="visually-hidden">{t("handover.country.behind")}</caption>
                <thead>
                  <tr>
                    <SortHeader column="institution" sort={list.sort} dir={list.dir}>
                      {t("handover.country.col.institution")}
                    </SortHeader>
                    <SortHeader column="plan" sort={list.sort} dir={list.dir}>
                      {t("handover.country.col.plan")}
                    </SortHeader>
                    <th scope="col">{t("handover.country.col.rate")}</th>
                    <SortHeader column="exit" sort={list.sort} dir={list.dir}>
                      {t("handover.country.col.exit")}
                    </SortHeader>
                    <th scope="col">{t("handover.country.col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {plans.map((p) => (
                    <tr key={p.id}>
                      <td>{p.institutionName}</td>
                      <td>
                        <Link to={`/institutions/${p.institutionId}/plans/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{t("handover.country.col.rateValue", { currency: p.currency, rate: p.rate })}</td>
                      <td>{p.exitYear}</td>
                      <td>{t(`handover.status.${p.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
              <Pager window={page} />
            </>
          )}
        </>
      )}
    </div>
  );
}
