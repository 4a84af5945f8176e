import { json, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { criteriaMetText, formatDuration } from "~/components/format";
import { loadPortfolio } from "~/features/portfolio/portfolio.server";
import { assertCan, requireActor } from "~/platform/access.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { shown } from "~/i18n/render";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "inst.list.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  return json(await loadPortfolio(context.db, actor, new URL(request.url).searchParams, new Date()));
}

type Data = SerializeFrom<typeof loader>;

export default function Institutions() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { filters, institutions } = data;
  const filtered = !!(filters.country || filters.type || filters.stage);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("inst.list.title")}</h1>
        {data.canCreate ? (
          <Link to="/institutions/new" className="button button-primary">
            {t("inst.list.new")}
          </Link>
        ) : null}
      </div>
      <FilterForm data={data} />
      <StageCounts data={data} />
      {institutions.length > 0 ? (
        <PortfolioTable institutions={institutions} filtered={filtered} />
      ) : data.anyInstitutions ? (
        <div className="empty-state">
          <p>{t("inst.list.noMatch")}</p>
          <p>
            <Link to="/institutions">{t("inst.list.clearToSee")}</Link> {t("inst.list.clearToSeeRest")}
          </p>
        </div>
      ) : (
        <div className="empty-state">
          <p>{t("inst.list.none")}</p>
          {data.canCreate ? (
            <p>
              <Link to="/institutions/new">{t("inst.list.addFirst")}</Link> {t("inst.list.addFirstRest")}
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}

function FilterForm({ data }: { data: Data }) {
  const t = useT();
  const { filters } = data;
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  // The selects are uncontrolled (so the form works before JavaScript); keep them in step when
  // the filters change by a link, without re-mounting them and losing the keyboard focus.
  useEffect(() => {
    const el = form.current;
    if (!el) return;
    for (const name of ["country", "type", "stage"] as const) {
      const select = el.elements.namedItem(name) as HTMLSelectElement | null;
      if (select) select.value = filters[name] ?? "";
    }
  }, [filters]);

  return (
    <Form
      method="get"
      ref={form}
      className="filters"
      aria-label={t("inst.filter.label")}
      onChange={(e) => {
        // Only the chosen filters go in the address, so it stays short and shareable.
        const chosen = new URLSearchParams();
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) chosen.set(k, v);
        submit(chosen, { method: "get", replace: true, preventScrollReset: true });
      }}
    >
      <div className="field">
        <label htmlFor="filter-country">{t("inst.filter.country")}</label>
        <select id="filter-country" name="country" defaultValue={filters.country ?? ""}>
          <option value="">{t("inst.filter.allCountries")}</option>
          {data.countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-type">{t("inst.filter.type")}</label>
        <select id="filter-type" name="type" defaultValue={filters.type ?? ""}>
          <option value="">{t("inst.filter.allTypes")}</option>
          {data.types.map((ty) => (
            <option key={ty.value} value={ty.value}>
              {t(`instType.${ty.value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-stage">{t("inst.filter.stage")}</label>
        <select id="filter-stage" name="stage" defaultValue={filters.stage ?? ""}>
          <option value="">{t("inst.filter.allStages")}</option>
          {data.stageCounts.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button button-secondary">
          {t("inst.filter.apply")}
        </button>
        {filters.country || filters.type || filters.stage ? <Link to="/institutions">{t("inst.filter.clear")}</Link> : null}
      </div>
    </Form>
  );
}

function stageHref(filters: Data["filters"], stage: string | null) {
  const p = new URLSearchParams();
  if (filters.country) p.set("country", filters.country);
  if (filters.type) p.set("type", filters.type);
  if (stage) p.set("stage", stage);
  const q = p.toString();
  return q ? `/institutions?${q}` : "/institutions";
}

function StageCounts({ data }: { data: Data }) {
  const t = useT();
  const { filters, stageCounts } = data;
  return (
    <nav className="stage-counts" aria-label={t("inst.perStage")}>
      <ul>
        <li>
          <Link to={stageHref(filters, null)} aria-current={!filters.stage ? "true" : undefined}>
            <span className="count">{t.number(data.inScopeCount)}</span> {t("inst.filter.allStages")}
          </Link>
        </li>
        {stageCounts.map((s) => (
          <li key={s.key}>
            <Link to={stageHref(filters, s.key)} aria-current={filters.stage === s.key ? "true" : undefined}>
              <span className="count">{t.number(s.count)}</span> {s.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function PortfolioTable({ institutions, filtered }: { institutions: Data["institutions"]; filtered: boolean }) {
  const t = useT();
  const n = institutions.length;
  return (
    <div className="table-scroll" role="region" aria-labelledby="portfolio-caption" tabIndex={0}>
      <table className="portfolio">
        <caption id="portfolio-caption">{t.plural(filtered ? "inst.table.captionFiltered" : "inst.table.caption", n)}</caption>
        <thead>
          <tr>
            <th scope="col">{t("inst.col.institution")}</th>
            <th scope="col">{t("inst.col.stage")}</th>
            <th scope="col">{t("inst.col.nextGate")}</th>
            <th scope="col">{t("inst.col.time")}</th>
            <th scope="col">{t("inst.col.country")}</th>
            <th scope="col">{t("inst.col.type")}</th>
          </tr>
        </thead>
        <tbody>
          {institutions.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link to={`/institutions/${i.id}`}>{i.name}</Link>
                <Flags institution={i} />
              </th>
              {/* Stage and progress come first: they are what a phone shows without scrolling. */}
              <td>
                {i.stage}
                <span className="muted small">
                  {" "}
                  {t("inst.stageOf", { order: t.number(i.stageOrder), total: t.number(i.stageTotal) })}
                </span>
              </td>
              <td>
                <GateProgress gate={i.nextGate} />
              </td>
              <td className="time">{formatDuration(t, i.daysInStage)}</td>
              <td>{i.country}</td>
              <td>{t(`instType.${i.typeCode}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Flags({ institution: i }: { institution: Data["institutions"][number] }) {
  const t = useT();
  if (!i.nextGate?.awaitingSignOff && !i.slipFlag && !i.discontinued) return null;
  return (
    <ul className="flags">
      {i.nextGate?.awaitingSignOff ? <li className="flag flag-ok">{t("inst.flag.awaiting")}</li> : null}
      {i.slipFlag ? (
        <li className="flag flag-warn" title={shown(t, i.slipFlag.reasonMessage, i.slipFlag.reason)}>
          {t("inst.flag.slip")}
        </li>
      ) : null}
      {i.discontinued ? <li className="flag">{t("inst.flag.discontinued")}</li> : null}
    </ul>
  );
}

function GateProgress({ gate }: { gate: Data["institutions"][number]["nextGate"] }) {
  const t = useT();
  if (!gate) return <span className="muted">{t("inst.finalReached")}</span>;
  if (gate.pending)
    return (
      <div className="gate-progress">
        <span>{t("inst.gatePending")}</span> <span className="muted small for">{t("inst.gateFor", { stage: gate.stage })}</span>
      </div>
    );
  return (
    <div className="gate-progress">
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${gate.progress}%` }} />
      </div>
      <span>{criteriaMetText(t, gate.met, gate.total)}</span>{" "}
      <span className="muted small for">{t("inst.gateFor", { stage: gate.stage })}</span>
    </div>
  );
}
