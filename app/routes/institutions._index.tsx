import { resolveLocale } from "~/i18n/server";
import { json, redirect, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { criteriaMetText, formatDuration } from "~/components/format";
import { TableLink } from "~/components/TableLink";
import { Pager, SortHeader } from "~/components/ListControls";
import { loadPortfolio } from "~/features/portfolio/portfolio.server";
import { assertCan, requireActor } from "~/platform/access.server";
import { listHref } from "~/platform/list-query";
import { homeOf } from "~/platform/policy";
import { searchParams } from "~/platform/request-body.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import { shown } from "~/i18n/render";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "inst.list.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  const params = searchParams(request);
  const home = homeOf(actor);
  if (home !== "/institutions") throw redirect(home);
  return json(await loadPortfolio(context.db, actor, params, new Date(), resolveLocale(request, actor)));
}

type Data = SerializeFrom<typeof loader>;

export default function Institutions() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { institutions, list, page } = data;
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
        <>
          {/* The table's caption says which rows these are ("Institutions 1–50 of 5,000"). */}
          <PortfolioTable data={data} />
          <Pager window={page} label={t("inst.list.pages")} />
        </>
      ) : data.anyInstitutions ? (
        <div className="empty-state">
          <p>{list.q ? t("inst.list.noMatchQuery", { q: list.q }) : t("inst.list.noMatch")}</p>
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
    for (const name of ["country", "type", "stage", "flag"] as const) {
      const select = el.elements.namedItem(name) as HTMLSelectElement | null;
      if (select) select.value = filters[name] ?? "";
    }
    const q = el.elements.namedItem("q") as HTMLInputElement | null;
    if (q && document.activeElement !== q) q.value = data.list.q;
  }, [filters, data.list.q]);

  return (
    <Form
      method="get"
      ref={form}
      className="filters"
      aria-label={t("inst.filter.label")}
      onChange={(e) => {
        // A choice in a list applies at once; typed search text waits for Enter or the button.
        if (!(e.target instanceof HTMLSelectElement)) return;
        // Only the chosen filters go in the address, so it stays short and shareable.
        const chosen = new URLSearchParams();
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) chosen.set(k, v);
        submit(chosen, { method: "get", replace: true, preventScrollReset: true });
      }}
    >
      <input type="hidden" name="sort" value={data.list.sort} />
      <input type="hidden" name="dir" value={data.list.dir} />
      <div className="field">
        <label htmlFor="filter-q">{t("inst.search.label")}</label>
        <input id="filter-q" type="search" name="q" defaultValue={data.list.q} maxLength={100} />
      </div>
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
      <div className="field">
        <label htmlFor="filter-flag">{t("inst.filter.flag")}</label>
        <select id="filter-flag" name="flag" defaultValue={filters.flag ?? ""}>
          <option value="">{t("inst.filter.allFlags")}</option>
          <option value="awaiting">{t("inst.flag.awaiting")}</option>
          <option value="overdue">{t("inst.flag.overdue")}</option>
          <option value="slipping">{t("inst.flag.slip")}</option>
          <option value="discontinued">{t("inst.flag.discontinued")}</option>
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button button-secondary">
          {t("inst.filter.apply")}
        </button>
        {filters.country || filters.type || filters.stage || filters.flag || data.list.q ? (
          <Link to="/institutions">{t("inst.filter.clear")}</Link>
        ) : null}
      </div>
    </Form>
  );
}

function stageHref(search: string, stage: string | null) {
  return listHref("/institutions", search, { stage: stage ?? undefined });
}

function StageCounts({ data }: { data: Data }) {
  const t = useT();
  const { filters, stageCounts } = data;
  const { search } = useLocation();
  return (
    <nav className="stage-counts" aria-label={t("inst.perStage")}>
      <ul>
        <li>
          <Link to={stageHref(search, null)} aria-current={!filters.stage ? "true" : undefined}>
            <span className="count">{t.number(data.inScopeCount)}</span> {t("inst.filter.allStages")}
          </Link>
        </li>
        {stageCounts.map((s) => (
          <li key={s.key}>
            <Link to={stageHref(search, s.key)} aria-current={filters.stage === s.key ? "true" : undefined}>
              <span className="count">{t.number(s.count)}</span> {s.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function PortfolioTable({ data }: { data: Data }) {
  const t = useT();
  const { institutions, list, page } = data;
  return (
    <div className="table-scroll" role="region" aria-labelledby="portfolio-caption" tabIndex={0}>
      <table className="portfolio">
        <caption id="portfolio-caption">
          {t("inst.table.captionPaged", { from: t.number(page.from), to: t.number(page.to), total: t.number(page.total) })}
        </caption>
        <thead>
          <tr>
            <SortHeader column="name" sort={list.sort} dir={list.dir}>
              {t("inst.col.institution")}
            </SortHeader>
            <SortHeader column="stage" sort={list.sort} dir={list.dir}>
              {t("inst.col.stage")}
            </SortHeader>
            <th scope="col">{t("inst.col.nextGate")}</th>
            <SortHeader column="time" sort={list.sort} dir={list.dir} firstDir="desc">
              {t("inst.col.time")}
            </SortHeader>
            <SortHeader column="country" sort={list.sort} dir={list.dir}>
              {t("inst.col.country")}
            </SortHeader>
            <th scope="col">{t("inst.col.type")}</th>
          </tr>
        </thead>
        <tbody>
          {institutions.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <TableLink to={`/institutions/${i.id}`}>{i.name}</TableLink>
                <Flags institution={i} t={t} />
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
                <GateProgress gate={i.nextGate} t={t} />
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

// Row parts take the table's translator rather than making one each (50 rows, 100 translators).
function Flags({ institution: i, t }: { institution: Data["institutions"][number]; t: Translator }) {
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

function GateProgress({ gate, t }: { gate: Data["institutions"][number]["nextGate"]; t: Translator }) {
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
